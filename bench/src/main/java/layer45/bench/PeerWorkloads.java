package layer45.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The measurements of {@link PeersBenchmark} that run one client program against one server over one
 * {@link PeerPath}: bulk TCP (iperf3), batch DNS (dig against dnsmasq), request/response latency and new
 * connections per second (Java clients against {@link PingPongLoad}'s echo server). Each returns the row of one
 * measurement; the path, and the server behind it, are set up afresh for it and torn down after it.
 */
final class PeerWorkloads {

    /** The port servers listen on inside a namespace of layer45 (behind a forward). */
    static final int NS_PORT = 5201;
    static final String DNS_ANSWER = "10.9.9.9";
    private static final Pattern ANY_ADDRESS = Pattern.compile("0\\.0\\.0\\.0");

    private final PeerPaths paths;
    private final Modules modules;
    /** Where each layer45 measurement's JFR recording of the runtime goes; null records none. */
    private final Path jfrDir;

    /** The jars of the pairs a {@link PeerPath#LAYER45_TAGS} measurement loads, as the runtime's insmod takes them. */
    record Modules(String bulkJar, String dnsJar) {
    }

    PeerWorkloads(PeerPaths paths, Modules modules, Path jfrDir) {
        this.paths = paths;
        this.modules = modules;
        this.jfrDir = jfrDir;
    }

    static PeerPaths.Server iperfServer() {
        // --forceflush: iperf3 buffers its output in a pipe, and the ready line would come too late
        return new PeerPaths.Server("iperf3 -s", (address, port) -> List.of("iperf3", "-s", "-1", "--forceflush", "-B",
                address, "-p", Integer.toString(port)), Pattern.compile("Server listening"), NS_PORT, List.of("tcp"));
    }

    static PeerPaths.Server dnsmasq() {
        return new PeerPaths.Server("dnsmasq", (address, port) -> {
            List<String> command = new ArrayList<>(List.of("dnsmasq", "--no-daemon", "--conf-file=/dev/null",
                    "--user=root", "--pid-file", "--port=" + port, "--cache-size=0", "--no-resolv", "--no-hosts",
                    "--address=/l45.test/" + DNS_ANSWER));
            if (!ANY_ADDRESS.matcher(address).matches()) {
                command.addAll(List.of("--listen-address=" + address, "--bind-interfaces"));
            }
            return command;
        }, Pattern.compile("started, version"), 53, List.of("udp"));
    }

    static PeerPaths.Server echoServer() {
        return new PeerPaths.Server("echo server", (address, port) -> PingPongLoad.command("serve", "--address",
                address, "--port", Integer.toString(port)), Pattern.compile("^ready"), NS_PORT, List.of("tcp", "udp"));
    }

    /**
     * Bulk TCP: {@code iperf3 -c} in the namespace, {@code -R} for {@code down} (the server sends, as the original's
     * file download, the direction the bulk tags go).
     */
    Map<String, Object> bulk(BenchCell cell, PeerPath path, int mtu, String direction, double seconds, double omit,
            RuntimeProcess runtime) throws Exception {
        PeerPaths.Reach reach = paths.open(cell, path, mtu, iperfServer(), runtime);
        List<String> client = new ArrayList<>(List.of("iperf3", "-c", reach.address(), "-p",
                Integer.toString(reach.port()), "-t", fmt(seconds), "-O", fmt(omit), "-J"));
        if (direction.equals("down")) {
            client.add("-R");
        }
        String tags = path == PeerPath.LAYER45_TAGS ? modules.bulkJar() + " bulk-tag-server:local.port=" + NS_PORT
                + " bulk-tag-client:remote.port=" + reach.port() : null;
        Measured m = measure(runtime, tags, reach.command(client), (long) (seconds + omit) + 60,
                "bulk-" + direction + "-" + mtu + "-" + path.label);
        Map<String, Object> row = row("bulk", path, mtu, direction, m);
        String end = m.output.substring(Math.max(0, m.output.indexOf("\"end\"")));
        row.put("gbps", number(end, "\"sum_received\"[^}]*?\"bits_per_second\":\\s*([0-9.eE+]+)") / 1e9);
        row.put("bytes", (long) number(end, "\"sum_received\"[^}]*?\"bytes\":\\s*([0-9]+)"));
        row.put("retransmits", (long) number(end, "\"sum_sent\"[^}]*?\"retransmits\":\\s*([0-9]+)"));
        return row;
    }

    /**
     * Batch DNS: a shell loop in the namespace runs {@code queries} {@code dig} processes one after the other, as the
     * original's trial did (process start included), each checked for the right answer; the loop times itself, and
     * gives up after ten wrong or missing answers (each costs dig's 2 s timeout).
     */
    Map<String, Object> dns(BenchCell cell, PeerPath path, int mtu, int queries, RuntimeProcess runtime)
            throws Exception {
        PeerPaths.Reach reach = paths.open(cell, path, mtu, dnsmasq(), runtime);
        String script = "f=0; s=$(date +%s%N); for i in $(seq 1 " + queries + "); do "
                + "a=$(dig @" + reach.address() + " -p " + reach.port() + " +tries=1 +time=2 +short www.q$i.l45.test);"
                + " [ \"$a\" = " + DNS_ANSWER + " ] || f=$((f+1)); [ $f -lt 10 ] || break; done; e=$(date +%s%N); "
                + "echo \"result nanos=$((e-s)) failures=$f\"";
        // dig's own process is what dns-tag-client targets (process dig); the forward makes the port another
        String tags = path == PeerPath.LAYER45_TAGS ? modules.dnsJar() + " dns-tag-client:remote.port=" + reach.port()
                : null;
        Measured m = measure(runtime, tags, reach.command(List.of("bash", "-c", script)), queries + 60L,
                "dns-" + path.label);
        Map<String, Object> row = row("dns", path, mtu, "", m);
        Map<String, Long> result = LoadProcess.parse(resultLine(m.output));
        row.put("seconds", result.get("nanos") / 1e9);
        row.put("queries", queries);
        row.put("failures", result.get("failures"));
        return row;
    }

    /** Request/response latency, TCP then UDP, 64-byte messages one at a time. */
    Map<String, Object> rr(BenchCell cell, PeerPath path, int mtu, int count, RuntimeProcess runtime)
            throws Exception {
        PeerPaths.Reach reach = paths.open(cell, path, mtu, echoServer(), runtime);
        List<String> client = PingPongLoad.command("rr", "--address", reach.address(),
                "--port", Integer.toString(reach.port()), "--count", Integer.toString(count), "--warmup",
                Integer.toString(Math.max(1000, count / 5)), "--size", "64");
        Measured m = measure(runtime, null, reach.command(client), 120, "rr-" + path.label);
        Map<String, Object> row = row("rr", path, mtu, "", m);
        LoadProcess.parse(resultLine(m.output)).forEach(row::put);
        return row;
    }

    /** New TCP connections per second: {@link TcpLoad}'s {@code cps} (connect, 64-byte echo, close) per thread. */
    Map<String, Object> cps(BenchCell cell, PeerPath path, int mtu, int threads, double warmup, double seconds,
            RuntimeProcess runtime) throws Exception {
        PeerPaths.Reach reach = paths.open(cell, path, mtu, echoServer(), runtime);
        List<String> client = LoadProcess.command(TcpLoad.class, "--mode", "cps", "--target", reach.address(),
                "--port", Integer.toString(reach.port()), "--threads", Integer.toString(threads), "--warmup",
                fmt(warmup), "--measure", fmt(seconds));
        Measured m = measure(runtime, null, reach.command(client), (long) (warmup + seconds) + 60,
                "cps-" + path.label);
        Map<String, Object> row = row("cps", path, mtu, "", m);
        Map<String, Long> result = LoadProcess.parse(resultLine(m.output));
        row.put("cps", result.get("connections") / (result.get("nanos") / 1e9));
        row.put("errors", result.get("errors"));
        return row;
    }

    /** What one client run took: its output, and the CPU the runtime and the machine spent meanwhile. */
    record Measured(String output, long wallNanos, long runtimeCpuNanos, double machineBusyCores) {
    }

    /**
     * Runs the client to its end, with the module pair loaded around it when {@code insmod} names one (a jar and
     * its parameters), and reads the runtime's CPU time and the machine's around it. With a JFR folder, the runtime
     * records the client's run through layer45 to {@code <label>.jfr} there (started and dumped with jcmd, outside
     * the timed part).
     */
    private Measured measure(RuntimeProcess runtime, String insmod, List<String> client, long seconds, String label)
            throws Exception {
        List<String> loaded = insmod == null ? List.of() : load(runtime, insmod);
        boolean recording = jfrDir != null && runtime != null && label.contains("layer45");
        if (recording) {
            jcmd(runtime, "JFR.start", "name=peers", "settings=profile");
        }
        try {
            CpuMeter.Machine machineBefore = CpuMeter.Machine.read();
            long runtimeBefore = runtime == null ? 0 : runtime.cpuNanos();
            long start = System.nanoTime();
            String output = PeerPaths.run(client, seconds);
            long wall = System.nanoTime() - start;
            long runtimeCpu = runtime == null ? 0 : runtime.cpuNanos() - runtimeBefore;
            return new Measured(output, wall, runtimeCpu, CpuMeter.Machine.read().busyCores(machineBefore));
        } finally {
            if (recording) {
                jcmd(runtime, "JFR.stop", "name=peers", "filename=" + jfrDir.resolve(label + ".jfr"));
            }
            for (String module : loaded) {
                unload(runtime, module);
            }
        }
    }

    private static void jcmd(RuntimeProcess runtime, String... command) throws IOException, InterruptedException {
        List<String> all = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                Long.toString(runtime.pid())));
        all.addAll(List.of(command));
        PeerPaths.run(all, 60);
    }

    /** insmod; @return the modules it loaded, which must all be LIVE */
    static List<String> load(RuntimeProcess runtime, String insmod) throws IOException, InterruptedException {
        String output = runtime.run("l45:insmod " + insmod);
        List<String> names = new ArrayList<>();
        Matcher m = Pattern.compile("(?m)^(\\S+) LIVE ").matcher(output);
        while (m.find()) {
            names.add(m.group(1));
        }
        if (names.size() != 2) {
            throw new IllegalStateException("insmod " + insmod + " should have loaded a LIVE module pair; it said: "
                    + output);
        }
        return names;
    }

    /**
     * rmmod, forced when flows still use the module (a DNS measurement's UDP flows stay open until their idle timeout:
     * forcing detaches them, and they would end uncustomized), then checked: a module left loaded would customize the
     * next measurements.
     */
    static void unload(RuntimeProcess runtime, String module) throws IOException, InterruptedException {
        String output = runtime.run("l45:rmmod " + module);
        if (output.contains("used by")) {
            output = runtime.run("l45:rmmod -f " + module);
        }
        String lsmod = runtime.run("l45:lsmod");
        if (Pattern.compile("(?m)^" + Pattern.quote(module) + "\\s").matcher(lsmod).find()) {
            throw new IllegalStateException("rmmod " + module + " left it loaded (it said: " + output + "); lsmod:\n"
                    + lsmod);
        }
    }

    private static Map<String, Object> row(String workload, PeerPath path, int mtu, String direction, Measured m) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("workload", workload);
        row.put("path", path.label);
        row.put("mtu", mtu);
        row.put("direction", direction);
        row.put("wall_nanos", m.wallNanos);
        if (path.layer45()) {
            row.put("runtime_cpu_fraction", (double) m.runtimeCpuNanos / m.wallNanos);
        }
        row.put("machine_busy_cores", m.machineBusyCores);
        return row;
    }

    static String resultLine(String output) {
        return output.lines().filter(line -> line.startsWith("result ")).reduce((a, b) -> b)
                .orElseThrow(() -> new IllegalStateException("the client printed no result line; its output:\n"
                        + output));
    }

    private static double number(String text, String regex) {
        Matcher m = Pattern.compile(regex, Pattern.DOTALL).matcher(text);
        if (!m.find()) {
            throw new IllegalStateException("iperf3's JSON has no match for " + regex + "; its output:\n" + text);
        }
        return Double.parseDouble(m.group(1));
    }

    private static String fmt(double seconds) {
        return seconds == Math.rint(seconds) ? Long.toString((long) seconds) : Double.toString(seconds);
    }
}
