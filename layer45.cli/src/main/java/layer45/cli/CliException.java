package layer45.cli;

/** The client cannot do what it was asked; the message says why and what to do, for the user. */
final class CliException extends Exception {

    /** The exit status of the client's own failures (as {@code env} and {@code timeout} use it). */
    static final int STATUS = 125;

    private static final long serialVersionUID = 1L;

    private final int status;

    /** @param message what happened and what to do */
    CliException(String message) {
        super(message);
        this.status = STATUS;
    }

    /**
     * @param message what happened and what to do
     * @param cause the failure underneath
     */
    CliException(String message, Throwable cause) {
        this(message, STATUS, cause);
    }

    /**
     * @param message what happened and what to do
     * @param status the client's exit status ({@link ExitStatus})
     * @param cause the failure underneath
     */
    CliException(String message, int status, Throwable cause) {
        super(message, cause);
        this.status = status;
    }

    /**
     * @param e a failure to reach or talk to the runtime
     * @return it as the client reports it, with the exit status that tells scripts what happened
     */
    static CliException of(java.io.IOException e) {
        return new CliException(e.getMessage(), e instanceof UnreachableRuntimeException u ? u.status() : STATUS, e);
    }

    /** @return the client's exit status */
    int status() {
        return status;
    }
}
