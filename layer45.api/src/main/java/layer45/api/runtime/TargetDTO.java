package layer45.api.runtime;

/** The flows a module attaches to, as effectively configured. Empty arrays match anything. */
public class TargetDTO {
    /** Transports: "tcp", "udp". */
    public String[] protocol;
    /** Process (tgid) name patterns. */
    public String[] process;
    /** Thread (pid) name patterns. */
    public String[] thread;
    /** Remote address prefixes. */
    public String[] remoteAddress;
    /** Remote ports and ranges. */
    public String[] remotePort;
    /** Local address prefixes. */
    public String[] localAddress;
    /** Local ports and ranges. */
    public String[] localPort;
}
