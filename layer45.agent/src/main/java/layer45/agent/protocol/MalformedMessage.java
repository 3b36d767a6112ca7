package layer45.agent.protocol;

/** A control-plane message that cannot be read: not JSON, or without what its kind needs. */
public final class MalformedMessage extends Exception {

    private static final long serialVersionUID = 1L;

    /** @param reason what is wrong, and where */
    public MalformedMessage(String reason) {
        super(reason);
    }
}
