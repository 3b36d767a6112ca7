package layer45.mnet.phy.linux;

/** An external command ({@code ip}, a command in a namespace) could not run, timed out, or failed. */
public final class CommandFailedException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** @param message the command, what went wrong, and how to fix it if we know */
    public CommandFailedException(String message) {
        super(message);
    }

    /**
     * @param message the command, what went wrong, and how to fix it if we know
     * @param cause the underlying failure
     */
    public CommandFailedException(String message, Throwable cause) {
        super(message, cause);
    }
}
