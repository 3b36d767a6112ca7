package layer45.runtime.module;

/** Thrown by {@link ModuleRegistry#load} when a registration cannot be loaded; the refusal has been recorded. */
public final class ModuleRefusedException extends Exception {

    private static final long serialVersionUID = 1L;

    private final transient Refusal refusal;

    ModuleRefusedException(Refusal refusal) {
        super("refused customization '" + refusal.name() + "' from " + refusal.origin() + ": " + refusal.reason());
        this.refusal = refusal;
    }

    /** @return what was refused and why */
    public Refusal refusal() {
        return refusal;
    }
}
