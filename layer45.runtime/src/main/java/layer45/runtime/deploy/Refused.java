package layer45.runtime.deploy;

/** A jar cannot be loaded; the message says why and what to do. */
final class Refused extends Exception {

    private static final long serialVersionUID = 1L;

    private final boolean maybeIncomplete;

    Refused(String reason) {
        this(reason, null, false);
    }

    Refused(String reason, Throwable cause) {
        this(reason, cause, false);
    }

    Refused(String reason, Throwable cause, boolean maybeIncomplete) {
        super(reason, cause);
        this.maybeIncomplete = maybeIncomplete;
    }

    /** @return whether the jar may just not be completely written yet (it does not read as a whole zip file) */
    boolean maybeIncomplete() {
        return maybeIncomplete;
    }
}
