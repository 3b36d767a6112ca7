package layer45.runtime.rules;

/**
 * Thrown to a module by a view it misused: says which rule it broke, so the runtime reports that rule rather than
 * a bare exception. An {@link IllegalStateException}, as the API documents for misused views.
 */
public final class RuleBrokenException extends IllegalStateException {

    private static final long serialVersionUID = 1L;

    private final transient ModuleRule rule;
    private final String what;

    /**
     * @param module the module's name
     * @param rule the rule broken
     * @param what what the module did
     */
    public RuleBrokenException(String module, ModuleRule rule, String what) {
        super("module '" + module + "' " + rule.broken(what));
        this.rule = rule;
        this.what = what;
    }

    /** @return the rule broken */
    public ModuleRule rule() {
        return rule;
    }

    /** @return what the module did, without the rule's text */
    public String what() {
        return what;
    }
}
