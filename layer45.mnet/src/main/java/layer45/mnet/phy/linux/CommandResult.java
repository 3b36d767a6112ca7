package layer45.mnet.phy.linux;

import java.util.List;

/**
 * How an external command ended.
 *
 * @param command the command and its arguments
 * @param exitCode its exit code
 * @param stdout what it wrote to standard output, decoded as UTF-8
 * @param stderr what it wrote to standard error, decoded as UTF-8
 */
public record CommandResult(List<String> command, int exitCode, String stdout, String stderr) {

    /** Copies the command list. */
    public CommandResult {
        command = List.copyOf(command);
    }

    /** @return whether the command exited with 0 */
    public boolean succeeded() {
        return exitCode == 0;
    }

    /**
     * @return this result, if the command succeeded
     * @throws CommandFailedException quoting the command, its exit code and its standard error otherwise
     */
    public CommandResult requireSuccess() {
        if (exitCode != 0) {
            throw new CommandFailedException("`" + String.join(" ", command) + "` failed with exit code " + exitCode
                    + ": " + (stderr.isBlank() ? "(no error output)" : stderr.strip()));
        }
        return this;
    }
}
