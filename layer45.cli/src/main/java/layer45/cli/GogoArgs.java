package layer45.cli;

/** Arguments put into a Gogo command line, which reads {@code ' " \ $ ; | < > [ ] { } ( )} itself. */
final class GogoArgs {

    private GogoArgs() {
    }

    /**
     * @param option the option the value came with, for the message
     * @param value a value to pass to a command
     * @return the value, if {@link #quote} can pass it literally
     * @throws CliException if it holds a quote, a backslash or a control character
     */
    static String checked(String option, String value) throws CliException {
        if (value.isEmpty() || value.chars().anyMatch(c -> c == '\'' || c == '\\' || Character.isISOControl(c))) {
            throw new CliException(option + " '" + value + "': the value must not be empty or hold quotes,"
                    + " backslashes or control characters");
        }
        return value;
    }

    /**
     * @param value a value that passed {@link #checked}
     * @return it in single quotes, which Gogo passes on literally
     */
    static String quote(String value) {
        return "'" + value + "'";
    }
}
