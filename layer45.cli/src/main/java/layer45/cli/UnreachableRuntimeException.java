package layer45.cli;

import java.io.IOException;

/** The client could not connect to the runtime's control socket; the message says why and what to do. */
final class UnreachableRuntimeException extends IOException {

    private static final long serialVersionUID = 1L;

    private final int status;

    /**
     * @param message why, and what to do
     * @param status {@link ExitStatus#NOT_RUNNING}, {@link ExitStatus#DENIED} or {@link ExitStatus#CLIENT}
     * @param cause the failure underneath
     */
    UnreachableRuntimeException(String message, int status, IOException cause) {
        super(message, cause);
        this.status = status;
    }

    /** @return the exit status that tells scripts what happened */
    int status() {
        return status;
    }
}
