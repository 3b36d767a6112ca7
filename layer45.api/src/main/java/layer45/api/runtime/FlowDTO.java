package layer45.api.runtime;

/** An open flow, as {@code sockets} shows it. */
public class FlowDTO {
    /** The flow's identifier. */
    public long id;
    /** "tcp" or "udp". */
    public String protocol;
    /** The network protocol, such as "ipv4". */
    public String network;
    /** The application's address and port, "address:port" ("[address]:port" for IPv6). */
    public String local;
    /** The peer's address and port. */
    public String remote;
    /** "local" if the application opened the flow, "remote" if the peer did. */
    public String initiator;
    /** Owning thread id, or -1. */
    public int pid;
    /** Owning process id, or -1. */
    public int tgid;
    /** Owning thread's task name, or "". */
    public String threadName;
    /** Owning process's task name, or "". */
    public String processName;
    /** Owning user id, or -1. */
    public int uid;
    /** Where it stands. */
    public FlowState state;
    /** Names of the attached modules, in chain order. */
    public String[] modules;
    /** Bundle ids of the attached modules, in the same order (two versions of a module differ here). */
    public long[] moduleBundles;
    /** Send counters. */
    public CountersDTO send;
    /** Receive counters. */
    public CountersDTO recv;
    /** When it was opened, in epoch milliseconds. */
    public long openedAt;
}
