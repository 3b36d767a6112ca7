package layer45.mnet.owner;

import java.util.Locale;
import java.util.Set;

/**
 * The system calls a thread blocks in on a socket, by number, for the machine's architecture (they differ:
 * {@code arch/x86/entry/syscalls/syscall_64.tbl}, and the generic table arm64 uses,
 * {@code include/uapi/asm-generic/unistd.h}).
 *
 * @param architecture the architecture's name as the JVM reports it
 * @param onDescriptor calls whose first argument is the socket's descriptor: connect, accept, accept4, sendto,
 *        recvfrom, sendmsg, recvmsg, sendmmsg, recvmmsg, read, write, readv, writev, sendfile (its output), shutdown
 * @param epollWait calls whose first argument is an epoll instance: epoll_wait, epoll_pwait, epoll_pwait2
 */
record Syscalls(String architecture, Set<Integer> onDescriptor, Set<Integer> epollWait) {

    static final Syscalls X86_64 = new Syscalls("x86_64",
            Set.of(42, 43, 288, 44, 45, 46, 47, 307, 299, 0, 1, 19, 20, 40, 48), Set.of(232, 281, 441));
    static final Syscalls AARCH64 = new Syscalls("aarch64",
            Set.of(203, 202, 242, 206, 207, 211, 212, 269, 243, 63, 64, 65, 66, 71, 210), Set.of(22, 441));

    /** @return the table of this JVM's architecture, or {@code null} for one not known here */
    static Syscalls forThisMachine() {
        return forArchitecture(System.getProperty("os.arch", ""));
    }

    /** @return the table of an architecture ({@code os.arch}), or {@code null} for one not known here */
    static Syscalls forArchitecture(String osArch) {
        return switch (osArch.toLowerCase(Locale.ROOT)) {
            case "amd64", "x86_64" -> X86_64;
            case "aarch64", "arm64" -> AARCH64;
            default -> null;
        };
    }
}
