package layer45.mnet.phy.linux;

/**
 * A TUN device could not be opened. The message says what failed, on which device, the errno, and how to fix it.
 */
public final class TunException extends Exception {

    private static final long serialVersionUID = 1L;

    /** The errno of the failed system call, or 0. */
    private final int errno;

    /**
     * @param message what failed, on which device, and how to fix it
     * @param errno the C library's errno, or 0 when the failure did not come from a system call
     */
    public TunException(String message, int errno) {
        super(message);
        this.errno = errno;
    }

    /** @return the errno of the failed system call ({@link Errno}), or 0 when there was none */
    public int errno() {
        return errno;
    }

    /**
     * @param device the device name asked for
     * @param errno the errno of {@code open("/dev/net/tun")}
     * @return the exception for a failed open of the clone device
     */
    static TunException openFailed(String device, int errno) {
        String fix = switch (errno) {
            case Errno.ENOENT, Errno.ENODEV, Errno.ENXIO -> "the kernel has no TUN driver loaded: load the tun "
                    + "module (modprobe tun); in a container, pass the device in (--device /dev/net/tun)";
            case Errno.EACCES -> "this user may not read and write /dev/net/tun: run as root, or make it "
                    + "`chmod 0666 /dev/net/tun` (the usual mode) and give java CAP_NET_ADMIN (`setcap "
                    + "cap_net_admin+ep " + javaPath() + "`)";
            case Errno.EPERM -> privilegeFix();
            default -> "check that /dev/net/tun is the TUN clone device (character device 10, 200)";
        };
        return new TunException("cannot create TUN device " + device + ": open /dev/net/tun failed: "
                + Errno.describe(errno) + "; " + fix, errno);
    }

    /**
     * @param device the device name asked for
     * @param errno the errno of {@code ioctl(TUNSETIFF)}
     * @return the exception for a failed device creation
     */
    static TunException createFailed(String device, int errno) {
        String fix = switch (errno) {
            case Errno.EPERM, Errno.EACCES -> privilegeFix();
            case Errno.EBUSY -> "another process holds a device named " + device
                    + ": pick another name, or a pattern such as l45t%d";
            case Errno.EEXIST -> "an interface named " + device + " exists and is not a TUN device: pick another "
                    + "name, or a pattern such as l45t%d";
            case Errno.EINVAL -> "the kernel refused the name or the flags: check the name (Linux interface name "
                    + "rules) and that the kernel's TUN driver supports IFF_TUN|IFF_NO_PI";
            case Errno.ENFILE -> "no free number is left for the pattern " + device + ": delete unused devices";
            default -> "see the kernel log (dmesg) for the TUN driver's reason";
        };
        return new TunException("cannot create TUN device " + device + ": " + Errno.describe(errno) + "; " + fix,
                errno);
    }

    /** @return how to give the process the privilege the TUN driver wants */
    static String privilegeFix() {
        return "the network stack needs root or CAP_NET_ADMIN: run as root or `setcap cap_net_admin+ep "
                + javaPath() + "`";
    }

    private static String javaPath() {
        return ProcessHandle.current().info().command().orElse("<path to java>");
    }
}
