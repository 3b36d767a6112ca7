package layer45.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import layer45.mnet.iface.InterfaceConfig;
import layer45.mnet.loop.RunningStack;
import layer45.mnet.loop.StackOptions;
import layer45.mnet.phy.linux.LinkConfigurator;
import layer45.mnet.phy.linux.NetworkNamespace;
import layer45.mnet.phy.linux.TunDevice;
import layer45.mnet.phy.linux.TunEvent;
import layer45.mnet.phy.linux.TunLink;
import layer45.mnet.phy.linux.TunLinkOptions;
import layer45.mnet.service.TcpSource;
import layer45.mnet.socket.tcp.TcpSettings;
import layer45.mnet.socket.udp.UdpSettings;
import layer45.mnet.time.Clock;
import layer45.mnet.wire.IpCidr;
import layer45.runtime.Layer45Runtime;

/**
 * TCP between the kernel and the stack over a real TUN link, beside the kernel with itself over a veth pair,
 * measured side by side in one run:
 * <ul>
 * <li>{@code in}: bulk, kernel to responder: {@link TcpLoad} {@code send} writes to the discard service (port 9);</li>
 * <li>{@code out}: bulk, responder to kernel: {@link TcpLoad} {@code receive} reads from a source service (port 19,
 *     {@link TcpSource});</li>
 * <li>{@code cps}: connections per second: {@link TcpLoad} {@code cps} threads connect, send 64 bytes to the echo
 *     service (port 7), read them back and close, one connection after the other.</li>
 * </ul>
 * Each against three responders:
 * <ul>
 * <li>{@code veth}: the reference: the kernel's TCP in a second namespace over a veth pair, served by
 *     {@link TcpLoad} {@code serve} (one thread, a selector), the load in the first;</li>
 * <li>{@code stack}: {@link RunningStack} on a TUN device, no customization runtime;</li>
 * <li>{@code stack+runtime}: the same with a standalone {@link Layer45Runtime} as the flow tap, no module loaded:
 *     every byte goes through the customization chain ({@code TappedStream}).</li>
 * </ul>
 *
 * <p>Each measurement gets fresh namespaces and links (TUN with the queue length the stack uses by default for the
 * MTU, or a veth pair, at the same MTU), a fresh responder and the load as a JVM of its own in the namespace. At the
 * edges of the load's measurement window this process reads the responder's CPU time (the stack's loop thread, or
 * the veth server's process), the device's counters and the machine's CPU use. Within one test and MTU the responders
 * take turns, in a rotated order at each repetition. Before all that, the stack's responders run each test once
 * unrecorded ({@code --jvm-warmup} seconds) so that the JIT compiling the stack burdens no recorded measurement.
 * Results go to a JSON file that {@code bench/tcp_report.py} renders.
 *
 * <p>Needs root. Everything is torn down after each measurement, on failure too, and by a shutdown hook on Ctrl-C;
 * namespaces {@code l45tb-PID-...} left by a killed run are deleted at the next start. Traffic stays on the
 * benchmark's own links: 10.46.0.2 (load) to 10.46.0.1 (stack) over TUN, 10.47.0.2 (load) to 10.47.0.1 (server)
 * over veth.
 *
 * <pre>
 * java --enable-native-access=ALL-UNNAMED -cp ... layer45.bench.TcpBenchmark --json out.json \
 *     [--tests in,out,cps] [--mtus 1500,65520] [--cps-mtus 1500] [--responders veth,stack,stack+runtime] \
 *     [--repeats 3] [--warmup 2] [--measure 5] [--jvm-warmup 3] [--buffers 4194304] [--cps-threads 4]
 * </pre>
 */
public final class TcpBenchmark {

    /** Prefix of the namespaces this benchmark creates: {@code l45tb-<pid>-<n>[a|b]}. */
    static final String NAMESPACE_PREFIX = "l45tb-";
    private static final Pattern LEFTOVER = Pattern.compile("l45tb-(\\d{1,10})-\\d+[ab]?");
    static final String TUN_NAME = "l45tb0";
    static final String STACK_ADDRESS = "10.46.0.1";
    static final String STACK_PEER = "10.46.0.2/24";
    static final String VETH_SERVER = "10.47.0.1";
    static final String VETH_LOAD = "10.47.0.2";
    static final String VETH_SERVER_LINK = "l45v0";
    static final String VETH_LOAD_LINK = "l45v1";
    /** In every load namespace: ports enough for {@code cps}, and TIME_WAIT ports reused (RFC 6191 style). */
    static final List<String> LOAD_SYSCTLS = List.of("net.ipv4.ip_local_port_range=1024 65000",
            "net.ipv4.tcp_tw_reuse=1");

    private final List<String> tests;
    private final List<Integer> mtus;
    private final List<Integer> cpsMtus;
    private final List<Responder> responders;
    private final int repeats;
    private final double warmup;
    private final double measure;
    private final double jvmWarmup;
    private final int buffers;
    private final int cpsThreads;

    /** What serves the load. */
    enum Responder {
        VETH("veth"), STACK("stack"), STACK_RUNTIME("stack+runtime");

        final String label;

        Responder(String label) {
            this.label = label;
        }

        static Responder of(String label) {
            for (Responder r : values()) {
                if (r.label.equals(label)) {
                    return r;
                }
            }
            throw new IllegalArgumentException("unknown responder '" + label + "': use veth, stack or stack+runtime");
        }
    }

    private TcpBenchmark(Options options) {
        tests = options.list("tests", "in,out,cps");
        for (String test : tests) {
            if (!List.of("in", "out", "cps").contains(test)) {
                throw new IllegalArgumentException("unknown test '" + test + "': use in, out or cps");
            }
        }
        mtus = options.list("mtus", "1500,65520").stream().map(TcpBenchmark::mtu).toList();
        cpsMtus = options.list("cps-mtus", "1500").stream().map(TcpBenchmark::mtu).toList();
        responders = options.list("responders", "veth,stack,stack+runtime").stream().map(Responder::of).toList();
        repeats = options.has("repeats") ? options.integer("repeats", 1, 100) : 3;
        warmup = options.has("warmup") ? options.decimal("warmup") : 2;
        measure = options.has("measure") ? options.decimal("measure") : 5;
        jvmWarmup = options.has("jvm-warmup") ? options.decimal("jvm-warmup") : 3;
        buffers = options.has("buffers") ? options.integer("buffers", 4096, 1 << 30) : 4 << 20;
        cpsThreads = options.has("cps-threads") ? options.integer("cps-threads", 1, 64) : 4;
    }

    private static int mtu(String text) {
        try {
            int mtu = Integer.parseInt(text);
            if (mtu < 1280 || mtu > 65520) {
                throw new IllegalArgumentException("MTU " + mtu + " is outside 1280..65520");
            }
            return mtu;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("MTU '" + text + "' is not a number");
        }
    }

    /**
     * Runs the benchmark and writes the results.
     *
     * @param args {@code --json FILE} and the options in the class comment
     * @throws Exception if a measurement fails; everything it set up is torn down first
     */
    public static void main(String[] args) throws Exception {
        Path json;
        TcpBenchmark benchmark;
        try {
            Options options = Options.parse(args);
            json = Path.of(options.text("json"));
            benchmark = new TcpBenchmark(options);
            options.requireAllUsed();
        } catch (IllegalArgumentException e) {
            System.err.println("tcp-bench: " + e.getMessage() + "; the options are in the comment of "
                    + TcpBenchmark.class.getName());
            System.exit(2);
            return;
        }
        BenchNamespace.requirePrivileges("tcp-bench: ", "network namespaces, TUN and veth devices");
        BenchNamespace.sweepLeftovers(LEFTOVER, "tcp-bench: ");
        BenchCell.closeOnShutdown("tcp-bench-cleanup");
        Instant started = Instant.now();
        long start = System.nanoTime();
        List<Map<String, Object>> cells = benchmark.run();
        long elapsed = System.nanoTime() - start;
        Files.writeString(json, benchmark.json(started, elapsed, cells));
        System.err.printf("tcp-bench: %d measurements in %.0f s, written to %s%n", cells.size(), elapsed / 1e9, json);
    }

    private List<Map<String, Object>> run() throws Exception {
        // One unrecorded measurement per test on each stack responder first: the JIT compiles the stack's paths.
        for (String test : tests) {
            for (Responder responder : responders) {
                if (responder != Responder.VETH) {
                    int mtu = test.equals("cps") ? cpsMtus.get(0) : mtus.get(mtus.size() - 1);
                    System.err.printf("tcp-bench: warming up the JVM: %s, MTU %d, %s, %.1f s%n", test, mtu,
                            responder.label, jvmWarmup);
                    measure(test, mtu, responder, jvmWarmup / 2, jvmWarmup / 2);
                }
            }
        }
        List<Map<String, Object>> cells = new ArrayList<>();
        List<String[]> plan = new ArrayList<>();
        for (String test : tests) {
            for (int mtu : test.equals("cps") ? cpsMtus : mtus) {
                plan.add(new String[] {test, Integer.toString(mtu)});
            }
        }
        int total = plan.size() * repeats * responders.size();
        for (String[] step : plan) {
            String test = step[0];
            int mtu = Integer.parseInt(step[1]);
            for (int repeat = 0; repeat < repeats; repeat++) {
                for (int k = 0; k < responders.size(); k++) {
                    Responder responder = responders.get((k + repeat) % responders.size());
                    Map<String, Object> cell = measure(test, mtu, responder, warmup, measure);
                    cell.put("repeat", repeat + 1);
                    cells.add(cell);
                    System.err.printf(Locale.ROOT, "tcp-bench: [%d/%d] %-3s MTU %5d %-13s #%d: %s, responder CPU"
                            + " %.0f%%, load CPU %.0f%%, machine %.2f of %d cores busy%n", cells.size(), total, test,
                            mtu, responder.label, repeat + 1, test.equals("cps")
                                    ? String.format(Locale.ROOT, "%,.0f connections/s", (double) cell.get("cps"))
                                    : String.format(Locale.ROOT, "%.2f Gb/s", (double) cell.get("gbps")),
                            100 * (double) cell.get("responder_cpu_fraction"),
                            100 * (double) cell.get("load_cpu_fraction"), (double) cell.get("machine_busy_cores"),
                            Runtime.getRuntime().availableProcessors());
                }
            }
        }
        return cells;
    }

    /** One measurement: namespaces, links and responder up, load run, everything down again. */
    private Map<String, Object> measure(String test, int mtu, Responder responder, double warmup, double measure)
            throws Exception {
        String base = BenchNamespace.next(NAMESPACE_PREFIX);
        BenchCell cell = BenchCell.open();
        String what = test + " MTU " + mtu + " " + responder.label;
        try {
            String loadNamespace;
            String target;
            Thread loop = null;
            long serverPid = -1;
            TunDevice device = null;
            if (responder == Responder.VETH) {
                String serverNamespace = base + "a";
                loadNamespace = base + "b";
                cell.namespace(NetworkNamespace.create(serverNamespace));
                cell.namespace(NetworkNamespace.create(loadNamespace));
                ip("-n", serverNamespace, "link", "add", VETH_SERVER_LINK, "mtu", Integer.toString(mtu), "type",
                        "veth", "peer", "name", VETH_LOAD_LINK, "mtu", Integer.toString(mtu), "netns", loadNamespace);
                ip("-n", serverNamespace, "addr", "add", VETH_SERVER + "/24", "dev", VETH_SERVER_LINK);
                ip("-n", loadNamespace, "addr", "add", VETH_LOAD + "/24", "dev", VETH_LOAD_LINK);
                for (String[] link : List.of(new String[] {serverNamespace, VETH_SERVER_LINK},
                        new String[] {loadNamespace, VETH_LOAD_LINK}, new String[] {serverNamespace, "lo"},
                        new String[] {loadNamespace, "lo"})) {
                    ip("-n", link[0], "link", "set", link[1], "up");
                }
                List<String> command = javaCommand("--mode", "serve", "--address", VETH_SERVER);
                Process server = cell.process(NetworkNamespace.open(serverNamespace)
                        .start(command.toArray(String[]::new)));
                serverPid = server.pid();
                LoadProcess.forward(server.getErrorStream(), "tcp-serve: ");
                BlockingQueue<String> lines = LoadProcess.lines(server.getInputStream());
                LoadProcess.expect(lines, "ready", System.nanoTime() + LoadProcess.SLACK_NANOS, what, "");
                target = VETH_SERVER;
            } else {
                loadNamespace = base;
                TunLinkOptions link = new TunLinkOptions(TUN_NAME, loadNamespace, mtu,
                        TunLinkOptions.queueLengthFor(mtu), List.of(STACK_PEER), false);
                device = cell.link(TunLink.open(link, new LinkConfigurator())).device();
                Layer45Runtime runtime = responder == Responder.STACK_RUNTIME
                        ? cell.runtime(Layer45Runtime.standalone()) : null;
                cell.stack(RunningStack.start(device, stackOptions(loadNamespace), () -> runtime, Clock.SYSTEM))
                        .callTcp(tcp -> tcp.listen(null, 0, 0, true, TcpLoad.SOURCE_PORT, new TcpSource()));
                loop = CpuMeter.loopThread(TUN_NAME);
                ip("-n", loadNamespace, "link", "set", "lo", "up");
                target = STACK_ADDRESS;
            }
            for (String sysctl : LOAD_SYSCTLS) {
                NetworkNamespace.open(loadNamespace).exec(Duration.ofSeconds(10), "sysctl", "-q", "-w",
                        sysctl);
            }

            List<String> command = switch (test) {
                case "in" -> javaCommand("--mode", "send", "--target", target, "--port",
                        Integer.toString(TcpLoad.DISCARD_PORT));
                case "out" -> javaCommand("--mode", "receive", "--target", target, "--port",
                        Integer.toString(TcpLoad.SOURCE_PORT));
                default -> javaCommand("--mode", "cps", "--target", target, "--port",
                        Integer.toString(TcpLoad.ECHO_PORT), "--threads", Integer.toString(cpsThreads));
            };
            command.addAll(List.of("--warmup", Double.toString(warmup), "--measure", Double.toString(measure)));
            Process load = cell.process(NetworkNamespace.open(loadNamespace).start(command.toArray(String[]::new)));
            LoadProcess.forward(load.getErrorStream(), "tcp-load: ");
            BlockingQueue<String> lines = LoadProcess.lines(load.getInputStream());
            long deadline = LoadProcess.deadline(warmup, measure);

            LoadProcess.expect(lines, "measuring", deadline, what, "");
            Snapshot before = new Snapshot(loop, serverPid, device);
            LoadProcess.expect(lines, "measured", deadline, what, "");
            Snapshot after = new Snapshot(loop, serverPid, device);
            String result = LoadProcess.expect(lines, "result ", deadline, what, "");
            LoadProcess.awaitSuccess(load, deadline, what, "the load");

            Map<String, Object> row = new LinkedHashMap<>();
            row.put("test", test);
            row.put("mtu", mtu);
            row.put("responder", responder.label);
            Map<String, Long> counts = LoadProcess.parse(result);
            counts.forEach(row::put);
            double seconds = counts.get("nanos") / 1e9;
            if (test.equals("cps")) {
                row.put("cps", counts.get("connections") / seconds);
            } else {
                row.put("gbps", counts.get("bytes") * 8 / seconds / 1e9);
            }
            long wall = after.nanos - before.nanos;
            row.put("wall_nanos", wall);
            row.put("responder_cpu_nanos", after.cpu - before.cpu);
            row.put("responder_cpu_fraction", (double) (after.cpu - before.cpu) / wall);
            row.put("responder_user_fraction", (double) (after.user - before.user) / wall);
            row.put("load_cpu_fraction", counts.get("cpu_nanos") / (double) counts.get("nanos"));
            double machineBusy = after.machine.busyCores(before.machine);
            row.put("machine_busy_cores", machineBusy);
            row.put("softirq_cores", after.machine.softirqCores(before.machine));
            double benchCpu = responder == Responder.VETH ? (double) (after.cpu - before.cpu) / wall
                    : (double) (after.processCpu - before.processCpu) / wall;
            row.put("other_busy_cores", machineBusy - benchCpu - counts.get("cpu_nanos") / (double) counts.get("nanos"));
            if (device != null) {
                row.put("device_rx_packets", after.rxPackets - before.rxPackets);
                row.put("device_tx_packets", after.txPackets - before.txPackets);
                row.put("device_tx_full", after.txFull - before.txFull);
                Map<String, Long> tcp = cell.stack.counters().get("tcp");
                for (String key : List.of("segments-received", "segments-sent", "bytes-received", "bytes-sent",
                        "fast-retransmits", "retransmit-timeouts", "out-of-order-kept", "out-of-order-dropped",
                        "out-of-window", "duplicate-acks", "connections-opened", "connections-aborted",
                        "syn-queue-full", "backlog-full", "send-failed", "tap-failed")) {
                    row.put("stack_" + key.replace('-', '_'), tcp.getOrDefault(key, 0L));
                }
            }
            return row;
        } finally {
            cell.close();
        }
    }

    private List<String> javaCommand(String... args) {
        return LoadProcess.command(TcpLoad.class, args);
    }

    private StackOptions stackOptions(String namespace) {
        TcpSettings tcp = TcpSettings.DEFAULTS.withBuffers(buffers, buffers);
        return new StackOptions(InterfaceConfig.of(List.of(IpCidr.parse(STACK_ADDRESS + "/24"))),
                UdpSettings.DEFAULTS, tcp, TcpLoad.ECHO_PORT, TcpLoad.DISCARD_PORT, 0, 0, TUN_NAME, namespace,
                List.of(STACK_PEER));
    }

    /** Runs {@code ip ARGS} and fails with its output if it fails. */
    private static void ip(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add("ip");
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        if (!p.waitFor(10, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException(String.join(" ", command) + " did not finish in 10 s");
        }
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        if (p.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed (exit " + p.exitValue() + "): "
                    + output);
        }
    }

    /** What is measured at the start and at the end of the load's measurement window. */
    private final class Snapshot {
        final long nanos = System.nanoTime();
        final long cpu;
        final long user;
        final long rxPackets;
        final long txPackets;
        final long txFull;
        final long processCpu;
        final CpuMeter.Machine machine;

        Snapshot(Thread loop, long serverPid, TunDevice device) throws IOException {
            if (loop != null) {
                cpu = CpuMeter.THREADS.getThreadCpuTime(loop.threadId());
                user = CpuMeter.THREADS.getThreadUserTime(loop.threadId());
            } else {
                long[] times = ProcStat.cpuAndUserNanos(serverPid);
                cpu = times[0];
                user = times[1];
            }
            rxPackets = device == null ? 0 : device.counters().get(TunEvent.RX_PACKETS);
            txPackets = device == null ? 0 : device.counters().get(TunEvent.TX_PACKETS);
            txFull = device == null ? 0 : device.counters().get(TunEvent.TX_FULL);
            processCpu = CpuMeter.processCpuNanos();
            machine = CpuMeter.Machine.read();
        }
    }

    private String json(Instant started, long elapsedNanos, List<Map<String, Object>> cells) {
        Map<String, Object> run = Json.runHeader("tcp", started, elapsedNanos, LoadProcess.JVM_FLAGS);
        run.put("load_sysctls", LOAD_SYSCTLS);
        run.put("cores", Runtime.getRuntime().availableProcessors());
        run.put("kernel", System.getProperty("os.version"));
        run.put("tests", tests);
        run.put("mtus", mtus);
        run.put("cps_mtus", cpsMtus);
        Map<String, Object> queues = new LinkedHashMap<>();
        for (int mtu : mtus) {
            queues.put(Integer.toString(mtu), TunLinkOptions.queueLengthFor(mtu));
        }
        run.put("tun_queue_lengths", queues);
        run.put("responders", responders.stream().map(r -> r.label).toList());
        run.put("repeats", repeats);
        run.put("warmup_s", warmup);
        run.put("measure_s", measure);
        run.put("jvm_warmup_s", jvmWarmup);
        run.put("stack_buffers", buffers);
        run.put("default_buffers", TcpSettings.DEFAULTS.receiveBuffer());
        run.put("cps_threads", cpsThreads);
        run.put("cells", cells);
        return Json.write(run) + "\n";
    }
}
