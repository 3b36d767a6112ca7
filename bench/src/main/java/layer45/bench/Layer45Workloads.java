package layer45.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import layer45.mnet.phy.linux.NetworkNamespace;

/**
 * The measurements of {@link PeersBenchmark} that only layer45 has: ten thousand concurrent flows with the runtime's
 * memory, and hot loading (a jar dropped into the autoload folder until its module is LIVE and attached to a new
 * flow).
 */
final class Layer45Workloads {

    /** echo-tag's default target: its client module attaches to flows to this remote port. */
    static final int ECHO_TAG_PORT = 65432;
    private static final long HOT_LOAD_LIMIT_NANOS = TimeUnit.SECONDS.toNanos(15);
    /** lsmod's row of echo-tag-client: its used count (group 1) and state (group 2). */
    private static final Pattern LSMOD_ROW =
            Pattern.compile("(?m)^echo-tag-client\\s+\\d+\\s+(\\d+)\\s+\\S+\\s+(\\S+)");

    private final PeerPaths paths;

    Layer45Workloads(PeerPaths paths) {
        this.paths = paths;
    }

    /**
     * Opens {@code count} TCP connections from a namespace of layer45 to the echo server on the host, one after the
     * other, each checked with an echo, and holds them; the runtime's resident memory is read before and while they
     * are all open, and every one is checked again before they close.
     */
    Map<String, Object> flows(BenchCell cell, int count, double holdSeconds, RuntimeProcess runtime,
            String settings) throws Exception {
        PeerPaths.Reach reach = paths.open(cell, PeerPath.LAYER45, 65520, PeerWorkloads.echoServer(), runtime);
        long rssBefore = runtime.residentKiB();
        List<String> command = reach.command(PingPongLoad.command("hold", "--address",
                reach.address(), "--port", Integer.toString(reach.port()), "--count", Integer.toString(count),
                "--hold", Double.toString(holdSeconds)));
        Process client = cell.process(new ProcessBuilder(command).start());
        LoadProcess.forward(client.getErrorStream(), "flows-client: ");
        BlockingQueue<String> lines = LoadProcess.lines(client.getInputStream());
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(300);
        LoadProcess.expect(lines, "holding ", deadline, "flows", " from the client");
        String sockets = runtime.run("l45:sockets");
        long rssHolding = runtime.residentKiB();
        String netstat = runtime.run("l45:netstat");
        String result = LoadProcess.expect(lines, "result ", deadline, "flows", " from the client");
        LoadProcess.awaitSuccess(client, deadline, "flows", "the client");
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("workload", "flows");
        row.put("path", PeerPath.LAYER45.label);
        row.put("mtu", 65520);
        row.put("direction", "");
        row.put("flows", count);
        row.put("settings", settings);
        LoadProcess.parse(result).forEach(row::put);
        row.put("runtime_flows_listed", sockets.lines().filter(line -> line.contains("tcp")).count());
        row.put("rss_before_kib", rssBefore);
        row.put("rss_holding_kib", rssHolding);
        row.put("rss_per_flow_kib", (rssHolding - rssBefore) / (double) count);
        // what finding each new flow's owning program cost (a cold scan reads every descriptor of the namespace)
        Matcher owner = Pattern.compile("(?m)^owner\\s+(lookups|scans|scanned-fds|holder-nanos)\\s+(\\d+)")
                .matcher(netstat);
        while (owner.find()) {
            row.put("owner_" + owner.group(1).replace('-', '_'), Long.parseLong(owner.group(2)));
        }
        return row;
    }

    /**
     * A probe in a namespace of layer45 opens a new connection to an echo server every 10 ms; the echo-tag jar is
     * then renamed into the autoload folder, and the console's {@code lsmod} is read every few milliseconds until
     * echo-tag-client is LIVE, and until it is attached to a flow (used count above 0: only a flow opened after the
     * load, as modules attach to new flows). The jar is removed again afterwards, and the module drains.
     */
    Map<String, Object> hotLoad(BenchCell cell, Path echoTagJar, Path autoload, RuntimeProcess runtime)
            throws Exception {
        String ns = cell.namespace(NetworkNamespace.create(BenchNamespace.next(PeerPaths.NAMESPACE_PREFIX) + "a"))
                .name();
        startEchoServer(cell);
        List<String> probe = paths.exec(runtime, ns);
        Process client = cell.process(new ProcessBuilder(concat(probe, PingPongLoad.command("probe", "--address",
                "10.45.0.254", "--port", Integer.toString(ECHO_TAG_PORT), "--count", "500", "--interval-ms", "10",
                "--hold", "0.5"))).start());
        LoadProcess.forward(client.getErrorStream(), "hotload-probe: ");
        BlockingQueue<String> lines = LoadProcess.lines(client.getInputStream());
        LoadProcess.expect(lines, "probing", System.nanoTime() + TimeUnit.SECONDS.toNanos(30), "hot load", "");
        Thread.sleep(300); // connections already flowing when the jar arrives
        Path jar = autoload.resolve("echo-tag.jar");
        Path part = autoload.resolve(".echo-tag.jar.part");
        Files.copy(echoTagJar, part, StandardCopyOption.REPLACE_EXISTING);
        long dropped = System.nanoTime();
        Files.move(part, jar, StandardCopyOption.ATOMIC_MOVE);
        long live = -1;
        long attached = -1;
        while (attached < 0 && System.nanoTime() - dropped < HOT_LOAD_LIMIT_NANOS) {
            Matcher m = LSMOD_ROW.matcher(runtime.run("l45:lsmod"));
            long now = System.nanoTime();
            if (m.find()) {
                if (live < 0 && m.group(2).equals("LIVE")) {
                    live = now - dropped;
                }
                if (Long.parseLong(m.group(1)) > 0) {
                    attached = now - dropped;
                }
            }
            Thread.sleep(5);
        }
        Files.delete(jar);
        awaitUnloaded(runtime);
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("workload", "hotload");
        row.put("path", PeerPath.LAYER45.label);
        row.put("mtu", 65520);
        row.put("direction", "");
        row.put("live_ms", live < 0 ? null : live / 1e6);
        row.put("attached_ms", attached < 0 ? null : attached / 1e6);
        row.put("autoload_poll_ms", 250);
        return row;
    }

    private static void startEchoServer(BenchCell cell) throws Exception {
        Process server = cell.process(new ProcessBuilder(PingPongLoad.command("serve",
                "--address", "127.0.0.1", "--port", Integer.toString(ECHO_TAG_PORT))).redirectErrorStream(true)
                .start());
        BlockingQueue<String> lines = LoadProcess.lines(server.getInputStream());
        String line = lines.poll(30, TimeUnit.SECONDS);
        if (line == null || !line.equals("ready")) {
            throw new IllegalStateException("the echo server for the hot load did not start on 127.0.0.1:"
                    + ECHO_TAG_PORT + " (echo-tag's default port; is another program using it?): " + line + " "
                    + String.join(" ", lines));
        }
    }

    /** Waits until the removed jar's modules drained and are gone from lsmod. */
    private static void awaitUnloaded(RuntimeProcess runtime) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (runtime.run("l45:lsmod").contains("echo-tag-")) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("echo-tag's modules were still loaded 30 s after their jar was"
                        + " removed from the autoload folder: " + runtime.run("l45:lsmod"));
            }
            Thread.sleep(100);
        }
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> all = new java.util.ArrayList<>(a);
        all.addAll(b);
        return all;
    }
}
