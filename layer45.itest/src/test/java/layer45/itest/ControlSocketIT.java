package layer45.itest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import layer45.cli.ControlClient;
import layer45.cli.protocol.Frame;
import layer45.cli.protocol.FrameType;
import layer45.mnet.NamespaceRequest;
import layer45.mnet.NetStack;
import layer45.runtime.testing.RecordingNetStack;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.osgi.framework.Constants;

/**
 * The control socket of a real framework, used the way {@code ./layer45 exec} and {@code run} use it: with the
 * client's classes in this JVM, and as the client's own process ({@code layer45.cli.Main}).
 *
 * <p>The network stack is a fake registered by the test ({@link FakeStack}): the real attach is not built yet, and
 * the fake records what the commands ask of it. For that the system bundle shares {@code layer45.mnet} with the
 * framework (as {@code OsgiFixture} shares the API), and the stack's bundle is not installed. Where {@code exec}
 * must enter the namespace, the fake creates a real (empty) one with {@code ip netns add}, as root.
 */
class ControlSocketIT {

    private static OsgiFixture osgi;
    private static Path socket;
    private static final FakeStack STACK = new FakeStack();

    @BeforeAll
    static void boot() throws Exception {
        osgi = OsgiFixture.start(Map.of(Constants.FRAMEWORK_SYSTEMPACKAGES_EXTRA,
                OsgiFixture.SYSTEM_PACKAGES_EXTRA + ",layer45.mnet;version=1.4.0"));
        osgi.installAndStart(OsgiFixture.bundleDirectory().resolve("org.apache.felix.gogo.command.jar"));
        osgi.context().registerService(NetStack.class, STACK, null);
        socket = osgi.controlSocket();
        OsgiFixture.until("the control socket " + socket, () -> Files.exists(socket));
        OsgiFixture.await("the namespace commands", () -> {
            Reply netns = run("l45:netns");
            return netns.status() == 0 ? netns : null;
        });
    }

    @AfterAll
    static void stop() {
        if (osgi != null) {
            osgi.close();
            assertFalse(Files.exists(socket), "the socket is removed when the runtime stops");
        }
    }

    @BeforeEach
    void freshStack() {
        STACK.reset();
    }

    /** What one command line gave the client. */
    record Reply(int status, String out, String err) {
    }

    private static Reply run(String line) {
        try (ControlClient client = ControlClient.connect(socket)) {
            client.send(line, null);
            client.endInput();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            int status = client.copyTo(out, err);
            return new Reply(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new AssertionError("'" + line + "' over " + socket + ": " + e, e);
        }
    }

    /** @return how the stack records an attach */
    private static String attachCall(String namespace, boolean create, String... forwards) {
        return "attach " + new NamespaceRequest(namespace, create, List.of(forwards));
    }

    @Test
    void anOperatorsCommandRunsWithItsOutputAndStatus() {
        Reply lsmod = run("l45:lsmod");
        assertEquals(0, lsmod.status(), lsmod.toString());
        assertTrue(lsmod.out().startsWith("Module "), lsmod.out());
        assertTrue(lsmod.out().contains(OsgiFixture.CLIENT) && lsmod.out().contains(OsgiFixture.SERVER), lsmod.out());
        assertEquals("", lsmod.err());

        Reply help = run("help attach");
        assertEquals(0, help.status(), help.toString());
        assertTrue(help.out().startsWith("attach - wire a network namespace to the stack"), help.out());
    }

    @Test
    void aFailingCommandGivesStatus1AndItsMessage() {
        Reply modinfo = run("l45:modinfo no-such-module");
        assertEquals(new Reply(1, "", modinfo.err()), modinfo);
        assertTrue(modinfo.err().contains("no-such-module") && modinfo.err().endsWith("\n"), modinfo.err());

        Reply unknown = run("l45:no-such-command");
        assertEquals(1, unknown.status());
        assertTrue(unknown.err().contains("Command not found"), unknown.err());

        Reply usage = run("l45:attach");
        assertEquals(new Reply(1, "", "usage: attach [--create] [--forward SPEC]... [--hold] NAME, such as: attach"
                + " --create lab ('help attach' describes it)\n"), usage);
    }

    @Test
    void theSocketIsForTheRuntimesUserOnly() throws IOException {
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(socket)));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(socket.getParent())));
    }

    @Test
    void anAttachmentHeldByAClientLastsExactlyAsLongAsItsConnection() throws IOException {
        String namespace = TestNetns.name("hold");
        try (ControlClient client = ControlClient.connect(socket)) {
            client.send("l45:attach --hold --forward 'tcp:8080:80' '" + namespace + "'", null);
            Frame line = client.next();
            assertEquals(FrameType.STDOUT, line.type());
            assertEquals(namespace + " attached: link l45tun1, MTU 1500, namespace 10.45.1.2, stack 10.45.1.1/24\n",
                    line.text());
            assertEquals(List.of(attachCall(namespace, false, "tcp:8080:80")), STACK.calls);
            assertTrue(run("l45:netns").out().contains(namespace), "listed while held");
        } // the client disconnects without a word
        OsgiFixture.until("the runtime to detach " + namespace, () -> STACK.calls.contains("detach " + namespace));
        assertEquals(List.of(attachCall(namespace, false, "tcp:8080:80"), "detach " + namespace), STACK.calls);
        assertTrue(run("l45:netns").out().endsWith("(none)\n"), "gone from the list");
    }

    @Test
    void execRunsTheCommandInTheNamespaceAndEndsWithItsStatus() throws Exception {
        Assumptions.assumeTrue(TestNetns.privileged(), "skipped: exec needs root (ip netns exec)");
        String namespace = TestNetns.name("exec");
        try {
            CliProcess exec = CliProcess.run(List.of(), "exec", "--netns", namespace, "--socket", socket.toString(),
                    "--", "sh", "-c", "ip netns identify; echo to stderr >&2; exit 7");
            assertEquals(7, exec.status(), exec.toString());
            assertEquals(namespace + "\n", exec.out(), "ran inside the namespace");
            assertEquals("layer45: " + namespace + " attached: link l45tun1, MTU 1500, namespace 10.45.1.2, stack"
                    + " 10.45.1.1/24\nto stderr\n", exec.err());
            assertEquals(List.of(attachCall(namespace, true), "detach " + namespace), STACK.calls,
                    "detached before the client exits");
            assertFalse(TestNetns.exists(namespace));

            CliProcess killed = CliProcess.run(List.of(), "exec", "--netns", namespace, "--socket",
                    socket.toString(), "--", "sh", "-c", "kill -TERM $$");
            assertEquals(128 + 15, killed.status(), "128 + SIGTERM: " + killed);
        } finally {
            TestNetns.deleteIfLeft(namespace);
        }
    }

    @Test
    void execPassesTermAndIntOnToTheCommandAndWaitsForIt() throws Exception {
        Assumptions.assumeTrue(TestNetns.privileged(), "skipped: exec needs root (ip netns exec)");
        String namespace = TestNetns.name("signals");
        Path work = Files.createTempDirectory("layer45-exec-signals");
        try {
            for (String signal : List.of("TERM", "INT")) {
                Path ready = work.resolve(signal + ".ready");
                Path out = work.resolve(signal + ".out");
                Path err = work.resolve(signal + ".err");
                // The command says how it ended: the signal reached it, and the client waited for its status.
                Process client = CliProcess.start(List.of(), CliProcess.classPath(), out, err, "exec", "--netns",
                        namespace, "--socket", socket.toString(), "--", "sh", "-c", "trap 'echo got SIG" + signal
                                + "; exit 42' " + signal + "; touch " + ready + "; while :; do sleep 0.05; done");
                OsgiFixture.until("the command to run", () -> Files.exists(ready));
                new ProcessBuilder("kill", "-s", signal, Long.toString(client.pid())).start().waitFor();
                CliProcess ended = CliProcess.finish(client, out, err);
                assertEquals(new CliProcess(42, "got SIG" + signal + "\n", ended.err()), ended);
                assertEquals(List.of(attachCall(namespace, true), "detach " + namespace), STACK.calls);
                STACK.calls.clear();
            }
        } finally {
            TestNetns.deleteIfLeft(namespace);
            OsgiFixture.delete(work);
        }
    }

    @Test
    void execSaysWhyTheRuntimeRefusedToAttach() throws Exception {
        Assumptions.assumeTrue(TestNetns.privileged(), "skipped: exec needs root (ip netns exec)");
        STACK.refusal = "forward tcp:80:80: host port 80 is taken; choose another";
        String namespace = TestNetns.name("refused");
        CliProcess exec = CliProcess.run(List.of(), "exec", "--netns", namespace, "--forward", "tcp:80:80",
                "--socket", socket.toString(), "--", "true");
        assertEquals(new CliProcess(125, "", "layer45: the runtime refused to attach " + namespace + ": forward"
                + " tcp:80:80: host port 80 is taken; choose another\n"), exec);
    }

    @Test
    void execAndRunSayWhenNoRuntimeListens() throws Exception {
        Path nowhere = socket.resolveSibling("nobody-here.sock");
        CliProcess run = CliProcess.run(List.of(), "run", "--socket", nowhere.toString(), "l45:lsmod");
        assertEquals(3, run.status(), "3: no runtime is running (the README's exit statuses)");
        assertTrue(run.err().startsWith("layer45: no layer45 runtime is listening on " + nowhere + "; start one with"
                + " `sudo ./layer45 start`"), run.err());
    }

    @Test
    void anotherUserCannotConnect() throws Exception {
        boolean setpriv = Files.isExecutable(Path.of("/usr/bin/setpriv"));
        boolean runuser = Files.isExecutable(Path.of("/usr/sbin/runuser")) || Files.isExecutable(Path.of("/sbin/runuser"));
        Assumptions.assumeTrue(TestNetns.privileged() && (setpriv || runuser),
                "skipped: needs root and setpriv or runuser (util-linux) to run the client as nobody");
        List<String> asNobody = setpriv ? List.of("/usr/bin/setpriv", "--reuid=65534", "--regid=65534",
                "--clear-groups") : List.of("runuser", "-u", "nobody", "--");
        Path classes = Files.createTempDirectory("layer45-cli-classes");
        Path storage = socket.getParent().getParent();
        Set<PosixFilePermission> storageMode = Files.getPosixFilePermissions(storage);
        try {
            Path classPath = readableCopy(CliProcess.classPath(), classes);
            // Only the socket's folder and the socket itself stand in the way: nobody may walk up to them.
            Files.setPosixFilePermissions(storage, PosixFilePermissions.fromString("rwxr-xr-x"));
            CliProcess denied = CliProcess.run(asNobody, classPath, "run", "--socket", socket.toString(), "l45:lsmod");
            assertEquals(4, denied.status(), "4: permission denied on the socket " + denied);
            assertTrue(denied.err().startsWith("layer45: permission denied on " + socket), denied.err());

            // With the folder open to all, the socket's own mode (0600) still keeps them out.
            Files.setPosixFilePermissions(socket.getParent(), PosixFilePermissions.fromString("rwxr-xr-x"));
            CliProcess stillDenied = CliProcess.run(asNobody, classPath, "run", "--socket", socket.toString(),
                    "l45:lsmod");
            assertEquals(denied, stillDenied);

            CliProcess exec = CliProcess.run(asNobody, classPath, "exec", "--socket", socket.toString(), "--",
                    "true");
            assertEquals(125, exec.status());
            assertTrue(exec.err().startsWith("layer45: exec needs root"), exec.err());
        } finally {
            Files.setPosixFilePermissions(socket.getParent(), PosixFilePermissions.fromString("rwx------"));
            Files.setPosixFilePermissions(storage, storageMode);
            OsgiFixture.delete(classes);
        }
    }

    /** Copies the client's jar or classes folder where any user can read it. */
    private static Path readableCopy(Path classPath, Path into) throws IOException {
        Files.setPosixFilePermissions(into, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path copy = into.resolve(classPath.getFileName());
        List<Path> sources;
        try (Stream<Path> walk = Files.walk(classPath)) {
            sources = walk.sorted(Comparator.naturalOrder()).toList();
        }
        for (Path source : sources) {
            Path target = copy.resolve(classPath.relativize(source).toString());
            if (Files.isDirectory(source)) {
                Files.createDirectories(target);
                Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rwxr-xr-x"));
            } else {
                Files.copy(source, target);
                Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rw-r--r--"));
            }
        }
        return copy;
    }

    /**
     * The recording stack of the runtime's tests which, for a namespace it is asked to create, creates a real empty
     * one (so {@code ip netns exec} can enter it) and deletes it at detach.
     */
    static final class FakeStack extends RecordingNetStack {
        private final List<String> created = new CopyOnWriteArrayList<>();

        @Override
        protected void attached(NamespaceRequest request) {
            if (request.create()) {
                ip("add", request.name());
                created.add(request.name());
            }
        }

        @Override
        protected void detached(String namespace) {
            if (created.remove(namespace)) {
                ip("del", namespace);
            }
        }

        private static void ip(String verb, String namespace) {
            try {
                Process ip = new ProcessBuilder("ip", "netns", verb, namespace).redirectErrorStream(true).start();
                String said = new String(ip.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                if (!ip.waitFor(10, TimeUnit.SECONDS) || ip.exitValue() != 0) {
                    throw new IllegalStateException("ip netns " + verb + " " + namespace + " failed: " + said);
                }
            } catch (IOException e) {
                throw new IllegalStateException("cannot run ip netns " + verb + ": " + e, e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted: ip netns " + verb + " " + namespace, e);
            }
        }
    }
}
