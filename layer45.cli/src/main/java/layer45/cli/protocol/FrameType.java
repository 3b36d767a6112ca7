package layer45.cli.protocol;

/** The frames of the control protocol, each named by one ASCII byte on the wire. */
public enum FrameType {

    /** Client, optional, before {@link #COMMAND}: the directory relative paths are taken from (UTF-8, absolute). */
    DIRECTORY('D', "directory"),
    /**
     * Client, first (after an optional {@link #DIRECTORY}), in place of a {@link #COMMAND}: opens a session that runs
     * any number of command lines one after the other, each a {@link #COMMAND} answered by its output and
     * {@link #EXIT}, until the client ends its stream. Empty payload.
     */
    SESSION('S', "session"),
    /**
     * Client, exactly once (or once per command line in a {@link #SESSION}): the Gogo command line to run (UTF-8, at
     * most {@link ControlProtocol#MAX_COMMAND}).
     */
    COMMAND('C', "command line"),
    /** Client, after {@link #COMMAND}: bytes for the command's session input. The end of the stream ends it. */
    INPUT('I', "input"),
    /** Runtime: bytes the command wrote to its standard output. */
    STDOUT('O', "output"),
    /** Runtime: bytes the command wrote to its standard error, and the runtime's own error messages. */
    STDERR('E', "error output"),
    /** Runtime, last: the exit status, a 4-byte big-endian int ({@link ControlProtocol#OK} and others). */
    EXIT('X', "exit status");

    private final byte code;
    private final String what;

    FrameType(char code, String what) {
        this.code = (byte) code;
        this.what = what;
    }

    /** @return what the frame carries, for messages: {@code command line}, {@code input}, ... */
    public String what() {
        return what;
    }

    /** @return whether this frame carries a stream's bytes, which may come in any number of frames */
    public boolean isData() {
        return this == INPUT || this == STDOUT || this == STDERR;
    }

    /** @return the byte that names this frame on the wire */
    public byte code() {
        return code;
    }

    /**
     * @param code a type byte read from the wire
     * @return its frame type
     * @throws ProtocolException if no frame has that code
     */
    public static FrameType of(int code) throws ProtocolException {
        for (FrameType type : values()) {
            if (type.code == code) {
                return type;
            }
        }
        throw new ProtocolException(String.format("unknown frame type 0x%02x: the other end speaks another protocol"
                + " version; use a client and runtime built from the same checkout", code & 0xff));
    }
}
