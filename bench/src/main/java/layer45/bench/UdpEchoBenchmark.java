package layer45.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import layer45.mnet.UdpFlowStatus;
import layer45.mnet.iface.InterfaceConfig;
import layer45.mnet.loop.RunningStack;
import layer45.mnet.loop.StackOptions;
import layer45.mnet.phy.linux.LinkConfigurator;
import layer45.mnet.phy.linux.NetworkNamespace;
import layer45.mnet.phy.linux.TunAccess;
import layer45.mnet.phy.linux.TunDevice;
import layer45.mnet.phy.linux.TunEvent;
import layer45.mnet.phy.linux.TunLink;
import layer45.mnet.phy.linux.TunLinkOptions;
import layer45.mnet.socket.udp.UdpSettings;
import layer45.mnet.time.Clock;
import layer45.mnet.wire.IpCidr;
import layer45.runtime.Layer45Runtime;

/**
 * UDP datagrams per second echoed over a real TUN link, by three responders measured side by side in one run:
 * <ul>
 * <li>{@code ceiling}: {@link TunReflector}, a bare loop that reads the device and writes each datagram back with
 *     addresses and ports swapped: what the device and the kernel allow at most;</li>
 * <li>{@code stack}: {@link RunningStack} on the device with its UDP echo service (port 7), no customization
 *     runtime;</li>
 * <li>{@code stack+runtime}: the same with a standalone {@link Layer45Runtime} as the flow tap, no module loaded:
 *     the path every flow takes in production.</li>
 * </ul>
 *
 * <p>Each measurement (one size, one responder, one repetition) gets a fresh network namespace and TUN link (MTU
 * 65520, the queue length the stack uses by default), and a load generator ({@link UdpLoad}) started inside the
 * namespace as a JVM of its own. The load generator tells when its measurement window starts and ends; at those
 * moments this process reads the responder thread's allocated bytes and CPU time, the packets the device handed it,
 * and the machine's CPU use. Sizes run one after the other; within a size the responders take turns, in a rotated
 * order at each repetition, so drift affects them alike. Before all that, each responder runs once unrecorded
 * ({@code --jvm-warmup} seconds at the first size), so that the JIT compiling the stack burdens no recorded
 * measurement. The results go to a JSON file that {@code bench/udp_report.py} renders.
 *
 * <p>Needs root (namespaces, TUN). Everything is torn down after each measurement, on failure too, and by a
 * shutdown hook on Ctrl-C; namespaces {@code l45b-PID-N} left by a killed run are deleted at the next start.
 * Traffic stays on the benchmark's own link, between 10.46.0.2 (the namespace) and 10.46.0.1 (the responder).
 *
 * <pre>
 * java --enable-native-access=ALL-UNNAMED -cp ... layer45.bench.UdpEchoBenchmark --json out.json \
 *     [--sizes 64,512,1472,8192] [--modes ceiling,stack,stack+runtime] [--repeats 3] [--warmup 2] [--measure 5] \
 *     [--window 64] [--loss-timeout-ms 200] [--jvm-warmup 3]
 * </pre>
 */
public final class UdpEchoBenchmark {

    /** Prefix of the namespaces this benchmark creates: {@code l45b-<pid>-<n>}. */
    static final String NAMESPACE_PREFIX = "l45b-";
    static final String LINK_NAME = "l45b0";
    static final String RESPONDER_ADDRESS = "10.46.0.1";
    static final String PEER_ADDRESS = "10.46.0.2/24";
    static final int MTU = 65520;
    static final int ECHO_PORT = 7;
    /** The load generator's JVM: small fixed heap, serial GC (it allocates nothing per datagram). */
    static final List<String> LOAD_JVM_FLAGS = List.of("-XX:+UseSerialGC", "-Xms64m", "-Xmx64m");
    /** How long past its warm-up and measurement the load generator may take to answer. */
    private static final long SLACK_NANOS = TimeUnit.SECONDS.toNanos(30);

    private static final AtomicInteger NEXT_NAMESPACE = new AtomicInteger();
    /** The measurement in progress, for the shutdown hook. */
    private static final Object CURRENT_LOCK = new Object();
    private static Cell current;
    private static boolean shuttingDown;

    private final List<Integer> sizes;
    private final List<Mode> modes;
    private final int repeats;
    private final double warmup;
    private final double measure;
    private final int window;
    private final int lossTimeoutMillis;
    private final double jvmWarmup;
    private final String java;
    private final String classPath;
    private final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    /** The responders. */
    enum Mode {
        CEILING("ceiling"), STACK("stack"), STACK_RUNTIME("stack+runtime");

        final String label;

        Mode(String label) {
            this.label = label;
        }

        static Mode of(String label) {
            for (Mode mode : values()) {
                if (mode.label.equals(label)) {
                    return mode;
                }
            }
            throw new IllegalArgumentException("unknown mode '" + label + "': use ceiling, stack or stack+runtime");
        }
    }

    private UdpEchoBenchmark(Options options) {
        sizes = options.list("sizes", "64,512,1472,8192").stream().map(UdpEchoBenchmark::size).toList();
        modes = options.list("modes", "ceiling,stack,stack+runtime").stream().map(Mode::of).toList();
        repeats = options.has("repeats") ? options.integer("repeats", 1, 100) : 3;
        warmup = options.has("warmup") ? options.decimal("warmup") : 2;
        measure = options.has("measure") ? options.decimal("measure") : 5;
        window = options.has("window") ? options.integer("window", 1, 100_000) : 64;
        lossTimeoutMillis = options.has("loss-timeout-ms") ? options.integer("loss-timeout-ms", 1, 10_000) : 200;
        jvmWarmup = options.has("jvm-warmup") ? options.decimal("jvm-warmup") : 3;
        java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        classPath = System.getProperty("java.class.path");
    }

    /**
     * Runs the benchmark and writes the results.
     *
     * @param args {@code --json FILE} and the options in the class comment
     * @throws Exception if a measurement fails; everything it set up is torn down first
     */
    public static void main(String[] args) throws Exception {
        Path json;
        UdpEchoBenchmark benchmark;
        try {
            Options options = Options.parse(args);
            json = Path.of(options.text("json"));
            benchmark = new UdpEchoBenchmark(options);
            options.requireAllUsed();
        } catch (IllegalArgumentException e) {
            System.err.println("udp-echo: " + e.getMessage() + "; the options are in the comment of "
                    + UdpEchoBenchmark.class.getName());
            System.exit(2);
            return;
        }
        String missing = missingPrivilege();
        if (missing != null) {
            System.err.println("udp-echo: " + missing);
            System.exit(2);
        }
        sweepLeftovers();
        Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().name("udp-echo-cleanup").unstarted(() -> {
            synchronized (CURRENT_LOCK) {
                shuttingDown = true;
                if (current != null) {
                    current.close();
                }
            }
        }));
        Instant started = Instant.now();
        long start = System.nanoTime();
        List<Map<String, Object>> cells = benchmark.run();
        long elapsed = System.nanoTime() - start;
        Files.writeString(json, benchmark.json(started, elapsed, cells));
        System.err.printf("udp-echo: %d measurements in %.0f s, written to %s%n", cells.size(), elapsed / 1e9, json);
    }

    /** @return why this process cannot run the benchmark, in one line, or {@code null} */
    private static String missingPrivilege() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("Uid:") && !line.substring(4).strip().split("\\s+")[1].equals("0")) {
                return "needs root (network namespaces and a TUN device); run it with sudo";
            }
        }
        return TunAccess.unavailableReason();
    }

    /** Deletes the {@code l45b-<pid>-<n>} namespaces whose process is gone (a run killed with SIGKILL). */
    private static void sweepLeftovers() {
        for (String name : NetworkNamespace.list()) {
            if (!name.startsWith(NAMESPACE_PREFIX)) {
                continue;
            }
            String[] parts = name.substring(NAMESPACE_PREFIX.length()).split("-");
            if (parts.length == 2 && parts[0].matches("\\d{1,10}")
                    && ProcessHandle.of(Long.parseLong(parts[0])).isEmpty()) {
                System.err.println("udp-echo: deleting namespace " + name + " left by an earlier run");
                NetworkNamespace.delete(name);
            }
        }
    }

    private List<Map<String, Object>> run() throws Exception {
        // One unrecorded measurement per responder first, so that the first recorded ones do not pay for the JIT
        // compiling the stack.
        for (Mode mode : modes) {
            System.err.printf("udp-echo: warming up the JVM: %d B %s, %.1f s%n", sizes.get(0), mode.label,
                    jvmWarmup);
            measure(sizes.get(0), mode, jvmWarmup / 2, jvmWarmup / 2);
        }
        List<Map<String, Object>> cells = new ArrayList<>();
        int total = sizes.size() * repeats * modes.size();
        for (int size : sizes) {
            for (int repeat = 0; repeat < repeats; repeat++) {
                for (int m = 0; m < modes.size(); m++) {
                    Mode mode = modes.get((m + repeat) % modes.size());
                    Map<String, Object> cell = measure(size, mode, warmup, measure);
                    cell.put("repeat", repeat + 1);
                    cells.add(cell);
                    System.err.printf(Locale.ROOT, "udp-echo: [%d/%d] %5d B %-13s #%d: %,10.0f replies/s, %d lost,"
                            + " loop %.2f B/packet, loop CPU %.0f%%, machine %.2f of %d cores busy%n", cells.size(),
                            total, size, mode.label, repeat + 1, (double) cell.get("replies_per_s"),
                            (long) cell.get("lost"), (double) cell.get("loop_bytes_per_packet"),
                            100.0 * (double) cell.get("loop_cpu_fraction"), (double) cell.get("machine_busy_cores"),
                            Runtime.getRuntime().availableProcessors());
                }
            }
        }
        return cells;
    }

    /** One measurement: namespace, link and responder up, load run, everything down again. */
    private Map<String, Object> measure(int size, Mode mode, double warmup, double measure) throws Exception {
        String namespace = NAMESPACE_PREFIX + ProcessHandle.current().pid() + "-" + NEXT_NAMESPACE.getAndIncrement();
        Cell cell = new Cell();
        synchronized (CURRENT_LOCK) {
            if (shuttingDown) {
                throw new IllegalStateException("the benchmark is shutting down");
            }
            current = cell;
        }
        try {
            TunLinkOptions link = new TunLinkOptions(LINK_NAME, namespace, MTU, TunLinkOptions.queueLengthFor(MTU),
                    List.of(PEER_ADDRESS), false);
            cell.link(TunLink.open(link, new LinkConfigurator()));
            TunDevice device = cell.link.device();
            Thread responder = switch (mode) {
                case CEILING -> cell.reflector(TunReflector.start(device, "udp-echo-ceiling " + LINK_NAME)).thread();
                case STACK -> {
                    cell.stack(RunningStack.start(device, stackOptions(namespace), () -> null, Clock.SYSTEM));
                    yield loopThread();
                }
                case STACK_RUNTIME -> {
                    Layer45Runtime runtime = cell.runtime(Layer45Runtime.standalone());
                    cell.stack(RunningStack.start(device, stackOptions(namespace), () -> runtime, Clock.SYSTEM));
                    yield loopThread();
                }
            };
            List<String> command = new ArrayList<>();
            command.add(java);
            command.addAll(LOAD_JVM_FLAGS);
            command.addAll(List.of("-cp", classPath, UdpLoad.class.getName(), "--target", RESPONDER_ADDRESS,
                    "--port", Integer.toString(ECHO_PORT), "--size", Integer.toString(size), "--window",
                    Integer.toString(window), "--warmup", Double.toString(warmup), "--measure",
                    Double.toString(measure), "--loss-timeout-ms", Integer.toString(lossTimeoutMillis)));
            Process load = cell.load(NetworkNamespace.open(namespace).start(command.toArray(String[]::new)));
            forward(load.getErrorStream());
            BlockingQueue<String> lines = lines(load.getInputStream());
            long deadline = System.nanoTime() + (long) ((warmup + measure) * 1e9) + SLACK_NANOS;

            expect(lines, "measuring", deadline, mode, size);
            Snapshot before = new Snapshot(responder, device);
            expect(lines, "measured", deadline, mode, size);
            Snapshot after = new Snapshot(responder, device);
            String result = expect(lines, "result ", deadline, mode, size);
            if (!load.waitFor(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)
                    || load.exitValue() != 0) {
                throw new IllegalStateException(mode.label + " " + size + " B: the load generator failed (exit "
                        + (load.isAlive() ? "none, still running" : load.exitValue()) + "); see its output above");
            }

            Map<String, Object> row = new LinkedHashMap<>();
            row.put("size", size);
            row.put("mode", mode.label);
            Map<String, Long> counts = parse(result);
            counts.forEach(row::put);
            double seconds = counts.get("nanos") / 1e9;
            row.put("replies_per_s", counts.get("replies") / seconds);
            long packets = after.rxPackets - before.rxPackets;
            long allocated = after.allocated - before.allocated;
            row.put("loop_packets", packets);
            row.put("loop_allocated_bytes", allocated);
            row.put("loop_bytes_per_packet", packets == 0 ? Double.NaN : (double) allocated / packets);
            long wall = after.nanos - before.nanos;
            row.put("loop_wall_nanos", wall);
            row.put("loop_cpu_nanos", after.cpu - before.cpu);
            row.put("loop_user_nanos", after.user - before.user);
            row.put("loop_cpu_fraction", (double) (after.cpu - before.cpu) / wall);
            row.put("loop_user_fraction", (double) (after.user - before.user) / wall);
            row.put("loop_tx_full", after.txFull - before.txFull);
            row.put("load_cpu_fraction", counts.get("cpu_nanos") / (double) counts.get("nanos"));
            long jiffies = after.machineTotal - before.machineTotal;
            double machineBusy = jiffies == 0 ? Double.NaN : (double) (after.machineBusy - before.machineBusy)
                    / jiffies * Runtime.getRuntime().availableProcessors();
            row.put("machine_busy_cores", machineBusy);
            row.put("bench_cpu_fraction", (double) (after.processCpu - before.processCpu) / wall);
            // What else ran on the machine meanwhile: other processes (a noisy neighbour), and kernel threads.
            row.put("other_busy_cores", machineBusy - (double) (after.processCpu - before.processCpu) / wall
                    - counts.get("cpu_nanos") / (double) counts.get("nanos"));
            if (cell.stack != null) {
                Map<String, Map<String, Long>> counters = cell.stack.counters();
                row.put("stack_internal_errors", counters.get("interface").getOrDefault("internal-error", 0L));
                row.put("stack_udp_flows_opened", counters.get("udp").getOrDefault("flows-opened", 0L));
                List<UdpFlowStatus> flows = cell.stack.udpFlows();
                row.put("stack_tapped_flows", flows.stream().filter(f -> f.runtimeFlowId() != 0).count());
                if (mode == Mode.STACK_RUNTIME && flows.stream().noneMatch(f -> f.runtimeFlowId() != 0)) {
                    throw new IllegalStateException("stack+runtime: the echo flow did not pass through the runtime:"
                            + " " + flows);
                }
            }
            return row;
        } finally {
            cell.close();
            synchronized (CURRENT_LOCK) {
                current = null;
            }
        }
    }

    private static StackOptions stackOptions(String namespace) {
        return new StackOptions(InterfaceConfig.of(List.of(IpCidr.parse(RESPONDER_ADDRESS + "/24"))),
                UdpSettings.DEFAULTS, ECHO_PORT, LINK_NAME, namespace, List.of(PEER_ADDRESS));
    }

    /** @return the stack's loop thread ({@code layer45-net <link>}), which must be the only one alive */
    private static Thread loopThread() {
        List<Thread> found = Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().equals("layer45-net " + LINK_NAME) && t.isAlive()).toList();
        if (found.size() != 1) {
            throw new IllegalStateException("expected one stack loop thread 'layer45-net " + LINK_NAME + "', found "
                    + found.size());
        }
        return found.get(0);
    }

    /** What is measured at the start and at the end of the load generator's measurement window. */
    private final class Snapshot {
        final long nanos = System.nanoTime();
        final long allocated;
        final long cpu;
        final long user;
        final long rxPackets;
        final long txFull;
        final long processCpu;
        long machineTotal;
        long machineBusy;

        Snapshot(Thread responder, TunDevice device) throws IOException {
            long id = responder.threadId();
            allocated = threads.getThreadAllocatedBytes(id);
            cpu = threads.getThreadCpuTime(id);
            user = threads.getThreadUserTime(id);
            rxPackets = device.counters().get(TunEvent.RX_PACKETS);
            txFull = device.counters().get(TunEvent.TX_FULL);
            processCpu = ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                    .getProcessCpuTime();
            // /proc/stat, first line: cpu user nice system idle iowait irq softirq steal guest guest_nice
            String[] fields = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
            for (int i = 1; i <= 8 && i < fields.length; i++) {
                long value = Long.parseLong(fields[i]);
                machineTotal += value;
                if (i != 4 && i != 5) {
                    machineBusy += value;
                }
            }
        }
    }

    /** Waits for the load generator's next line, which must start with {@code prefix}. */
    private static String expect(BlockingQueue<String> lines, String prefix, long deadline, Mode mode, int size)
            throws InterruptedException {
        String line = lines.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        if (line == null || !line.startsWith(prefix)) {
            throw new IllegalStateException(mode.label + " " + size + " B: expected '" + prefix.strip()
                    + "' from the load generator, got " + (line == null ? "nothing in time" : "'" + line + "'"));
        }
        return line;
    }

    private static Map<String, Long> parse(String result) {
        Map<String, Long> values = new LinkedHashMap<>();
        for (String pair : result.substring("result ".length()).trim().split("\\s+")) {
            int equals = pair.indexOf('=');
            values.put(pair.substring(0, equals), Long.parseLong(pair.substring(equals + 1)));
        }
        return values;
    }

    /** @return the process's standard output, line by line; {@code <eof>} at the end */
    private static BlockingQueue<String> lines(InputStream stdout) {
        BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        Thread.ofVirtual().start(() -> {
            try (BufferedReader reader = new BufferedReader(new InputStreamReader(stdout, StandardCharsets.UTF_8))) {
                for (String line; (line = reader.readLine()) != null; ) {
                    lines.add(line);
                }
            } catch (IOException e) {
                // the process was killed
            }
            lines.add("<eof>");
        });
        return lines;
    }

    private static void forward(InputStream stderr) {
        Thread.ofVirtual().start(() -> {
            try (BufferedReader reader = new BufferedReader(new InputStreamReader(stderr, StandardCharsets.UTF_8))) {
                for (String line; (line = reader.readLine()) != null; ) {
                    System.err.println("udp-load: " + line);
                }
            } catch (IOException e) {
                // the process was killed
            }
        });
    }

    private static int size(String text) {
        int size;
        try {
            size = Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("size '" + text + "' is not a number of bytes");
        }
        // An IPv4 datagram of this payload must fit the link's MTU unfragmented.
        if (size < 1 || size > MTU - 28) {
            throw new IllegalArgumentException("UDP payload " + size + " is outside 1.." + (MTU - 28) + " bytes");
        }
        return size;
    }

    private String json(Instant started, long elapsedNanos, List<Map<String, Object>> cells) {
        Map<String, Object> run = new LinkedHashMap<>();
        run.put("benchmark", "udp-echo");
        run.put("started", started.toString());
        run.put("elapsed_s", elapsedNanos / 1e9);
        run.put("jdk", System.getProperty("java.version") + " (" + System.getProperty("java.vm.name") + " "
                + System.getProperty("java.vm.version") + ")");
        run.put("jvm_flags", String.join(" ", ManagementFactory.getRuntimeMXBean().getInputArguments()));
        run.put("load_jvm_flags", String.join(" ", LOAD_JVM_FLAGS));
        run.put("cores", Runtime.getRuntime().availableProcessors());
        run.put("kernel", System.getProperty("os.version"));
        run.put("mtu", MTU);
        run.put("queue_length", TunLinkOptions.queueLengthFor(MTU));
        run.put("sizes", sizes);
        run.put("modes", modes.stream().map(m -> m.label).toList());
        run.put("repeats", repeats);
        run.put("warmup_s", warmup);
        run.put("measure_s", measure);
        run.put("window", window);
        run.put("loss_timeout_ms", lossTimeoutMillis);
        run.put("jvm_warmup_s", jvmWarmup);
        run.put("cells", cells);
        return Json.write(run) + "\n";
    }

    /** What one measurement set up, torn down in reverse by {@link #close()} (idempotent, any thread). */
    private static final class Cell implements AutoCloseable {
        private TunLink link;
        private TunReflector reflector;
        private RunningStack stack;
        private Layer45Runtime runtime;
        private Process load;
        private boolean closed;

        synchronized TunLink link(TunLink value) {
            return link = value;
        }

        synchronized TunReflector reflector(TunReflector value) {
            return reflector = value;
        }

        synchronized RunningStack stack(RunningStack value) {
            return stack = value;
        }

        synchronized Layer45Runtime runtime(Layer45Runtime value) {
            return runtime = value;
        }

        synchronized Process load(Process value) {
            return load = value;
        }

        @Override
        public synchronized void close() {
            if (closed) {
                return;
            }
            closed = true;
            List<RuntimeException> failures = new ArrayList<>();
            if (load != null) {
                load.descendants().forEach(ProcessHandle::destroyForcibly);
                load.destroyForcibly();
                try {
                    load.waitFor(5, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            attempt(failures, reflector == null ? null : reflector::close);
            attempt(failures, stack == null ? null : stack::close);
            attempt(failures, runtime == null ? null : runtime::close);
            attempt(failures, link == null ? null : link::close);
            if (!failures.isEmpty()) {
                RuntimeException first = failures.get(0);
                failures.subList(1, failures.size()).forEach(first::addSuppressed);
                throw first;
            }
        }

        private static void attempt(List<RuntimeException> failures, Runnable step) {
            if (step != null) {
                try {
                    step.run();
                } catch (RuntimeException e) {
                    failures.add(e);
                }
            }
        }
    }

    /** A minimal JSON writer for the results: maps, lists, strings, numbers and booleans. */
    static final class Json {
        private Json() {
        }

        static String write(Object value) {
            StringBuilder out = new StringBuilder();
            write(value, out, "");
            return out.toString();
        }

        private static void write(Object value, StringBuilder out, String indent) {
            switch (value) {
                case null -> out.append("null");
                case Map<?, ?> map -> {
                    out.append("{");
                    String inner = indent + "  ";
                    boolean first = true;
                    for (Map.Entry<?, ?> entry : map.entrySet()) {
                        out.append(first ? "\n" : ",\n").append(inner);
                        first = false;
                        string(entry.getKey().toString(), out);
                        out.append(": ");
                        write(entry.getValue(), out, inner);
                    }
                    out.append(first ? "}" : "\n" + indent + "}");
                }
                case List<?> list -> {
                    out.append("[");
                    String inner = indent + "  ";
                    for (int i = 0; i < list.size(); i++) {
                        out.append(i == 0 ? "\n" : ",\n").append(inner);
                        write(list.get(i), out, inner);
                    }
                    out.append(list.isEmpty() ? "]" : "\n" + indent + "]");
                }
                case Double d -> out.append(d.isNaN() || d.isInfinite() ? "null" : d.toString());
                case Number n -> out.append(n);
                case Boolean b -> out.append(b);
                default -> string(value.toString(), out);
            }
        }

        private static void string(String text, StringBuilder out) {
            out.append('"');
            for (char c : text.toCharArray()) {
                switch (c) {
                    case '"' -> out.append("\\\"");
                    case '\\' -> out.append("\\\\");
                    case '\n' -> out.append("\\n");
                    default -> {
                        if (c < 0x20) {
                            out.append(String.format("\\u%04x", (int) c));
                        } else {
                            out.append(c);
                        }
                    }
                }
            }
            out.append('"');
        }
    }
}
