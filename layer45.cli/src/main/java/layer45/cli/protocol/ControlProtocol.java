package layer45.cli.protocol;

/** The control protocol's limits and exit statuses. */
public final class ControlProtocol {

    /** The longest command line, in bytes of UTF-8: a command, not a file transfer. */
    public static final int MAX_COMMAND = 16 * 1024;

    /** The largest payload of any frame; longer output is sent in several frames. */
    public static final int MAX_DATA = 64 * 1024;

    /** Exit status: the command ran and returned. */
    public static final int OK = 0;

    /** Exit status: the command threw; its message is on standard error. */
    public static final int FAILED = 1;

    /**
     * Exit status: the runtime refused the request without running it (too many connections, a command line too
     * long, a broken frame); the reason is on standard error.
     */
    public static final int REFUSED = 2;

    private ControlProtocol() {
    }
}
