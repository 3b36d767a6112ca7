package layer45.cli;

/** The client cannot do what it was asked; the message says why and what to do, for the user. */
final class CliException extends Exception {

    /** The exit status of the client's own failures (as {@code env} and {@code timeout} use it). */
    static final int STATUS = 125;

    private static final long serialVersionUID = 1L;

    /** @param message what happened and what to do */
    CliException(String message) {
        super(message);
    }

    /**
     * @param message what happened and what to do
     * @param cause the failure underneath
     */
    CliException(String message, Throwable cause) {
        super(message, cause);
    }
}
