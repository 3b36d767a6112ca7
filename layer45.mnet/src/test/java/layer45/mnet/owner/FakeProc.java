package layer45.mnet.owner;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A directory laid out like {@code /proc} for the lookup's tests: processes with a network namespace link, named
 * threads, descriptors linking to sockets, blocked system calls and epoll instances.
 */
final class FakeProc {

    /** The namespace the tests search. */
    static final long NAMESPACE = 4026532000L;
    /** Another one. */
    static final long ELSEWHERE = 4026531840L;

    final Path root;

    FakeProc(Path root) {
        this.root = root;
    }

    /** Adds a process with one thread (its leader), named {@code name}. */
    FakeProc process(int pid, long namespace, String name) {
        link(root.resolve(pid + "/ns/net"), "net:[" + namespace + "]");
        write(root.resolve(pid + "/comm"), name + "\n");
        directory(root.resolve(pid + "/fd"));
        directory(root.resolve(pid + "/fdinfo"));
        return thread(pid, pid, name, "running\n");
    }

    /** Adds a thread blocked in {@code syscall} (the file's text). */
    FakeProc thread(int pid, int tid, String name, String syscall) {
        write(root.resolve(pid + "/task/" + tid + "/comm"), name + "\n");
        write(root.resolve(pid + "/task/" + tid + "/syscall"), syscall);
        return this;
    }

    /** Gives a process a descriptor of a socket. */
    FakeProc socket(int pid, int fd, long inode) {
        link(root.resolve(pid + "/fd/" + fd), "socket:[" + inode + "]");
        return this;
    }

    /** Gives a process a descriptor of something else. */
    FakeProc file(int pid, int fd, String target) {
        link(root.resolve(pid + "/fd/" + fd), target);
        return this;
    }

    /** Gives a process an epoll instance at {@code epfd} with this fdinfo text. */
    FakeProc epoll(int pid, int epfd, String fdinfo) {
        link(root.resolve(pid + "/fd/" + epfd), "anon_inode:[eventpoll]");
        write(root.resolve(pid + "/fdinfo/" + epfd), fdinfo);
        return this;
    }

    /** Removes a process and everything under it (it exited); its pid may be given to another one after. */
    FakeProc exit(int pid) {
        try (var paths = Files.walk(root.resolve(Integer.toString(pid)))) {
            for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    /** Removes a descriptor (closed). */
    FakeProc close(int pid, int fd) {
        try {
            Files.delete(root.resolve(pid + "/fd/" + fd));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    /** @return a syscall line: the number, the first argument, five zeros, stack pointer and program counter */
    static String blockedIn(int number, int firstArgument) {
        return number + " 0x" + Integer.toHexString(firstArgument) + " 0x7ffd0 0x1000 0x0 0x0 0x0 0x7ffc8 0x7f12\n";
    }

    private static void link(Path link, String target) {
        try {
            Files.createDirectories(link.getParent());
            Files.createSymbolicLink(link, Path.of(target));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void write(Path file, String text) {
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void directory(Path directory) {
        try {
            Files.createDirectories(directory);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
