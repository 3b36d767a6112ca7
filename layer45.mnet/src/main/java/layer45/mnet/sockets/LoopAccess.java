package layer45.mnet.sockets;

import java.util.function.Supplier;

/** How a program's thread reaches the stack's loop thread; what TCP queued is sent after each task. */
public interface LoopAccess {

    /**
     * Runs a task on the loop thread and waits for its result.
     *
     * @param <T> the result type
     * @param task the task
     * @return its result
     * @throws IllegalStateException if the loop does not answer (stopped, or stuck)
     */
    <T> T call(Supplier<T> task);

    /**
     * Runs a task on the loop thread soon, without waiting.
     *
     * @param task the task
     */
    void execute(Runnable task);

    /** @return whether the stack runs */
    boolean running();
}
