package layer45.api;

import java.util.Objects;

/**
 * The process and thread that own a flow's socket in the application's network namespace.
 *
 * <p>Linux gives a thread (pid) and its thread group (tgid, the process) separate task names, truncated to 15
 * characters. The process name is usually the one to match: {@code dig} is the process, while the thread that
 * sends its queries may be called {@code isc-net-0000} (rule 12).
 *
 * @param pid the thread's id ({@code pid} in kernel terms), or -1 if unknown
 * @param tgid the process's id (thread group id), or -1 if unknown
 * @param threadName the thread's task name ({@code /proc/PID/task/TID/comm}), or "" if unknown
 * @param processName the process's task name ({@code /proc/PID/comm}), or "" if unknown
 * @param uid the owning user id, or -1 if unknown
 */
public record ProcessOwner(int pid, int tgid, String threadName, String processName, int uid) {

    /** The owner could not be determined; such a flow matches only targets that accept any process. */
    public static final ProcessOwner UNKNOWN = new ProcessOwner(-1, -1, "", "", -1);

    /** Checks the names are present (empty when unknown). */
    public ProcessOwner {
        Objects.requireNonNull(threadName, "threadName");
        Objects.requireNonNull(processName, "processName");
    }

    /** @return whether the owner was found */
    public boolean isKnown() {
        return tgid >= 0;
    }

    @Override
    public String toString() {
        return isKnown() ? processName + "[" + tgid + "]/" + threadName + "[" + pid + "] uid " + uid : "unknown";
    }
}
