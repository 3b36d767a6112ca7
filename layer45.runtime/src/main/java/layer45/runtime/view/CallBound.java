package layer45.runtime.view;

import layer45.runtime.rules.ModuleRule;
import layer45.runtime.rules.RuleBrokenException;

/**
 * A view that is valid only during one module call, on the calling thread.
 *
 * <p>The owning thread is set when the call starts and cleared when it returns. A plain field is enough: the
 * calling thread always sees its own writes, and any other thread compares against a thread that is not itself,
 * whatever value it reads.
 */
abstract class CallBound {

    private final ViewOwner owner;
    private final String kind;
    private Thread thread;

    CallBound(ViewOwner owner, String kind) {
        this.owner = owner;
        this.kind = kind;
    }

    final void bind(Thread caller) {
        thread = caller;
    }

    final void unbind() {
        thread = null;
    }

    /** Fails loudly when the view is used outside its call (rule 2). */
    final void check() {
        if (thread != Thread.currentThread()) {
            throw misuse();
        }
    }

    private IllegalStateException misuse() {
        String what = "used the " + kind + " " + (thread == null ? "after its call returned" : "from another thread"
                + " during its call") + ", on thread '" + Thread.currentThread().getName() + "'";
        ModuleRule rule = ModuleRule.BUFFERS_BELONG_TO_THE_RUNTIME;
        owner.keptViewUsed(rule.broken(what));
        return new RuleBrokenException(owner.moduleName(), rule, what);
    }

    final ViewOwner owner() {
        return owner;
    }
}
