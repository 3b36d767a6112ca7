package layer45.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.regex.Pattern;

import layer45.mnet.UdpFlowStatus;
import layer45.mnet.iface.InterfaceConfig;
import layer45.mnet.loop.RunningStack;
import layer45.mnet.loop.StackOptions;
import layer45.mnet.phy.linux.LinkConfigurator;
import layer45.mnet.phy.linux.NetworkNamespace;
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
    /** Who answers the benchmark's expectations, for its messages. */
    private static final String FROM_LOAD = " from the load generator";
    /** The names {@link BenchNamespace#next} gives, with the pid as group 1. */
    private static final Pattern LEFTOVER = Pattern.compile("l45b-(\\d{1,10})-[^-]+");

    private final List<Integer> sizes;
    private final List<Mode> modes;
    private final int repeats;
    private final double warmup;
    private final double measure;
    private final int window;
    private final int lossTimeoutMillis;
    private final double jvmWarmup;

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
        BenchNamespace.requirePrivileges("udp-echo: ", "network namespaces and a TUN device");
        BenchNamespace.sweepLeftovers(LEFTOVER, "udp-echo: ");
        BenchCell.closeOnShutdown("udp-echo-cleanup");
        Instant started = Instant.now();
        long start = System.nanoTime();
        List<Map<String, Object>> cells = benchmark.run();
        long elapsed = System.nanoTime() - start;
        Files.writeString(json, benchmark.json(started, elapsed, cells));
        System.err.printf("udp-echo: %d measurements in %.0f s, written to %s%n", cells.size(), elapsed / 1e9, json);
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
        String namespace = BenchNamespace.next(NAMESPACE_PREFIX);
        String what = mode.label + " " + size + " B";
        BenchCell cell = BenchCell.open();
        try {
            TunLinkOptions link = new TunLinkOptions(LINK_NAME, namespace, MTU, TunLinkOptions.queueLengthFor(MTU),
                    List.of(PEER_ADDRESS), false);
            cell.link(TunLink.open(link, new LinkConfigurator()));
            TunDevice device = cell.link.device();
            Thread responder = switch (mode) {
                case CEILING -> cell.reflector(TunReflector.start(device, "udp-echo-ceiling " + LINK_NAME)).thread();
                case STACK -> {
                    cell.stack(RunningStack.start(device, stackOptions(namespace), () -> null, Clock.SYSTEM));
                    yield CpuMeter.loopThread(LINK_NAME);
                }
                case STACK_RUNTIME -> {
                    Layer45Runtime runtime = cell.runtime(Layer45Runtime.standalone());
                    cell.stack(RunningStack.start(device, stackOptions(namespace), () -> runtime, Clock.SYSTEM));
                    yield CpuMeter.loopThread(LINK_NAME);
                }
            };
            List<String> command = LoadProcess.command(UdpLoad.class, "--target", RESPONDER_ADDRESS,
                    "--port", Integer.toString(ECHO_PORT), "--size", Integer.toString(size), "--window",
                    Integer.toString(window), "--warmup", Double.toString(warmup), "--measure",
                    Double.toString(measure), "--loss-timeout-ms", Integer.toString(lossTimeoutMillis));
            Process load = cell.process(NetworkNamespace.open(namespace).start(command.toArray(String[]::new)));
            LoadProcess.forward(load.getErrorStream(), "udp-load: ");
            BlockingQueue<String> lines = LoadProcess.lines(load.getInputStream());
            long deadline = LoadProcess.deadline(warmup, measure);

            LoadProcess.expect(lines, "measuring", deadline, what, FROM_LOAD);
            Snapshot before = new Snapshot(responder, device);
            LoadProcess.expect(lines, "measured", deadline, what, FROM_LOAD);
            Snapshot after = new Snapshot(responder, device);
            String result = LoadProcess.expect(lines, "result ", deadline, what, FROM_LOAD);
            LoadProcess.awaitSuccess(load, deadline, what, "the load generator");

            Map<String, Object> row = new LinkedHashMap<>();
            row.put("size", size);
            row.put("mode", mode.label);
            Map<String, Long> counts = LoadProcess.parse(result);
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
            double machineBusy = after.machine.busyCores(before.machine);
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
        }
    }

    private static StackOptions stackOptions(String namespace) {
        return new StackOptions(InterfaceConfig.of(List.of(IpCidr.parse(RESPONDER_ADDRESS + "/24"))),
                UdpSettings.DEFAULTS, ECHO_PORT, LINK_NAME, namespace, List.of(PEER_ADDRESS));
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
        final CpuMeter.Machine machine;

        Snapshot(Thread responder, TunDevice device) throws IOException {
            long id = responder.threadId();
            allocated = CpuMeter.THREADS.getThreadAllocatedBytes(id);
            cpu = CpuMeter.THREADS.getThreadCpuTime(id);
            user = CpuMeter.THREADS.getThreadUserTime(id);
            rxPackets = device.counters().get(TunEvent.RX_PACKETS);
            txFull = device.counters().get(TunEvent.TX_FULL);
            processCpu = CpuMeter.processCpuNanos();
            machine = CpuMeter.Machine.read();
        }
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
        Map<String, Object> run = Json.runHeader("udp-echo", started, elapsedNanos, LoadProcess.JVM_FLAGS);
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
}
