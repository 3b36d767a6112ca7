package layer45.itest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The quick start's {@code ./layer45 start}, as a user runs it: the runnable jar exported from
 * {@code cnf/layer45.bndrun} starts as its own process with the real assembly (the API as a bundle), answers Gogo
 * commands on standard input, and shuts down cleanly on {@code stop 0} or at the end of its input (Ctrl-D).
 *
 * <p>{@link #anOperatorManagesModulesFromTheConsole} is the end-to-end test: the process is started the way
 * {@code ./layer45 start} starts it (the script's JVM flags, read from the script itself, and its
 * {@code -Dlayer45.*} properties, with a temporary home, autoload folder and framework storage and the checked-in
 * configuration file), and an operator's session is typed into it one command at a time; each command is followed
 * by {@code echo '==done-N=='}, so the test knows where its output ends before it sends the next. The session's
 * transcript is kept in {@code target/launch-transcript.txt}.
 */
class LaunchIT {

    private static final long TIMEOUT_SECONDS = RuntimeConsole.TIMEOUT_SECONDS;
    private static final Path TRANSCRIPTS = Path.of("target", "launch-transcript.txt");

    @BeforeAll
    static void freshTranscript() throws IOException {
        Files.deleteIfExists(TRANSCRIPTS);
    }

    @Test
    void theRunnableJarStartsEveryBundleAndTheRuntimeAndStopsCleanly() throws Exception {
        Path jar = Path.of(System.getProperty("layer45.it.runtimeJar"));
        assertTrue(Files.isRegularFile(jar), "cnf exported " + jar);
        Path work = Files.createTempDirectory("layer45-launch");
        Path socket = work.resolve("control").resolve("layer45.sock");
        String namespace = TestNetns.name("bare jar");
        Process process = null;
        try {
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            process = new ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED",
                    "--sun-misc-unsafe-memory-access=deny", "--add-opens=java.base/java.net=ALL-UNNAMED",
                    "-Djava.util.logging.SimpleFormatter.format=%1$tF %1$tT %4$-7s %3$s: %5$s%6$s%n",
                    "-Dlayer45.net.netns=" + namespace, "-Dlayer45.control.socket=" + socket, "-jar",
                    jar.toString()).directory(work.toFile()).redirectErrorStream(true).start();
            List<String> output = new ArrayList<>();
            Thread reader = drain(process, output);
            try (OutputStream stdin = process.getOutputStream()) {
                waitFor(output, "Welcome to Apache Felix Gogo"); // the prompt itself ends no line
                waitFor(output, "layer45: network stack "); // on, or off with the reason
                command(stdin, "lb");
                waitFor(output, "JLine Bundle");
                command(stdin, "scr:list");
                waitFor(output, "layer45.runtime.osgi.RuntimeComponent");
                waitFor(output, "layer45: control socket " + socket);
                CliProcess lsmod = CliProcess.run(List.of(), "run", "--socket", socket.toString(), "l45:lsmod");
                assertEquals(0, lsmod.status(), "the client runs a command in the real assembly: " + lsmod);
                assertTrue(lsmod.out().startsWith("Module "), lsmod.toString());
                command(stdin, "stop 0");
            }
            assertTrue(process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS), "stop 0 ends the process");
            reader.join(10_000);
            String all = String.join("\n", snapshot(output));
            // bnd's launcher reports a framework stopped on request as STOPPED (117); ./layer45 start maps it to 0.
            assertEquals(117, process.exitValue(), all);
            assertTrue(all.contains("layer45 runtime started"), all);
            assertTrue(all.contains("layer45 runtime stopped"), "stopped cleanly: " + all);
            Matcher bundles = Pattern.compile("(?m)^\\s*\\d+\\|(\\w+)\\s*\\|\\s*\\d+\\|([^|]*)\\|").matcher(all);
            int count = 0;
            while (bundles.find()) {
                // Paho's MQTT client has a lazy activation policy: started, it waits for the agent's first use
                boolean lazy = bundles.group(2).startsWith("org.eclipse.paho.client.mqttv3 ");
                assertEquals(lazy ? "Starting" : "Active", bundles.group(1), all);
                count++;
            }
            assertEquals(1 + runBundles(jar), count, "the system bundle and every resolved bundle: " + all);
            assertTrue(all.contains("layer45 customization API"), "the API is a bundle of its own: " + all);
            assertTrue(Pattern.compile("RuntimeComponent in bundle \\d+ \\(layer45.runtime[^)]*\\) enabled, 1 instance")
                    .matcher(all).find(), all);
            assertTrue(all.contains("State:ACTIVE"), all);
            assertFalse(Files.exists(socket), "the control socket is removed at stop");
            if (TestNetns.privileged()) {
                assertTrue(all.contains("layer45: network stack on l45tun0 in netns " + namespace), all);
                assertFalse(TestNetns.exists(namespace), "the runtime deleted the namespace it created");
            } else {
                assertTrue(all.contains("layer45: network stack off: "), all);
            }
        } finally {
            if (process != null && process.isAlive()) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
            TestNetns.deleteIfLeft(namespace);
            try (Stream<Path> files = Files.walk(work)) {
                for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    @Test
    void withoutThePrivilegeTheRuntimeStartsAndSaysInOneLineWhyTheStackIsOff() throws Exception {
        Assumptions.assumeTrue(TestNetns.privileged() && Files.isExecutable(Path.of("/usr/bin/setpriv")),
                "needs root to start the runtime as an unprivileged user (setpriv)");
        Path jar = Path.of(System.getProperty("layer45.it.runtimeJar"));
        Path work = Files.createTempDirectory("layer45-nobody");
        Process process = null;
        try {
            Files.setPosixFilePermissions(work, java.nio.file.attribute.PosixFilePermissions.fromString("rwxrwxrwx"));
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            process = new ProcessBuilder("/usr/bin/setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", java,
                    "--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=deny",
                    "--add-opens=java.base/java.net=ALL-UNNAMED",
                    "-Djava.util.logging.SimpleFormatter.format=%1$tF %1$tT %4$-7s %3$s: %5$s%6$s%n",
                    "-Dlayer45.home=" + work, "-Duser.home=" + work,
                    "-Dlayer45.control.socket=" + work.resolve("layer45.sock"),
                    "-Dorg.osgi.framework.storage=" + work.resolve("cache"),
                    "-Dlayer45.net.netns=" + TestNetns.name("nobody"), "-jar", jar.toString())
                    .directory(work.toFile()).redirectErrorStream(true).start();
            List<String> output = new ArrayList<>();
            Thread reader = drain(process, output);
            try (OutputStream stdin = process.getOutputStream()) {
                waitFor(output, "layer45: network stack off: ");
                command(stdin, "l45:ifconfig");
                waitFor(output, "network stack off: ", 2);
                command(stdin, "l45:lsmod");
                waitFor(output, "(none)");
                command(stdin, "stop 0");
            }
            assertTrue(process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS), "stop 0 ends the process");
            reader.join(10_000);
            List<String> off = snapshot(output).stream().filter(line -> line.contains("network stack off")).toList();
            assertEquals(2, off.size(), "the log line and the shell's answer: " + off);
            String line = off.get(0);
            // What happened (no TUN device for this user), why, and what to do.
            assertTrue(line.matches(".*WARNING layer45.mnet: layer45: network stack off: cannot create a TUN device.*"
                    + "\\((EACCES|EPERM)\\).*(root|CAP_NET_ADMIN).*"), line);
            assertTrue(snapshot(output).stream().anyMatch(l -> l.contains("layer45 runtime started")),
                    "the runtime runs anyway: " + String.join("\n", snapshot(output)));
        } finally {
            if (process != null && process.isAlive()) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
            OsgiFixture.delete(work);
        }
    }

    @Test
    void anOperatorManagesModulesFromTheConsole() throws Exception {
        Path jar = Path.of(System.getProperty("layer45.it.runtimeJar"));
        assertTrue(Files.isRegularFile(jar), "cnf exported " + jar);
        Path work = Files.createTempDirectory("layer45-e2e");
        Path echoTag = OsgiFixture.bundleDirectory().resolve("echo-tag.jar");
        String version;
        try (JarFile file = new JarFile(echoTag.toFile())) {
            version = file.getManifest().getMainAttributes().getValue("Bundle-Version");
        }
        String size = Long.toString(Files.size(echoTag));
        Path autoload = work.resolve("autoload");
        // the operator keeps the module in a folder of their own and types a path relative to where they are
        Path modules = Files.createDirectories(work.resolve("modules"));
        Files.copy(echoTag, modules.resolve("echo-tag.jar"));
        try (RuntimeConsole console = RuntimeConsole.start("an operator session", TRANSCRIPTS, jar, work,
                autoload)) {
            assertEquals("""
                    Module  Size  Used  Dependencies  State  Active  Priority  Version  Errors
                    (none)""", console.run("l45:lsmod"));

            assertEquals("""
                    echo-tag-client LIVE priority 5 target tcp,udp remote *:65432
                    echo-tag-server LIVE priority 5 target tcp,udp local *:65432""",
                    console.run("l45:insmod modules/echo-tag.jar priority=5"));

            GogoSession.Table lsmod = GogoSession.Table.parse(console.run("l45:lsmod"), "Size", "Used", "Priority");
            assertEquals(List.of("echo-tag-client", "echo-tag-server"), lsmod.column("Module"), lsmod.text());
            for (Map<String, String> row : lsmod.rows()) {
                assertEquals(size, row.get("Size"), lsmod.text());
                assertEquals("0", row.get("Used"), lsmod.text());
                assertEquals("layer45.api,org.apache.felix.scr,layer45.runtime", row.get("Dependencies"),
                        "the real assembly: the API is a bundle of its own; " + lsmod.text());
                assertEquals(List.of("LIVE", "yes", "5", version, "0"), List.of(row.get("State"), row.get("Active"),
                        row.get("Priority"), row.get("Version"), row.get("Errors")), lsmod.text());
            }

            String info = console.run("l45:modinfo echo-tag-client");
            Map<String, String> fields = GogoSession.modinfoFields(info);
            assertEquals("echo-tag-client", fields.get("name"), info);
            assertTrue(fields.get("bundle").matches("echo-tag " + Pattern.quote(version)
                    + " \\(id \\d+, \"layer45 echo tag\"\\)"), info);
            assertEquals(modules.resolve("echo-tag.jar").toRealPath() + " (insmod, " + size + " bytes)",
                    fields.get("source"), info);
            assertTrue(fields.get("sha256").matches("[0-9a-f]{64}"), info);
            assertEquals("layer45.api [1.1,2)", fields.get("requires"), info);
            assertEquals("LIVE, active, priority 5, used by 0 flows", fields.get("state"), info);
            assertEquals("tcp,udp remote *:65432", fields.get("target"), info);
            GogoSession.Table parameters = GogoSession.modinfoTable(info, "parameters:");
            assertEquals(List.of("5", "operator"), List.of(parameters.row("Parameter", "layer45.priority").get("Value"),
                    parameters.row("Parameter", "layer45.priority").get("Set by")), info);
            assertEquals("<start>", parameters.row("Parameter", "start.tag").get("Value"), info);

            assertEquals("echo-tag-client LIVE priority 9 target tcp,udp remote *:65432",
                    console.run("l45:param echo-tag-client priority=9"));
            assertEquals("echo-tag-client LIVE inactive priority 9 target tcp,udp remote *:65432",
                    console.run("l45:deactivate echo-tag-client"));
            assertEquals("echo-tag-client LIVE priority 9 target tcp,udp remote *:65432",
                    console.run("l45:activate echo-tag-client"));
            assertEquals("echo-tag-server DEPRECATED priority 5 target tcp,udp local *:65432",
                    console.run("l45:deprecate echo-tag-server"));

            // A second copy of the jar in the autoload folder: its modules' names are taken, so it is refused.
            Path hidden = autoload.resolve(".echo-tag-copy.jar.part");
            Files.copy(echoTag, hidden);
            Files.move(hidden, autoload.resolve("echo-tag-copy.jar"), StandardCopyOption.ATOMIC_MOVE);
            lsmod = console.runUntil("l45:lsmod", out -> out.contains("echo-tag-copy.jar"), "Size", "Used",
                    "Priority");
            assertEquals(List.of("echo-tag-client", "echo-tag-copy.jar", "echo-tag-server"), lsmod.column("Module"),
                    lsmod.text());
            Map<String, String> refused = lsmod.row("Module", "echo-tag-copy.jar");
            assertEquals(List.of(size, "-", "-", "REFUSED", "-", "-", version), List.of(refused.get("Size"),
                    refused.get("Used"), refused.get("Dependencies"), refused.get("State"), refused.get("Active"),
                    refused.get("Priority"), refused.get("Version")), lsmod.text());
            String reason = refused.get("Errors");
            assertTrue(reason.startsWith("its customizations were refused: "), lsmod.text());
            for (String module : List.of("echo-tag-client", "echo-tag-server")) {
                assertTrue(Pattern.compile(module + ": a module named '" + module + "' is already loaded from echo-tag "
                        + Pattern.quote(version) + " \\[\\d+\\]; give the component another name or unload the other"
                        + " one first").matcher(reason).find(), lsmod.text());
            }
            assertEquals(List.of("LIVE", "9"), List.of(lsmod.row("Module", "echo-tag-client").get("State"),
                    lsmod.row("Module", "echo-tag-client").get("Priority")), "undisturbed: " + lsmod.text());
            assertEquals(List.of("DEPRECATED", "5"), List.of(lsmod.row("Module", "echo-tag-server").get("State"),
                    lsmod.row("Module", "echo-tag-server").get("Priority")), "undisturbed: " + lsmod.text());

            assertEquals("echo-tag-client unloaded", console.run("l45:rmmod echo-tag-client"));
            lsmod = GogoSession.Table.parse(console.run("l45:lsmod"), "Size", "Used", "Priority");
            assertEquals(List.of("echo-tag-copy.jar", "echo-tag-server"), lsmod.column("Module"), lsmod.text());

            String stats = console.run("l45:stats");
            String[] parts = stats.split("\n\n");
            assertEquals(3, parts.length, stats);
            Map<String, String> counters = new LinkedHashMap<>();
            GogoSession.Table.parse(parts[0], "Value").rows().forEach(r -> counters.put(r.get("Counter"),
                    r.get("Value")));
            assertEquals("1", counters.get("modules"), stats);
            assertEquals("0", counters.get("open flows"), stats);
            assertEquals("0", counters.get("flows opened"), stats);
            assertEquals("""
                    Setting         Value
                    max.chain       5
                    call.budget.ms  1000
                    fault.budget    10
                    fault.window.s  60
                    output.limit    1048576
                    hold.limit      262144""", parts[1], "the values of conf/layer45.conf");
            assertTrue(parts[2].startsWith("autoload folder: " + autoload + "\ntainted: U (unsigned echo-tag.jar"
                    + " loaded at "), "the unsigned jar taints the runtime (modules.signature = allow-unsigned): "
                    + parts[2]);

            assertEquals("java.lang.IllegalArgumentException: priority is a number from 0 to 65535, lower runs first,"
                    + " not 'high': priority echo-tag-server 10", console.run("l45:priority echo-tag-server high"));

            String help = console.run("help l45:rmmod").strip(); // Gogo starts it with a blank line
            assertTrue(help.startsWith("rmmod - unload modules, every version of each; refused while flows use them,"
                    + " unless forced"), help);
            assertTrue(help.contains("-f, --force   force: detach them from the flows using them, which go on"
                    + " uncustomized"), help);

            console.send("stop 0");
            // bnd's launcher reports a framework stopped on request as STOPPED (117); ./layer45 start maps it to 0.
            assertEquals(117, console.awaitExit(), console.transcript());
            console.assertStoppedCleanly();
        } finally {
            OsgiFixture.delete(work);
        }
    }

    @Test
    void unmodifiedProgramsUdpAndTcpFlowsAreCustomizedByALoadedModule() throws Exception {
        Assumptions.assumeTrue(TestNetns.privileged(), "needs root and /dev/net/tun for the stack's TUN link");
        Path jar = Path.of(System.getProperty("layer45.it.runtimeJar"));
        Path work = Files.createTempDirectory("layer45-e2e");
        Path modules = Files.createDirectories(work.resolve("modules"));
        Files.copy(OsgiFixture.bundleDirectory().resolve("echo-tag.jar"), modules.resolve("echo-tag.jar"));
        // The stack's echo service on the echo tag's port: the client module wraps what nc sends, the echo
        // service in the stack sends the frame back, and the module unwraps it for nc.
        try (RuntimeConsole console = RuntimeConsole.start("udp customized", TRANSCRIPTS, jar, work,
                work.resolve("autoload"),
                "layer45.net.echo.port=65432")) {
            String namespace = console.namespace();
            String ifconfig = console.run("l45:ifconfig");
            GogoSession.Table link = GogoSession.Table.parse(ifconfig.split("\n\n")[0], "MTU");
            assertEquals(List.of("l45tun0", namespace, "65520", "10.45.0.1/24 fd45::1/64", "10.45.0.2/24 fd45::2/64",
                    "ipv4 ipv6"), List.copyOf(link.rows().get(0).values()), ifconfig);
            console.run("l45:insmod modules/echo-tag.jar");

            // An unmodified nc in the namespace: it gets its own bytes back.
            ProcessResult nc = ProcessResult.run("ip", "netns", "exec", namespace, "bash", "-c",
                    "echo 'hello layer45' | nc -u -w 1 10.45.0.1 65432");
            assertEquals("hello layer45\n", nc.stdout(), nc.toString());
            ProcessResult ping = ProcessResult.run("ip", "netns", "exec", namespace, "ping", "-c", "2", "-i", "0.2",
                    "-W", "2", "10.45.0.1");
            assertEquals(0, ping.exitCode(), ping.toString());

            // Between nc and the echo service the datagram carried the tags: 14 bytes sent became 26, and back.
            String sockets = console.run("l45:sockets");
            GogoSession.Table flows = GogoSession.Table.parse(sockets.substring(0, sockets.lastIndexOf('\n')), "ID",
                    "PID/TGID", "Send chunks/bytes", "Recv chunks/bytes");
            Map<String, String> flow = flows.row("Proto", "udp");
            assertTrue(flow.get("Local").startsWith("10.45.0.2:"), sockets);
            assertEquals(List.of("10.45.0.1:65432", "echo-tag-client", "1/14", "1/26"), List.of(flow.get("Remote"),
                    flow.get("Modules"), flow.get("Send chunks/bytes"), flow.get("Recv chunks/bytes")), sockets);
            GogoSession.Table lsmod = GogoSession.Table.parse(console.run("l45:lsmod"), "Size", "Used", "Priority");
            assertEquals("1", lsmod.row("Module", "echo-tag-client").get("Used"), lsmod.text());

            String netstat = console.run("l45:netstat");
            GogoSession.Table udp = GogoSession.Table.parse(netstat.split("\n\n")[1], "Flow", "From app", "To app",
                    "Idle (s)");
            Map<String, String> stackFlow = udp.row("Remote", "10.45.0.1:65432");
            assertEquals(List.of("udp/ipv4", flow.get("Local"), flow.get("ID"), "1", "1"), List.of(
                    stackFlow.get("Proto"), stackFlow.get("Local"), stackFlow.get("Flow"), stackFlow.get("From app"),
                    stackFlow.get("To app")), netstat);
            GogoSession.Table counters = GogoSession.Table.parse(netstat.split("\n\n")[0], "Value");
            assertEquals("2", counters.rows().stream().filter(r -> r.get("Layer").equals("icmpv4")
                    && r.get("Counter").equals("echo-answered")).findFirst().orElseThrow().get("Value"), netstat);

            // TCP too: nc's connection is terminated in the stack, and its bytes go through the same modules. nc
            // keeps it open for a while, so that the flow can be seen while it is open.
            Process tcpNc = new ProcessBuilder("ip", "netns", "exec", namespace, "bash", "-c",
                    "(echo 'hello layer45 over tcp'; sleep 3) | nc -N -w 5 10.45.0.1 65432").start();
            sockets = console.run("l45:sockets");
            for (int tries = 0; tries < 100 && !sockets.contains("1/35"); tries++) {
                Thread.sleep(100);
                sockets = console.run("l45:sockets");
            }
            flows = GogoSession.Table.parse(sockets.substring(0, sockets.lastIndexOf('\n')), "ID", "PID/TGID",
                    "Send chunks/bytes", "Recv chunks/bytes");
            Map<String, String> tcpFlow = flows.row("Proto", "tcp");
            assertEquals(List.of("10.45.0.1:65432", "echo-tag-client", "1/23", "1/35"), List.of(tcpFlow.get("Remote"),
                    tcpFlow.get("Modules"), tcpFlow.get("Send chunks/bytes"), tcpFlow.get("Recv chunks/bytes")), sockets);
            netstat = console.run("l45:netstat");
            GogoSession.Table tcp = GogoSession.Table.parse(netstat.split("\n\n")[2], "Flow", "From app", "To app",
                    "Send-Q", "Recv-Q", "Cwnd", "RTT (ms)");
            Map<String, String> connection = tcp.row("Remote", "10.45.0.1:65432");
            assertEquals(List.of("tcp/ipv4", tcpFlow.get("Local"), "23", "23"), List.of(connection.get("Proto"),
                    connection.get("Local"), connection.get("From app"), connection.get("To app")), netstat);
            assertTrue(tcpNc.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS), "nc ends once the stack finished the echo");
            assertEquals("hello layer45 over tcp\n", new String(tcpNc.getInputStream().readAllBytes()),
                    new String(tcpNc.getErrorStream().readAllBytes()));

            // A network protocol registered as an OSGi service: the TUN link carries only IPv4 and IPv6, so it is not
            // plugged in there, and the log and the counters say why (peer links carry it: PeerLinkProtocolIT).
            Path protocol = protocolBundle(work);
            String installed = console.run("install " + protocol.toUri());
            Matcher id = Pattern.compile("Bundle ID: (\\d+)").matcher(installed);
            assertTrue(id.find(), installed);
            console.run("start " + id.group(1));
            console.await(() -> console.transcript().contains("network protocol mnet-test not plugged into"),
                    "the protocol");
            assertTrue(console.transcript().contains("cannot carry link protocol 0x88b5"), console.transcript());
            assertTrue(console.run("l45:ifconfig").contains("  ipv4 ipv6\n"), console.transcript());
            assertTrue(Pattern.compile("protocols +not-plugged-device-cannot-carry +1")
                    .matcher(console.run("l45:netstat")).find(), console.transcript());
            console.run("stop " + id.group(1));
            assertTrue(console.run("l45:ifconfig").contains("  ipv4 ipv6\n"), console.transcript());

            console.send("stop 0");
            assertEquals(117, console.awaitExit(), console.transcript());
            console.assertStoppedCleanly();
            assertFalse(TestNetns.exists(namespace), "the runtime deleted the namespace it created");
        } finally {
            OsgiFixture.delete(work);
        }
    }

    /** A bundle registering a network protocol (a 38-byte header under the IEEE local experimental EtherType). */
    private static Path protocolBundle(Path dir) throws IOException {
        return GeneratedBundle.named("mnet.test.protocol")
                .header("Bundle-Activator", "mnet.test.protocol.Activator")
                .header("Import-Package", "layer45.mnet;version=\"[1.0,2)\",org.osgi.framework")
                .compileAgainst(org.osgi.framework.BundleActivator.class)
                .compileAgainst(layer45.mnet.NetworkProtocolHandler.class)
                .source("mnet.test.protocol.Activator", """
                        package mnet.test.protocol;
                        import java.nio.ByteBuffer;
                        import java.util.Hashtable;
                        import layer45.mnet.NetworkHeader;
                        import layer45.mnet.NetworkProtocolHandler;
                        import org.osgi.framework.BundleActivator;
                        import org.osgi.framework.BundleContext;
                        public class Activator implements BundleActivator, NetworkProtocolHandler {
                            public void start(BundleContext context) {
                                Hashtable<String, Object> properties = new Hashtable<>();
                                properties.put("layer45.mnet.addresses", new String[] { "fd4d::1" });
                                properties.put("layer45.mnet.routes", new String[] { "fd4d::/16" });
                                context.registerService(NetworkProtocolHandler.class, this, properties);
                            }
                            public void stop(BundleContext context) { }
                            public int linkProtocol() { return 0x88B5; }
                            public String name() { return "mnet-test"; }
                            public int headerLength(NetworkHeader header) { return 38; }
                            public String parse(ByteBuffer packet, NetworkHeader header) {
                                if (packet.limit() < 38) { return "truncated"; }
                                header.source(packet.getLong(6), packet.getLong(14))
                                        .destination(packet.getLong(22), packet.getLong(30))
                                        .transport(packet.get(2) & 0xFF, packet.get(3) & 0xFF)
                                        .payload(38, Math.min(packet.getShort(4) & 0xFFFF, packet.limit() - 38));
                                return null;
                            }
                            public void emit(ByteBuffer packet, NetworkHeader header) {
                                packet.putShort(0, (short) 0x4D4E).put(2, (byte) header.transportProtocol())
                                        .put(3, (byte) header.hopLimit())
                                        .putShort(4, (short) header.payloadLength())
                                        .putLong(6, header.srcHigh()).putLong(14, header.srcLow())
                                        .putLong(22, header.dstHigh()).putLong(30, header.dstLow());
                            }
                        }
                        """)
                .build(dir);
    }

    @Test
    void theEndOfInputStopsTheRuntimeCleanlyAsCtrlDDoes() throws Exception {
        Path jar = Path.of(System.getProperty("layer45.it.runtimeJar"));
        Path work = Files.createTempDirectory("layer45-e2e");
        try (RuntimeConsole console = RuntimeConsole.start("Ctrl-D", TRANSCRIPTS, jar, work,
                work.resolve("autoload"))) {
            assertTrue(console.run("l45:lsmod").endsWith("(none)"));
            console.closeInput();
            assertEquals(117, console.awaitExit(), "stopped as on request: " + console.transcript());
            console.assertStoppedCleanly();
        } finally {
            OsgiFixture.delete(work);
        }
    }

    @Test
    void aTerminatedRuntimeLeavesNoNamespaceBehind() throws Exception {
        Assumptions.assumeTrue(TestNetns.privileged(), "needs root and /dev/net/tun for the stack's TUN link");
        Path jar = Path.of(System.getProperty("layer45.it.runtimeJar"));
        Path work = Files.createTempDirectory("layer45-e2e");
        try (RuntimeConsole console = RuntimeConsole.start("SIGTERM", TRANSCRIPTS, jar, work,
                work.resolve("autoload"))) {
            String namespace = console.namespace();
            assertTrue(TestNetns.exists(namespace), console.transcript());
            assertTrue(Files.exists(Path.of("/etc/netns", namespace, "resolv.conf")), "the namespace's resolver");
            console.terminate();
            console.awaitExit();
            assertFalse(TestNetns.exists(namespace), "the namespace went with the runtime: " + console.transcript());
            assertFalse(Files.exists(Path.of("/etc/netns", namespace)), "and its /etc/netns files");
        } finally {
            OsgiFixture.delete(work);
        }
    }

    /** @return how many bundles cnf/layer45.bndrun lists in -runbundles (next to cnf/target/layer45.jar) */
    private static int runBundles(Path jar) throws IOException {
        String bndrun = Files.readString(jar.getParent().getParent().resolve("layer45.bndrun"));
        String list = bndrun.substring(bndrun.indexOf("-runbundles:"));
        return (int) Pattern.compile("version='").matcher(list).results().count();
    }

    private static void command(OutputStream stdin, String line) throws IOException {
        stdin.write((line + "\n").getBytes(StandardCharsets.UTF_8));
        stdin.flush();
    }

    private static Thread drain(Process process, List<String> output) {
        return Thread.ofPlatform().daemon().start(() -> {
            try (BufferedReader in = new BufferedReader(
                    new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = in.readLine()) != null;) {
                    synchronized (output) {
                        output.add(line);
                    }
                }
            } catch (IOException e) {
                // the process ended
            }
        });
    }

    private static List<String> snapshot(List<String> output) {
        synchronized (output) {
            return List.copyOf(output);
        }
    }

    private static void waitFor(List<String> output, String text, int times) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_SECONDS);
        while (snapshot(output).stream().filter(line -> line.contains(text)).count() < times) {
            if (System.nanoTime() > end) {
                throw new AssertionError("'" + text + "' did not appear " + times + " times within " + TIMEOUT_SECONDS
                        + " s; output:\n" + String.join("\n", snapshot(output)));
            }
            Thread.sleep(50);
        }
    }

    private static void waitFor(List<String> output, String text) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_SECONDS);
        while (System.nanoTime() < deadline) {
            if (snapshot(output).stream().anyMatch(line -> line.contains(text))) {
                return;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("'" + text + "' did not appear within " + TIMEOUT_SECONDS + " s; output:\n"
                + String.join("\n", snapshot(output)));
    }
}
