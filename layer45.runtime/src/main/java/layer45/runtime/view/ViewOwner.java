package layer45.runtime.view;

/** The module-on-a-flow that a set of views belongs to: told when the module breaks the buffer rule. */
public interface ViewOwner {

    /**
     * A view was used outside the call it was lent for (rule 2). Called on the offending thread, which then gets
     * an {@link IllegalStateException}.
     *
     * @param problem what was done, for the fault record
     */
    void keptViewUsed(String problem);

    /** @return the module's name, for messages */
    String moduleName();
}
