package layer45.bench;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import layer45.api.Transport;
import layer45.mnet.owner.OwnerLimits;
import layer45.mnet.owner.OwnerLookup;
import layer45.mnet.owner.OwnerResult;
import layer45.mnet.phy.linux.NetworkNamespace;

/**
 * What one {@link OwnerLookup#find} costs: microseconds per lookup of a flow's owner in a namespace holding N idle
 * processes, each with a TCP connection and a connected UDP socket, cold (the cache cleared before each lookup,
 * so each scans {@code /proc}) and warm (the sockets indexed by an earlier scan), for TCP and UDP; and for new
 * flows opened one after another, each looked up as it opens (as the relay does), while the program holds more and
 * more sockets.
 *
 * <p>Per N, a fresh namespace ({@code l45o-PID-N}, loopback only) and a python3 program in it that opens a
 * listening TCP socket and a UDP sink, then N times: connects a TCP socket, connects a UDP socket to the sink, and
 * forks a child that keeps both and becomes {@code sleep}. The program itself holds the N accepted connections.
 * Each lookup's owner is checked against the child's pid. Before measuring, a few unrecorded lookups warm the JIT.
 * The lookup's own counters split the time between sock_diag, finding the holders and reading names and threads.
 * The results go to a JSON file that {@code bench/owner_report.py} renders.
 *
 * <p>Needs root (namespaces). Everything is torn down after each N, on failure too, and by a shutdown hook on
 * Ctrl-C; namespaces left by a killed run are deleted at the next start, and the children die with their parent
 * ({@code PR_SET_PDEATHSIG}) or after 15 minutes.
 *
 * <pre>
 * java --enable-native-access=ALL-UNNAMED -cp ... layer45.bench.OwnerBenchmark --json out.json \
 *     [--processes 10,100,1000] [--cold 40] [--warm 2000] [--new-flows 1000] [--seed 45]
 * </pre>
 */
public final class OwnerBenchmark {

    static final String NAMESPACE_PREFIX = "l45o-";
    private static final Pattern LEFTOVER = Pattern.compile("l45o-(\\d{1,10})-[^-]+");
    private static final String LOG = "owner: ";
    private static final String LOOPBACK = "127.0.0.1";
    /** The limits of the measured lookups: the defaults, with a time box and cache that no N here reaches. */
    private static final Duration TIME_BOX = Duration.ofSeconds(5);
    /** Unrecorded lookups of each transport before measuring: one in 50 cold, the others warm. */
    static final int WARM_UP = 1000;

    /** Argument 1: how many children. Says {@code child PID TCP-PORT UDP-PORT} for each, then {@code ready}. */
    private static final String PROGRAM = """
            import ctypes, os, socket, sys
            n = int(sys.argv[1])
            libc = ctypes.CDLL(None)
            listener = socket.socket(); listener.bind(('127.0.0.1', 0)); listener.listen(4096)
            sink = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); sink.bind(('127.0.0.1', 0))
            null = os.open('/dev/null', os.O_RDWR)
            accepted, children = [], []
            for i in range(n):
                tcp = socket.create_connection(listener.getsockname())
                udp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); udp.connect(sink.getsockname())
                child = os.fork()
                if child == 0:
                    libc.prctl(1, 9)  # PR_SET_PDEATHSIG: SIGKILL when the parent goes
                    for fd in (0, 1, 2):
                        os.dup2(null, fd)
                    os.set_inheritable(tcp.fileno(), True); os.set_inheritable(udp.fileno(), True)
                    os.execvp('sleep', ['sleep', '900'])
                connection, peer = listener.accept()
                accepted.append(connection); children.append(child)
                print('child', child, tcp.getsockname()[1], udp.getsockname()[1], flush=True)
                tcp.close(); udp.close()
            print('ready', listener.getsockname()[1], sink.getsockname()[1], os.getpid(), flush=True)
            flows = []
            for line in sys.stdin:  # 'open': one more connection, kept open (a new flow of this program)
                tcp = socket.create_connection(listener.getsockname())
                connection, peer = listener.accept()
                flows.append((tcp, connection))
                print('flow', tcp.getsockname()[1], flush=True)
            for child in children:
                os.kill(child, 9)
            """;

    private final List<Integer> processes;
    private final int cold;
    private final int warm;
    private final int newFlows;
    private final long seed;

    /** One child: its pid and the ports of its two sockets. */
    private record Child(int pid, int tcpPort, int udpPort) {
    }

    private OwnerBenchmark(Options options) {
        processes = options.list("processes", "10,100,1000").stream().map(OwnerBenchmark::count).toList();
        cold = options.has("cold") ? options.integer("cold", 1, 100_000) : 40;
        warm = options.has("warm") ? options.integer("warm", 1, 10_000_000) : 2000;
        newFlows = options.has("new-flows") ? options.integer("new-flows", 0, 20_000) : 1000;
        seed = options.has("seed") ? options.integer("seed", 0, Integer.MAX_VALUE) : 45;
    }

    /**
     * Runs the benchmark and writes the results.
     *
     * @param args {@code --json FILE} and the options in the class comment
     * @throws Exception if a measurement fails; everything it set up is torn down first
     */
    public static void main(String[] args) throws Exception {
        Path json;
        OwnerBenchmark benchmark;
        try {
            Options options = Options.parse(args);
            json = Path.of(options.text("json"));
            benchmark = new OwnerBenchmark(options);
            options.requireAllUsed();
        } catch (IllegalArgumentException e) {
            System.err.println(LOG + e.getMessage() + "; the options are in the comment of "
                    + OwnerBenchmark.class.getName());
            System.exit(2);
            return;
        }
        BenchNamespace.requirePrivileges(LOG, "network namespaces");
        BenchNamespace.sweepLeftovers(LEFTOVER, LOG);
        BenchCell.closeOnShutdown("owner-cleanup");
        Instant started = Instant.now();
        long start = System.nanoTime();
        List<Map<String, Object>> cells = new ArrayList<>();
        for (int n : benchmark.processes) {
            cells.addAll(benchmark.measure(n));
        }
        long elapsed = System.nanoTime() - start;
        Map<String, Object> run = Json.runHeader("owner", started, elapsed, List.of());
        run.put("cores", Runtime.getRuntime().availableProcessors());
        run.put("kernel", System.getProperty("os.version"));
        run.put("cold_lookups", benchmark.cold);
        run.put("warm_lookups", benchmark.warm);
        run.put("new_flows", benchmark.newFlows);
        run.put("time_box_ms", TIME_BOX.toMillis());
        run.put("jit_warmup_lookups", 2 * WARM_UP);
        run.put("cells", cells);
        Files.writeString(json, Json.write(run) + "\n");
        System.err.printf("owner: %d measurements in %.0f s, written to %s%n", cells.size(), elapsed / 1e9, json);
    }

    /** The cells of one N: TCP and UDP, cold and warm. */
    private List<Map<String, Object>> measure(int n) throws Exception {
        String name = BenchNamespace.next(NAMESPACE_PREFIX);
        try (BenchCell cell = BenchCell.open()) {
            NetworkNamespace namespace = cell.namespace(NetworkNamespace.create(name));
            namespace.exec(Duration.ofSeconds(10), "ip", "link", "set", "lo", "up").requireSuccess();
            Process program = cell.process(namespace.start("python3", "-u", "-c", PROGRAM, Integer.toString(n)));
            LoadProcess.forward(program.getErrorStream(), "owner-program: ");
            BlockingQueue<String> lines = LoadProcess.lines(program.getInputStream());
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60 + n / 10);
            List<Child> children = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                String[] words = LoadProcess.expect(lines, "child ", deadline, n + " processes", " from the program")
                        .split(" ");
                children.add(new Child(Integer.parseInt(words[1]), Integer.parseInt(words[2]),
                        Integer.parseInt(words[3])));
            }
            String[] ready = LoadProcess.expect(lines, "ready ", deadline, n + " processes", " from the program")
                    .split(" ");
            int listenPort = Integer.parseInt(ready[1]);
            int sinkPort = Integer.parseInt(ready[2]);
            int programPid = Integer.parseInt(ready[3]);
            int hostProcesses = countProcesses();
            System.err.printf("owner: %d processes in %s, %d on the machine%n", n + 1, name, hostProcesses);
            OwnerLimits limits = OwnerLimits.DEFAULTS.withTimeBox(TIME_BOX).withCacheSize(Math.max(4096, 4 * n));
            try (OwnerLookup lookup = OwnerLookup.forNamespace(name, limits)) {
                Random random = new Random(seed);
                warmUp(lookup, children, listenPort, sinkPort, random);
                List<Map<String, Object>> cells = new ArrayList<>();
                for (Transport transport : Transport.values()) {
                    for (boolean warmCache : new boolean[] {false, true}) {
                        Map<String, Object> row = run(lookup, children, transport, warmCache, listenPort, sinkPort,
                                random);
                        row.put("processes", n);
                        row.put("namespace_processes", n + 1);
                        row.put("host_processes", hostProcesses);
                        cells.add(row);
                        System.err.printf(Locale.ROOT, "owner: %5d processes %s %-4s %6d lookups: median %8.1f µs,"
                                + " p90 %8.1f µs, %d owners right%n", n, transport, warmCache ? "warm" : "cold",
                                (int) row.get("lookups"), (double) row.get("median_us"), (double) row.get("p90_us"),
                                (int) row.get("correct"));
                    }
                }
                if (newFlows > 0) {
                    Map<String, Object> row = newFlows(lookup, program, lines, programPid, listenPort);
                    row.put("processes", n);
                    row.put("namespace_processes", n + 1);
                    row.put("host_processes", hostProcesses);
                    cells.add(row);
                    System.err.printf(Locale.ROOT, "owner: %5d processes TCP new flows %6d lookups: median %8.1f µs,"
                            + " p90 %8.1f µs, %d owners right, %d full scans%n", n, (int) row.get("lookups"),
                            (double) row.get("median_us"), (double) row.get("p90_us"), (int) row.get("correct"),
                            (long) row.get("scans"));
                }
                return cells;
            }
        }
    }

    /**
     * New flows one after another: the program opens one more TCP connection and keeps it, and its owner is looked
     * up at once (a socket no lookup saw before), as the relay looks up each new flow.
     */
    private Map<String, Object> newFlows(OwnerLookup lookup, Process program, BlockingQueue<String> lines,
            int programPid, int listenPort) throws IOException, InterruptedException {
        long[] nanos = new long[newFlows];
        int correct = 0;
        lookup.clearCache();
        Map<String, Long> before = lookup.counters();
        var commands = program.getOutputStream();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60 + newFlows / 10);
        for (int i = 0; i < newFlows; i++) {
            commands.write("open\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            commands.flush();
            int port = Integer.parseInt(LoadProcess.expect(lines, "flow ", deadline, newFlows + " new flows",
                    " from the program").split(" ")[1]);
            long start = System.nanoTime();
            OwnerResult result = lookup.find(Transport.TCP, at(port), at(listenPort));
            nanos[i] = System.nanoTime() - start;
            if (result.owner().tgid() == programPid) {
                correct++;
            }
        }
        return row(Transport.TCP, "new flows", nanos, correct, before, lookup.counters());
    }

    /** Unrecorded lookups of both kinds, so that the measured ones run compiled code. */
    private void warmUp(OwnerLookup lookup, List<Child> children, int listenPort, int sinkPort, Random random) {
        for (int i = 0; i < WARM_UP; i++) {
            if (i % 50 == 0) {
                lookup.clearCache();
            }
            Child child = children.get(random.nextInt(children.size()));
            lookup.find(Transport.TCP, at(child.tcpPort), at(listenPort));
            lookup.find(Transport.UDP, at(child.udpPort), at(sinkPort));
        }
    }

    private Map<String, Object> run(OwnerLookup lookup, List<Child> children, Transport transport,
            boolean warmCache, int listenPort, int sinkPort, Random random) {
        int count = warmCache ? warm : cold;
        long[] nanos = new long[count];
        int correct = 0;
        lookup.clearCache();
        if (warmCache) {
            Child first = children.getFirst();
            lookup.find(transport, at(port(first, transport)), at(transport == Transport.TCP ? listenPort : sinkPort));
        }
        Map<String, Long> before = lookup.counters();
        for (int i = 0; i < count; i++) {
            Child child = children.get(random.nextInt(children.size()));
            if (!warmCache) {
                lookup.clearCache();
            }
            long start = System.nanoTime();
            OwnerResult result = lookup.find(transport, at(port(child, transport)),
                    at(transport == Transport.TCP ? listenPort : sinkPort));
            nanos[i] = System.nanoTime() - start;
            if (result.owner().tgid() == child.pid() && result.threadKnown()) {
                correct++;
            }
        }
        return row(transport, warmCache ? "warm" : "cold", nanos, correct, before, lookup.counters());
    }

    /** A measurement's row: the lookups' times and what the lookup's counters say they did. */
    private static Map<String, Object> row(Transport transport, String cache, long[] nanos, int correct,
            Map<String, Long> before, Map<String, Long> after) {
        int count = nanos.length;
        Arrays.sort(nanos);
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("transport", transport.name().toLowerCase(Locale.ROOT));
        row.put("cache", cache);
        row.put("lookups", count);
        row.put("correct", correct);
        row.put("median_us", nanos[count / 2] / 1e3);
        row.put("p90_us", nanos[Math.min(count - 1, (int) (count * 0.9))] / 1e3);
        row.put("min_us", nanos[0] / 1e3);
        row.put("max_us", nanos[count - 1] / 1e3);
        row.put("mean_us", Arrays.stream(nanos).average().orElse(Double.NaN) / 1e3);
        for (String part : List.of("netlink-nanos", "holder-nanos", "thread-nanos")) {
            row.put(part.replace("-nanos", "_us"), (after.get(part) - before.get(part)) / 1e3 / count);
        }
        for (String counter : List.of("scans", "index-updates", "index-hits", "cache-hits", "scanned-processes",
                "scanned-fds", "not-found")) {
            row.put(counter.replace('-', '_'), after.getOrDefault(counter, 0L) - before.getOrDefault(counter, 0L));
        }
        return row;
    }

    private static int port(Child child, Transport transport) {
        return transport == Transport.TCP ? child.tcpPort : child.udpPort;
    }

    private static java.net.InetSocketAddress at(int port) {
        return new java.net.InetSocketAddress(LOOPBACK, port);
    }

    private static int countProcesses() throws IOException {
        int count = 0;
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
            for (Path ignored : entries) {
                count++;
            }
        }
        return count;
    }

    private static int count(String text) {
        int n;
        try {
            n = Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("process count '" + text + "' is not a number");
        }
        if (n < 1 || n > 5000) {
            throw new IllegalArgumentException("process count " + n + " is outside 1..5000");
        }
        return n;
    }
}
