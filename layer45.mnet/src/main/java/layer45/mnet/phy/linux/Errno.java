package layer45.mnet.phy.linux;

/**
 * Names of the Linux {@code errno} values this package reacts to or reports. The numbers are the generic ones of
 * {@code include/uapi/asm-generic/errno-base.h} and {@code errno.h}, shared by x86-64 and arm64.
 */
public final class Errno {

    /** Operation not permitted: the process lacks a capability ({@code CAP_NET_ADMIN}). */
    public static final int EPERM = 1;
    /** No such file or directory. */
    public static final int ENOENT = 2;
    /** Interrupted system call. */
    public static final int EINTR = 4;
    /** I/O error. */
    public static final int EIO = 5;
    /** No such device or address. */
    public static final int ENXIO = 6;
    /** Bad file descriptor. */
    public static final int EBADF = 9;
    /** Resource temporarily unavailable: a non-blocking call would block. */
    public static final int EAGAIN = 11;
    /** Out of memory. */
    public static final int ENOMEM = 12;
    /** Permission denied: file mode bits forbid the access. */
    public static final int EACCES = 13;
    /** Bad address. */
    public static final int EFAULT = 14;
    /** Device or resource busy. */
    public static final int EBUSY = 16;
    /** File exists. */
    public static final int EEXIST = 17;
    /** No such device. */
    public static final int ENODEV = 19;
    /** Invalid argument. */
    public static final int EINVAL = 22;
    /** Too many open files in the system. */
    public static final int ENFILE = 23;
    /** Too many open files in this process. */
    public static final int EMFILE = 24;
    /** File descriptor in bad state (a TUN file descriptor whose device is gone). */
    public static final int EBADFD = 77;
    /** Message too long. */
    public static final int EMSGSIZE = 90;
    /** Operation not supported. */
    public static final int EOPNOTSUPP = 95;
    /** No buffer space available. */
    public static final int ENOBUFS = 105;
    /** Stale file handle: a sock_diag cookie that names no socket any more. */
    public static final int ESTALE = 116;

    private Errno() {
    }

    /**
     * @param errno an {@code errno} value
     * @return its symbolic name ({@code EPERM}), or {@code errno 123} for a value not named here
     */
    public static String name(int errno) {
        return switch (errno) {
            case EPERM -> "EPERM";
            case ENOENT -> "ENOENT";
            case EINTR -> "EINTR";
            case EIO -> "EIO";
            case ENXIO -> "ENXIO";
            case EBADF -> "EBADF";
            case EAGAIN -> "EAGAIN";
            case ENOMEM -> "ENOMEM";
            case EACCES -> "EACCES";
            case EFAULT -> "EFAULT";
            case EBUSY -> "EBUSY";
            case EEXIST -> "EEXIST";
            case ENODEV -> "ENODEV";
            case EINVAL -> "EINVAL";
            case ENFILE -> "ENFILE";
            case EMFILE -> "EMFILE";
            case EBADFD -> "EBADFD";
            case EMSGSIZE -> "EMSGSIZE";
            case EOPNOTSUPP -> "EOPNOTSUPP";
            case ENOBUFS -> "ENOBUFS";
            case ESTALE -> "ESTALE";
            default -> "errno " + errno;
        };
    }

    /**
     * @param errno an {@code errno} value
     * @return the C library's message and the name, as operators know them: {@code Operation not permitted (EPERM)}
     */
    public static String describe(int errno) {
        return Libc.strerror(errno) + " (" + name(errno) + ")";
    }
}
