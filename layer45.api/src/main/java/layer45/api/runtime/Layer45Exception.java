package layer45.api.runtime;

import java.util.Objects;

/** A management request that could not be carried out; the message says what to do instead. */
public class Layer45Exception extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final ErrorCode code;

    /**
     * @param code the stable error code
     * @param message what happened, to what, and what to do
     */
    public Layer45Exception(ErrorCode code, String message) {
        super(message);
        this.code = Objects.requireNonNull(code, "code");
    }

    /**
     * @param code the stable error code
     * @param message what happened, to what, and what to do
     * @param cause the underlying failure
     */
    public Layer45Exception(ErrorCode code, String message, Throwable cause) {
        super(message, cause);
        this.code = Objects.requireNonNull(code, "code");
    }

    /** @return the stable error code */
    public ErrorCode code() {
        return code;
    }
}
