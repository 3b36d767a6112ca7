package layer45.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * layer45 beside the systems a user would pick instead, on one machine in one run ({@code bench/peers.sh}): the
 * kernel over a veth pair (the ceiling), the layer45 runtime (the runnable jar, as {@code ./layer45 start} runs it,
 * clients in namespaces attached with {@code layer45 exec --join}), pasta and slirp4netns ({@link PeerPath}).
 *
 * <p>Workloads ({@link PeerWorkloads}, {@link Layer45Workloads}):
 * <ul>
 * <li>{@code bulk}: iperf3 from the namespace to a server on the host, {@code up} (the client sends) and
 *     {@code down} ({@code -R}), at each MTU;</li>
 * <li>{@code dns}: a batch of dig processes against dnsmasq, one after the other;</li>
 * <li>{@code rr}: TCP and UDP request/response latency, p50 and p99;</li>
 * <li>{@code cps}: new TCP connections per second;</li>
 * <li>{@code flows}: ten thousand concurrent TCP flows through layer45, and the runtime's memory;</li>
 * <li>{@code hotload}: a jar dropped into the autoload folder until its module is LIVE and on a new flow.</li>
 * </ul>
 *
 * <p>One runtime per MTU (its {@code net.mtu}), started before that MTU's measurements and warmed up by one
 * unrecorded bulk run each way; every measurement gets fresh namespaces and a fresh server. Within a workload, MTU
 * and direction, the paths take turns in an order rotated at each repetition. The tag pairs are loaded (insmod with
 * targets on the measurement's ports) just before a {@code layer45-tags} measurement and unloaded after it. With
 * {@code --jfr-dir}, the runtime records each measurement through layer45 with JFR ({@code settings=profile}).
 *
 * <pre>
 * java --enable-native-access=ALL-UNNAMED -cp ... layer45.bench.PeersBenchmark --json out.json --root . \
 *     [--workloads bulk,dns,rr,cps,flows,hotload] [--paths veth,layer45,layer45-both,layer45-tags,pasta,slirp4netns]
 *     [--mtus 1500,65520] [--directions up,down] [--repeats 3] [--seconds 4] [--omit 1] [--dns-queries 1000]
 *     [--rr-count 20000] [--cps-seconds 5] [--flows 10000] [--flows-settings defaults,sized]
 *     [--runtime-jvm-flags "..."] [--jfr-dir DIR]
 * </pre>
 */
public final class PeersBenchmark {

    private static final String LOG = "peers-bench: ";
    private static final List<PeerPath> DNS_PATHS = List.of(PeerPath.VETH, PeerPath.LAYER45, PeerPath.LAYER45_BOTH,
            PeerPath.LAYER45_TAGS);
    private static final List<PeerPath> ECHO_PATHS = List.of(PeerPath.VETH, PeerPath.LAYER45, PeerPath.PASTA,
            PeerPath.SLIRP);

    /**
     * The runtime's settings for the flows workload: its defaults (buffers of up to 256 KiB each way that take memory
     * as they fill, in a 1 GiB budget that reserves 32 KiB per connection), then smaller buffers and a larger budget,
     * for comparison.
     */
    private static final List<List<String>> FLOWS_SETTINGS = List.of(List.of(), List.of("net.tcp.send.buffer=65536",
            "net.tcp.receive.buffer=65536", "net.relay.buffer=65536", "net.tcp.memory.mb=2048"));

    private final Path root;
    private final List<String> workloads;
    private final List<PeerPath> paths;
    private final List<Integer> mtus;
    private final List<String> directions;
    private final int repeats;
    private final int seconds;
    private final int omit;
    private final int dnsQueries;
    private final int rrCount;
    private final int cpsSeconds;
    private final int flows;
    /** The runtime settings the flows workload runs with: {@link #FLOWS_SETTINGS}, those asked for. */
    private final List<List<String>> flowsSettings;
    private final List<String> runtimeJvmFlags;
    private final Path jfrDir;
    private final List<Map<String, Object>> cells = new ArrayList<>();

    private PeersBenchmark(Options options) {
        root = Path.of(options.text("root", ".")).toAbsolutePath().normalize();
        workloads = options.list("workloads", "bulk,dns,rr,cps,flows,hotload");
        for (String workload : workloads) {
            if (!List.of("bulk", "dns", "rr", "cps", "flows", "hotload").contains(workload)) {
                throw new IllegalArgumentException("unknown workload '" + workload
                        + "': use bulk, dns, rr, cps, flows or hotload");
            }
        }
        paths = options.list("paths", "veth,layer45,layer45-both,layer45-tags,pasta,slirp4netns").stream()
                .map(PeerPath::of).toList();
        mtus = options.list("mtus", "1500,65520").stream().map(Integer::parseInt).toList();
        directions = options.list("directions", "up,down");
        repeats = options.has("repeats") ? options.integer("repeats", 1, 100) : 3;
        seconds = options.has("seconds") ? options.integer("seconds", 1, 600) : 4;
        omit = options.has("omit") ? options.integer("omit", 0, 60) : 1;
        dnsQueries = options.has("dns-queries") ? options.integer("dns-queries", 1, 100_000) : 1000;
        rrCount = options.has("rr-count") ? options.integer("rr-count", 100, 10_000_000) : 20_000;
        cpsSeconds = options.has("cps-seconds") ? options.integer("cps-seconds", 1, 600) : 5;
        flows = options.has("flows") ? options.integer("flows", 1, 100_000) : 10_000;
        flowsSettings = new ArrayList<>();
        for (String which : options.list("flows-settings", "defaults,sized")) {
            switch (which) {
                case "defaults" -> flowsSettings.add(FLOWS_SETTINGS.get(0));
                case "sized" -> flowsSettings.add(FLOWS_SETTINGS.get(1));
                default -> throw new IllegalArgumentException("unknown --flows-settings '" + which
                        + "': use defaults, sized or both");
            }
        }
        runtimeJvmFlags = List.of(options.text("runtime-jvm-flags", "").split(" ")).stream()
                .filter(flag -> !flag.isBlank()).toList();
        jfrDir = options.has("jfr-dir") ? Path.of(options.text("jfr-dir")).toAbsolutePath() : null;
    }

    /**
     * Runs the benchmark and writes the results.
     *
     * @param args {@code --json FILE} and the options in the class comment
     * @throws Exception if a measurement fails; everything it set up is torn down first
     */
    public static void main(String[] args) throws Exception {
        Path json;
        PeersBenchmark benchmark;
        try {
            Options options = Options.parse(args);
            json = Path.of(options.text("json"));
            benchmark = new PeersBenchmark(options);
            options.requireAllUsed();
        } catch (IllegalArgumentException e) {
            System.err.println(LOG + e.getMessage() + "; the options are in the comment of "
                    + PeersBenchmark.class.getName());
            System.exit(2);
            return;
        }
        BenchNamespace.requirePrivileges(LOG, "network namespaces, veth devices, the layer45 runtime's TUN links");
        BenchNamespace.sweepLeftovers(PeerPaths.LEFTOVER, LOG);
        BenchCell.closeOnShutdown("peers-bench-cleanup");
        Instant started = Instant.now();
        long start = System.nanoTime();
        benchmark.run();
        long elapsed = System.nanoTime() - start;
        Files.writeString(json, benchmark.json(started, elapsed));
        System.err.printf("%s%d measurements in %.0f s, written to %s%n", LOG, benchmark.cells.size(), elapsed / 1e9,
                json);
    }

    private void run() throws Exception {
        PeerPaths peerPaths = new PeerPaths(root.resolve("layer45.cli/target/layer45.cli.jar"),
                PeerPaths.defaultGateway());
        PeerWorkloads peer = new PeerWorkloads(peerPaths, new PeerWorkloads.Modules(
                jar("customizations/bulk-tag/target", "bulk-tag-").toString(),
                jar("customizations/dns-tag/target", "dns-tag-").toString()), jfrDir);
        Layer45Workloads own = new Layer45Workloads(peerPaths);
        // the warm-up runs are never recorded
        PeerWorkloads unrecorded = jfrDir == null ? peer : new PeerWorkloads(peerPaths, null, null);
        List<Integer> runtimeMtus = new ArrayList<>(workloads.contains("bulk") ? mtus : List.of());
        boolean others = workloads.stream().anyMatch(w -> !w.equals("bulk") && !w.equals("flows"));
        if (others && !runtimeMtus.contains(65520)) {
            runtimeMtus.add(65520);
        }
        for (int mtu : runtimeMtus) {
            try (RuntimeProcess runtime = startRuntime(List.of("net.mtu=" + mtu))) {
                if (workloads.contains("bulk") && mtus.contains(mtu)) {
                    warmUp(unrecorded, mtu, runtime);
                    for (String direction : directions) {
                        rotate("bulk", direction, mtu, paths, (cell, path) -> peer.bulk(cell, path, mtu,
                                direction, seconds, omit, runtime));
                    }
                }
                if (mtu == 65520) {
                    runOthers(peer, own, runtime);
                }
            }
        }
        if (workloads.contains("flows")) {
            for (List<String> settings : flowsSettings) {
                try (RuntimeProcess runtime = startRuntime(settings)) {
                    String text = settings.isEmpty() ? "defaults" : String.join(" ", settings);
                    record(identity("workload", "flows", "settings", text), () -> {
                        try (BenchCell cell = BenchCell.open()) {
                            return own.flows(cell, flows, 3, runtime, text);
                        }
                    });
                }
            }
        }
    }

    /** Starts a runtime of this benchmark's own: its folder, namespace and TUN link are named after this process. */
    private RuntimeProcess startRuntime(List<String> settings) throws Exception {
        Path work = Files.createTempDirectory("l45-peers-runtime-");
        String namespace = BenchNamespace.next(PeerPaths.NAMESPACE_PREFIX) + "r";
        String tun = "l45pb" + ProcessHandle.current().pid() % 10_000_000;
        System.err.printf("%sstarting the layer45 runtime (%s): namespace %s, control socket %s%n", LOG,
                settings.isEmpty() ? "defaults" : String.join(" ", settings), namespace, work.resolve("control.sock"));
        return RuntimeProcess.start(root, work, namespace, tun, runtimeJvmFlags, settings);
    }

    /** @return a measurement's identity, {@code key, value, ...} in order, for its row and the log */
    private static Map<String, Object> identity(Object... keysAndValues) {
        Map<String, Object> identity = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            identity.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return identity;
    }

    private void runOthers(PeerWorkloads peer, Layer45Workloads own, RuntimeProcess runtime) throws Exception {
        if (workloads.contains("dns")) {
            rotate("dns", "", 65520, selected(DNS_PATHS), (cell, path) -> peer.dns(cell, path, 65520, dnsQueries,
                    runtime));
        }
        if (workloads.contains("rr")) {
            rotate("rr", "", 65520, selected(ECHO_PATHS), (cell, path) -> peer.rr(cell, path, 65520, rrCount,
                    runtime));
        }
        if (workloads.contains("cps")) {
            rotate("cps", "", 65520, selected(ECHO_PATHS), (cell, path) -> peer.cps(cell, path, 65520, 4, 1,
                    cpsSeconds, runtime));
        }
        if (workloads.contains("hotload")) {
            Path echoTag = jar("customizations/echo-tag/target", "echo-tag-");
            for (int repeat = 0; repeat < repeats; repeat++) {
                record(identity("workload", "hotload", "repeat", repeat + 1), () -> {
                    try (BenchCell cell = BenchCell.open()) {
                        return own.hotLoad(cell, echoTag, runtime.autoload(), runtime);
                    }
                });
            }
        }
    }

    /** The paths of a workload that were asked for. */
    private List<PeerPath> selected(List<PeerPath> of) {
        return of.stream().filter(paths::contains).toList();
    }

    /** One unrecorded bulk run each way through layer45, so that the JIT has compiled the stack and the relay. */
    private void warmUp(PeerWorkloads peer, int mtu, RuntimeProcess runtime) throws Exception {
        for (String direction : List.of("up", "down")) {
            System.err.printf("%swarming up the runtime: bulk %s, MTU %d%n", LOG, direction, mtu);
            try (BenchCell cell = BenchCell.open()) {
                peer.bulk(cell, PeerPath.LAYER45, mtu, direction, 2, 1, runtime);
            }
        }
    }

    interface Measurement {
        Map<String, Object> run(BenchCell cell, PeerPath path) throws Exception;
    }

    interface Single {
        Map<String, Object> run() throws Exception;
    }

    /** Every path once per repetition, in an order rotated at each repetition. */
    private void rotate(String workload, String direction, int mtu, List<PeerPath> of, Measurement measurement)
            throws Exception {
        for (int repeat = 0; repeat < repeats; repeat++) {
            for (int k = 0; k < of.size(); k++) {
                PeerPath path = of.get((k + repeat) % of.size());
                Map<String, Object> identity = identity("workload", workload, "path", path.label, "mtu", mtu,
                        "direction", direction, "repeat", repeat + 1);
                record(identity, () -> {
                    try (BenchCell cell = BenchCell.open()) {
                        Map<String, Object> row = measurement.run(cell, path);
                        row.put("repeat", identity.get("repeat"));
                        return row;
                    }
                });
            }
        }
    }

    /**
     * Runs one measurement and keeps its row. A measurement that fails is kept as a row with its error, for the
     * report to show, and the run goes on: one peer's hiccup does not cost the whole run.
     */
    private void record(Map<String, Object> identity, Single measurement) throws Exception {
        long start = System.nanoTime();
        String what = String.join(" ", identity.values().stream().map(Object::toString)
                .filter(text -> !text.isEmpty()).toList());
        Map<String, Object> row;
        try {
            row = measurement.run();
        } catch (InterruptedException e) {
            throw e;
        } catch (Exception e) {
            System.err.println(LOG + what + " failed:");
            e.printStackTrace();
            row = new LinkedHashMap<>(identity);
            row.put("error", e.toString());
        }
        cells.add(row);
        System.err.printf(Locale.ROOT, "%s[%d] %s: %s (%.1f s)%n", LOG, cells.size(), what, summary(row),
                (System.nanoTime() - start) / 1e9);
    }

    private static String summary(Map<String, Object> row) {
        StringBuilder text = new StringBuilder();
        for (String key : List.of("gbps", "retransmits", "seconds", "failures", "tcp_p50_ns", "tcp_p99_ns",
                "udp_p50_ns", "udp_p99_ns", "udp_lost", "cps", "errors", "opened", "connect_errors", "echo_errors",
                "recheck_errors", "rss_per_flow_kib", "live_ms", "attached_ms", "runtime_cpu_fraction",
                "machine_busy_cores", "error")) {
            if (row.containsKey(key)) {
                Object value = row.get(key);
                text.append(key).append('=').append(value instanceof Double d
                        ? String.format(Locale.ROOT, "%.3f", d) : value).append(' ');
            }
        }
        return text.toString().strip();
    }

    private Path jar(String folder, String prefix) throws Exception {
        try (var files = Files.list(root.resolve(folder))) {
            return files.filter(p -> p.getFileName().toString().startsWith(prefix)
                    && p.getFileName().toString().endsWith(".jar") && !p.getFileName().toString().contains("-tests"))
                    .findFirst().orElseThrow(() -> new IllegalStateException("no " + prefix + "*.jar in "
                            + root.resolve(folder) + ": build it first (bench/peers.sh does)"));
        }
    }

    private String json(Instant started, long elapsedNanos) throws Exception {
        Map<String, Object> run = Json.runHeader("peers", started, elapsedNanos, LoadProcess.JVM_FLAGS);
        run.put("cores", Runtime.getRuntime().availableProcessors());
        run.put("kernel", System.getProperty("os.version"));
        run.put("runtime_jvm_flags", String.join(" ", runtimeJvmFlags));
        run.put("workloads", workloads);
        run.put("paths", paths.stream().map(p -> p.label).toList());
        Map<String, Object> descriptions = new java.util.LinkedHashMap<>();
        for (PeerPath path : PeerPath.values()) {
            descriptions.put(path.label, path.description);
        }
        run.put("path_descriptions", descriptions);
        run.put("mtus", mtus);
        run.put("directions", directions);
        run.put("repeats", repeats);
        run.put("seconds", seconds);
        run.put("omit", omit);
        run.put("dns_queries", dnsQueries);
        run.put("rr_count", rrCount);
        run.put("cps_seconds", cpsSeconds);
        run.put("flows", flows);
        run.put("versions", Versions.read());
        run.put("cells", cells);
        return Json.write(run) + "\n";
    }
}
