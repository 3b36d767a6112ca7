package layer45.cli;

import layer45.cli.protocol.ControlProtocol;

/**
 * The exit statuses of the client's commands ({@code layer45 lsmod}, {@code layer45 shell}, ...), for scripts. The
 * README's "Installing as a service" lists them too.
 */
final class ExitStatus {

    /** The command ran and succeeded. */
    static final int OK = ControlProtocol.OK;

    /** The command ran and failed; the runtime's reason is on standard error. */
    static final int FAILED = ControlProtocol.FAILED;

    /** The runtime refused the request without running it (busy, a line too long); the reason is on standard error. */
    static final int REFUSED = ControlProtocol.REFUSED;

    /** No runtime listens on the control socket (it is not running, or listens elsewhere), as LSB's "not running". */
    static final int NOT_RUNNING = 3;

    /** The control socket is there, but this user may not use it (it is the runtime's user's only: root). */
    static final int DENIED = 4;

    /** The client itself failed: bad arguments, or the connection broke. */
    static final int CLIENT = CliException.STATUS;

    private ExitStatus() {
    }
}
