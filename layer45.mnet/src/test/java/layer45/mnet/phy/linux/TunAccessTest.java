package layer45.mnet.phy.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.opentest4j.TestAbortedException;

import layer45.mnet.testing.TestNamespace;
import layer45.mnet.testing.TunAccessProbe;

@Timeout(120)
class TunAccessTest {

    @Test
    void answersNullOrOneLineAndKeepsTheAnswer() {
        String reason = TunAccess.unavailableReason();
        if (reason != null) {
            assertFalse(reason.isBlank());
            assertFalse(reason.contains("\n"), reason);
        }
        assertSame(reason, TunAccess.unavailableReason());
    }

    @Test
    void explainsAMissingTunDriver() {
        assertEquals("cannot create TUN device l45t%d: open /dev/net/tun failed: No such file or directory (ENOENT); "
                + "the kernel has no TUN driver loaded: load the tun module (modprobe tun); in a container, pass the "
                + "device in (--device /dev/net/tun)", TunException.openFailed("l45t%d", Errno.ENOENT).getMessage());
    }

    @Test
    void explainsMissingPrivilege() {
        TunException denied = TunException.createFailed("l45t%d", Errno.EPERM);
        assertEquals(Errno.EPERM, denied.errno());
        assertTrue(denied.getMessage().startsWith("cannot create TUN device l45t%d: Operation not permitted (EPERM); "
                + "the network stack needs root or CAP_NET_ADMIN: run as root or `setcap cap_net_admin+ep /"),
                denied.getMessage());
    }

    @Test
    void explainsACloneDeviceThisUserMayNotOpen() {
        String message = TunException.openFailed("tun0", Errno.EACCES).getMessage();
        assertTrue(message.startsWith("cannot create TUN device tun0: open /dev/net/tun failed: Permission denied "
                + "(EACCES); this user may not read and write /dev/net/tun: run as root, or make it "
                + "`chmod 0666 /dev/net/tun`"), message);
    }

    @Test
    void explainsANameInUse() {
        assertEquals("cannot create TUN device mnet0: Device or resource busy (EBUSY); another process holds a "
                + "device named mnet0: pick another name, or a pattern such as l45t%d",
                TunException.createFailed("mnet0", Errno.EBUSY).getMessage());
    }

    @Test
    void joinsLinesIntoOne() {
        assertEquals("first; second; third", TunAccess.oneLine("first\nsecond \r\n third\n"));
    }

    @Test
    void explainsDeniedNativeAccessAndSkipsFixtureTests() throws IOException {
        List<String> output = runProbe(List.of(), List.of("--illegal-native-access=deny"));
        assertTrue(output.get(0).startsWith("reason: cannot create a TUN device: native access is not "
                + "enabled for layer45.mnet: start java with --enable-native-access=ALL-UNNAMED"), output.get(0));
        assertTrue(output.get(1).startsWith("fixture: skipped: Assumption failed: needs a TUN device: cannot create "
                + "a TUN device: native access is not enabled"), output.get(1));
    }

    @Test
    void explainsMissingPrivilegeToAnUnprivilegedUserAndSkipsFixtureTests() throws IOException {
        TestNamespace.assumeRoot();
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/setpriv")), "needs setpriv (util-linux) to drop root");
        List<String> output = runProbe(
                List.of("/usr/bin/setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"),
                List.of("--enable-native-access=ALL-UNNAMED"));
        // /dev/net/tun is usually mode 0666 (then TUNSETIFF says EPERM); some hosts keep it 0600 (EACCES).
        assertTrue(output.get(0).matches("reason: cannot create a TUN device: .*\\((EPERM|EACCES)\\); .*"
                + "run as root.*"), output.get(0));
        assertTrue(output.get(1).startsWith("fixture: skipped: Assumption failed: needs a TUN device: cannot create "
                + "a TUN device: "), output.get(1));
    }

    /**
     * Runs {@link TunAccessProbe} in a new JVM from a copy of its class path that any user may read.
     *
     * @return its output lines
     */
    private static List<String> runProbe(List<String> prefix, List<String> jvmFlags) throws IOException {
        Path copy = Files.createTempDirectory("l45-probe-");
        try {
            List<String> classPath = new ArrayList<>();
            int n = 0;
            for (Class<?> type : List.of(TunAccess.class, TunAccessProbe.class, Assertions.class,
                    TestAbortedException.class, org.junit.platform.commons.util.Preconditions.class)) {
                Path source = location(type);
                Path target = copy.resolve("cp" + n++ + (Files.isDirectory(source) ? "" : ".jar"));
                copyTree(source, target);
                classPath.add(target.toString());
            }
            try (Stream<Path> paths = Files.walk(copy)) {
                for (Path path : paths.toList()) {
                    Files.setPosixFilePermissions(path,
                            PosixFilePermissions.fromString(Files.isDirectory(path) ? "rwxr-xr-x" : "rw-r--r--"));
                }
            }
            List<String> command = new ArrayList<>(prefix);
            command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            command.add("-XX:-UsePerfData");
            command.addAll(jvmFlags);
            command.addAll(List.of("-cp", String.join(":", classPath), TunAccessProbe.class.getName()));
            CommandResult result = CommandRunner.processes().run(command, Duration.ofSeconds(60));
            assertEquals(0, result.exitCode(), result::toString);
            List<String> lines = result.stdout().lines().toList();
            assertEquals(2, lines.size(), result::toString);
            return lines;
        } finally {
            try (Stream<Path> paths = Files.walk(copy)) {
                for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(path);
                }
            }
        }
    }

    private static Path location(Class<?> type) {
        try {
            return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void copyTree(Path source, Path target) throws IOException {
        try (Stream<Path> paths = Files.walk(source)) {
            paths.forEach(path -> {
                try {
                    Files.copy(path, target.resolve(source.relativize(path).toString()));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }
}
