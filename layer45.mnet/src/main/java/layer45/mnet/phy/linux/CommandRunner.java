package layer45.mnet.phy.linux;

import java.time.Duration;
import java.util.List;

/** Runs an external command to completion; {@link LinkConfigurator} takes one so tests can check its commands. */
@FunctionalInterface
public interface CommandRunner {

    /**
     * @param command the program and its arguments, run without a shell
     * @param timeout how long the command may take; it is killed afterwards
     * @return how it ended, whatever its exit code
     * @throws CommandFailedException if it cannot start or does not finish in time
     */
    CommandResult run(List<String> command, Duration timeout);

    /** @return the runner that starts real processes and logs every command at {@code DEBUG} (JUL {@code FINE}) */
    static CommandRunner processes() {
        return ProcessCommandRunner.INSTANCE;
    }
}
