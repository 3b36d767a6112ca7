package layer45.runtime.control;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The control socket's file: bound owner-only, replacing a stale file but never a live runtime's, and removed only
 * while it is still the one this runtime bound.
 */
final class SocketFile {

    /** The file type bits of {@code unix:mode}, and those of a socket. */
    private static final int TYPE_MASK = 0170000;
    private static final int SOCKET = 0140000;

    private static final AtomicLong BINDS = new AtomicLong();

    private final Path path;
    private final ServerSocketChannel channel;
    private final Object fileKey;

    private SocketFile(Path path, ServerSocketChannel channel, Object fileKey) {
        this.path = path;
        this.channel = channel;
        this.fileKey = fileKey;
    }

    /**
     * Binds the socket: its folder is created 0700 if missing; the socket is bound in a private folder beside the
     * path, made 0600 and renamed into place, so nobody else can connect even for a moment.
     *
     * @param path where the socket goes, absolute
     * @return the bound socket
     * @throws IOException saying why not: another runtime answers there, the path is something else, or the
     *         system refused
     */
    static SocketFile bind(Path path) throws IOException {
        Path folder = Objects.requireNonNull(path.getParent(), "the socket's folder");
        if (!Files.isDirectory(folder)) {
            Files.createDirectories(folder, PosixFilePermissions.asFileAttribute(
                    PosixFilePermissions.fromString("rwx------")));
        }
        checkReplaceable(path);
        // Short (a socket's path is limited) and unique to this bind, also between runtimes in one JVM (tests).
        Path staging = folder.resolve(".l45-" + ProcessHandle.current().pid() + "-" + BINDS.incrementAndGet());
        deleteStaging(staging);
        Files.createDirectory(staging, PosixFilePermissions.asFileAttribute(
                PosixFilePermissions.fromString("rwx------")));
        ServerSocketChannel channel = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            Path bound = staging.resolve("s");
            channel.bind(UnixDomainSocketAddress.of(bound), 64);
            Files.setPosixFilePermissions(bound, PosixFilePermissions.fromString("rw-------"));
            Files.move(bound, path, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            return new SocketFile(path, channel, key(path));
        } catch (IOException | RuntimeException e) {
            channel.close();
            String hint = String.valueOf(e.getMessage()).contains("too long")
                    ? " (a Unix socket's path has at most 107 bytes: set control.socket to a shorter one)" : "";
            throw new IOException("cannot bind the control socket " + path + ": " + e.getMessage() + hint, e);
        } finally {
            deleteStaging(staging);
        }
    }

    /** Refuses a path that is not a socket, or a socket another runtime still answers on. */
    private static void checkReplaceable(Path path) throws IOException {
        if (!Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        int mode = (Integer) Files.getAttribute(path, "unix:mode", LinkOption.NOFOLLOW_LINKS);
        if ((mode & TYPE_MASK) != SOCKET) {
            throw new IOException(path + " exists and is not a socket; remove it, or set control.socket to another"
                    + " path");
        }
        try (SocketChannel probe = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            probe.connect(UnixDomainSocketAddress.of(path));
        } catch (IOException e) {
            if (String.valueOf(e.getMessage()).contains("Connection refused")) {
                return; // nobody listens: a runtime that died left it, replace it
            }
            throw new IOException("cannot tell whether another runtime listens on " + path + ": " + e.getMessage()
                    + "; remove the file if none does", e);
        }
        throw new IOException("another layer45 runtime is listening on " + path + "; stop it first (stop 0 in its"
                + " shell), or give this one another socket with --set control.socket=PATH");
    }

    private static Object key(Path path) throws IOException {
        return Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).fileKey();
    }

    private static void deleteStaging(Path staging) throws IOException {
        Files.deleteIfExists(staging.resolve("s"));
        Files.deleteIfExists(staging);
    }

    /** @return the socket's path */
    Path path() {
        return path;
    }

    /** @return the listening channel */
    ServerSocketChannel channel() {
        return channel;
    }

    /** Stops listening, and removes the file if it is still the one bound here. */
    void close() throws IOException {
        channel.close();
        try {
            if (Objects.equals(key(path), fileKey)) {
                Files.deleteIfExists(path);
            }
        } catch (java.nio.file.NoSuchFileException e) {
            // removed already
        }
    }
}
