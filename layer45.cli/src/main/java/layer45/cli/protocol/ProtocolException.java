package layer45.cli.protocol;

import java.io.IOException;

/** The other end broke the control protocol: a frame that is unknown, too large, cut short or out of order. */
public final class ProtocolException extends IOException {

    private static final long serialVersionUID = 1L;

    /** @param message what was wrong, for the log or the other end */
    public ProtocolException(String message) {
        super(message);
    }
}
