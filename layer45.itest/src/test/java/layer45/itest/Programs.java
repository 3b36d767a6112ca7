package layer45.itest;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Unmodified programs as the end-to-end tests run them, on the host or in a network namespace, always under
 * {@code timeout(1)}: where the Debian packages put them, waiting for a server to listen, and the files they
 * serve and download (pseudo-random, compared by SHA-256).
 */
final class Programs {

    /** How often {@link #awaitListening} asks ss, 100 ms apart: 10 s. */
    private static final int LISTEN_ATTEMPTS = 100;

    private Programs() {
    }

    /** @return the program's path in the directories the Debian packages install to, or {@code null} */
    static String tool(String name) {
        for (String directory : List.of("/usr/bin", "/usr/sbin", "/bin", "/sbin")) {
            Path path = Path.of(directory, name);
            if (Files.isExecutable(path)) {
                return path.toString();
            }
        }
        return null;
    }

    /** Runs a program on the host to its end, killed after {@code seconds}. */
    static ProcessResult onHost(long seconds, String... command) throws IOException, InterruptedException {
        return ProcessResult.run(seconds + 10,
                withPrefix(List.of("timeout", "--kill-after=2", Long.toString(seconds)), command));
    }

    /** Runs a program in a network namespace ({@code ip netns exec}) to its end, killed after {@code seconds}. */
    static ProcessResult inNamespace(String namespace, long seconds, String... command)
            throws IOException, InterruptedException {
        return onHost(seconds, withPrefix(List.of("ip", "netns", "exec", namespace), command));
    }

    /** @return the prefix followed by the command */
    static String[] withPrefix(List<String> prefix, String... command) {
        List<String> all = new ArrayList<>(prefix);
        all.addAll(List.of(command));
        return all.toArray(String[]::new);
    }

    /**
     * Waits until a server listens on a port (ss), on the host or in a namespace.
     *
     * @param namespace the namespace, or {@code null} for the host
     * @throws AssertionError if it does not within 10 s, or ends
     */
    static void awaitListening(String namespace, String protocol, int port, BackgroundProgram server)
            throws IOException, InterruptedException {
        String[] ss = { "ss", "-Hln", protocol.equals("tcp") ? "-t" : "-u", "sport", "=", ":" + port };
        for (int attempt = 0; attempt < LISTEN_ATTEMPTS; attempt++) {
            ProcessResult listening = namespace == null ? onHost(5, ss) : inNamespace(namespace, 5, ss);
            if (!listening.stdout().isBlank()) {
                return;
            }
            if (!server.isAlive()) {
                break;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("nothing listens on " + protocol + " port " + port
                + (namespace == null ? " on the host" : " in " + namespace) + "\n" + server.output());
    }

    /**
     * A dnsmasq answering one name by itself, on one address, logging its queries to standard error.
     *
     * @param address where it listens
     * @param port its port
     * @param name the name it answers
     * @param nameAddress the IPv4 address it answers with
     * @return its command line
     */
    static String[] dnsmasq(String address, int port, String name, String nameAddress) {
        return new String[] { tool("dnsmasq"), "--keep-in-foreground", "--conf-file=/dev/null", "--no-resolv",
                "--no-hosts", "--bind-interfaces", "--listen-address=" + address, "--port=" + port,
                "--address=/" + name + "/" + nameAddress, "--pid-file", "--log-queries", "--log-facility=-" };
    }

    /** Writes pseudo-random bytes, the same for the same size. @return their SHA-256 */
    static String randomFile(Path file, long size) throws IOException {
        SplittableRandom random = new SplittableRandom(size);
        byte[] block = new byte[1 << 20];
        MessageDigest digest = sha256Digest();
        try (OutputStream out = new DigestOutputStream(Files.newOutputStream(file), digest)) {
            for (long left = size; left > 0; left -= block.length) {
                random.nextBytes(block);
                out.write(block, 0, (int) Math.min(block.length, left));
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    /** @return the file's SHA-256, in hex */
    static String sha256(Path file) throws IOException {
        MessageDigest digest = sha256Digest();
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), digest)) {
            in.transferTo(OutputStream.nullOutputStream());
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    static MessageDigest sha256Digest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
