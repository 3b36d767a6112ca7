package layer45.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * The programs of {@link TcpBenchmark} that run in its network namespaces, each a JVM of its own, with the kernel's
 * TCP: the load (one of {@code send}, {@code receive}, {@code cps}) and, for the veth reference, the server
 * ({@code serve}) that plays the stack's part.
 *
 * <ul>
 * <li>{@code send}: one connection to a discard service; writes 256 KiB at a time, as fast as the socket takes it,
 *     and counts the bytes written.</li>
 * <li>{@code receive}: one connection to a source service ({@code layer45.mnet.service.TcpSource}'s pattern); reads
 *     as fast as it comes and counts the bytes read; the first MiB is checked against the pattern.</li>
 * <li>{@code cps}: {@code --threads} threads, each one connection after the other: connect, write {@code --size}
 *     bytes to an echo service, read them back, close. Counts completed cycles.</li>
 * <li>{@code serve}: echo (7), discard (9) and source (19) on {@code --address}, all on one thread with a selector,
 *     as the stack serves them on its loop thread. Prints {@code ready} once listening; runs until its standard
 *     input ends or it is killed.</li>
 * </ul>
 *
 * <p>The loads speak to the benchmark as {@link UdpLoad} does: {@code measuring} when the warm-up ends,
 * {@code measured} when the measurement window ends, then {@code result key=value ...}. Counters are written by
 * one thread each and read by the main thread at the window's edges.
 *
 * <pre>
 * java -cp bench/target/classes layer45.bench.TcpLoad --mode send --target 10.46.0.1 --port 9 --warmup 2 --measure 5
 * java -cp bench/target/classes layer45.bench.TcpLoad --mode serve --address 10.47.0.1
 * </pre>
 */
public final class TcpLoad {

    static final int ECHO_PORT = 7;
    static final int DISCARD_PORT = 9;
    static final int SOURCE_PORT = 19;
    /** The source's pattern: {@code TcpSource}'s 64 KiB, repeated. */
    static final int PATTERN = 65536;
    private static final int CHUNK = 256 * 1024;
    private static final int CHECKED_BYTES = 1 << 20;
    private static final long CONNECT_TIMEOUT_MILLIS = 5_000;

    private volatile boolean running = true;
    private volatile String failure;

    /**
     * @param args {@code --mode send|receive|cps|serve} and the mode's options (class comment)
     * @throws Exception if the run cannot start; exits with 1 if it failed
     */
    public static void main(String[] args) throws Exception {
        Options options = Options.parse(args);
        String mode = options.text("mode");
        if (mode.equals("serve")) {
            InetAddress address = InetAddress.ofLiteral(options.text("address"));
            options.requireAllUsed();
            serve(address);
            return;
        }
        InetAddress target = InetAddress.ofLiteral(options.text("target"));
        int port = options.integer("port", 1, 65535);
        long warmupNanos = (long) (options.decimal("warmup") * 1e9);
        long measureNanos = (long) (options.decimal("measure") * 1e9);
        int threads = options.has("threads") ? options.integer("threads", 1, 64) : 1;
        int size = options.has("size") ? options.integer("size", 1, 65536) : 64;
        options.requireAllUsed();
        InetSocketAddress to = new InetSocketAddress(target, port);
        TcpLoad load = new TcpLoad();
        switch (mode) {
            case "send" -> load.bulk(to, true, warmupNanos, measureNanos);
            case "receive" -> load.bulk(to, false, warmupNanos, measureNanos);
            case "cps" -> load.cps(to, threads, size, warmupNanos, measureNanos);
            default -> throw new IllegalArgumentException("unknown mode '" + mode + "': send, receive, cps or serve");
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // Bulk
    // ---------------------------------------------------------------------------------------------------------

    private volatile long bytes;

    private void bulk(InetSocketAddress to, boolean send, long warmupNanos, long measureNanos) throws Exception {
        SocketChannel channel = SocketChannel.open();
        channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
        channel.socket().connect(to, (int) CONNECT_TIMEOUT_MILLIS);
        Thread worker = Thread.ofPlatform().name(send ? "tcp-load-sender" : "tcp-load-receiver")
                .start(() -> pump(channel, send));
        long[] window = measureWindow(warmupNanos, measureNanos, () -> bytes);
        running = false;
        channel.close(); // ends a blocked read or write
        worker.join(TimeUnit.SECONDS.toMillis(5));
        System.out.printf("result bytes=%d nanos=%d total_bytes=%d cpu_nanos=%d%n", window[0], window[1], bytes,
                window[2]);
        finish();
    }

    private void pump(SocketChannel channel, boolean send) {
        ByteBuffer buffer = ByteBuffer.allocateDirect(CHUNK);
        if (send) {
            for (int i = 0; i < CHUNK; i++) {
                buffer.put(i, (byte) (i * 31 + 7));
            }
        }
        long count = 0;
        try {
            while (running) {
                buffer.clear();
                int n = send ? channel.write(buffer) : channel.read(buffer);
                if (n < 0) {
                    if (running) {
                        failure = "the server closed the connection after " + count + " bytes";
                    }
                    return;
                }
                if (!send && count < CHECKED_BYTES) {
                    check(buffer, count, n);
                }
                count += n;
                bytes = count;
            }
        } catch (IOException e) {
            if (running) {
                failure = (send ? "sending" : "receiving") + " failed after " + count + " bytes: " + e;
            }
        }
    }

    /** Checks received bytes against the source's pattern at their offset in the stream. */
    private void check(ByteBuffer buffer, long streamOffset, int n) {
        for (int k = 0; k < n; k++) {
            int i = (int) ((streamOffset + k) & (PATTERN - 1));
            if (buffer.get(k) != (byte) (i * 31 + (i >> 8))) {
                failure = "byte " + (streamOffset + k) + " of the stream is not the source's pattern";
                running = false;
                return;
            }
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // Connections per second
    // ---------------------------------------------------------------------------------------------------------

    private void cps(InetSocketAddress to, int threads, int size, long warmupNanos, long measureNanos)
            throws Exception {
        List<Thread> workers = new ArrayList<>();
        // Per thread: completed cycles at 2t, failed ones at 2t+1; each slot written by its thread only.
        AtomicLongArray counts = new AtomicLongArray(2 * threads);
        for (int t = 0; t < threads; t++) {
            int slot = 2 * t;
            workers.add(Thread.ofPlatform().name("tcp-load-cps-" + t).start(() -> cycles(to, size, counts, slot)));
        }
        long[] window = measureWindow(warmupNanos, measureNanos, () -> {
            long sum = 0;
            for (int t = 0; t < threads; t++) {
                sum += counts.get(2 * t);
            }
            return sum;
        });
        running = false;
        for (Thread worker : workers) {
            worker.join(TimeUnit.SECONDS.toMillis(10));
        }
        long errors = 0;
        long total = 0;
        for (int t = 0; t < threads; t++) {
            total += counts.get(2 * t);
            errors += counts.get(2 * t + 1);
        }
        System.out.printf("result connections=%d nanos=%d total_connections=%d errors=%d threads=%d cpu_nanos=%d%n",
                window[0], window[1], total, errors, threads, window[2]);
        finish();
    }

    private void cycles(InetSocketAddress to, int size, AtomicLongArray counts, int slot) {
        ByteBuffer request = ByteBuffer.allocateDirect(size);
        for (int i = 0; i < size; i++) {
            request.put(i, (byte) (i * 31 + 7));
        }
        ByteBuffer reply = ByteBuffer.allocateDirect(size);
        while (running) {
            try (SocketChannel channel = SocketChannel.open()) {
                channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
                channel.socket().connect(to, (int) CONNECT_TIMEOUT_MILLIS);
                channel.socket().setSoTimeout((int) CONNECT_TIMEOUT_MILLIS);
                request.clear();
                while (request.hasRemaining()) {
                    channel.write(request);
                }
                reply.clear();
                while (reply.hasRemaining()) {
                    if (channel.read(reply) < 0) {
                        throw new IOException("the server closed the connection before the echo was complete");
                    }
                }
                if (!reply.flip().equals(request.flip())) {
                    throw new IOException("the echo differs from the request");
                }
                // close() sends FIN; the server's FIN follows its echo
            } catch (IOException e) {
                if (running && counts.incrementAndGet(slot + 1) <= 3) {
                    System.err.println("cycle failed: " + e);
                }
                continue;
            }
            counts.lazySet(slot, counts.get(slot) + 1);
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // Shared
    // ---------------------------------------------------------------------------------------------------------

    /** @return the counter's growth, the window's length in ns, and the process's CPU time in it */
    private long[] measureWindow(long warmupNanos, long measureNanos, java.util.function.LongSupplier counter)
            throws InterruptedException {
        var osBean = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        long start = System.nanoTime();
        sleepUntil(start + warmupNanos);
        long measureStart = System.nanoTime();
        long before = counter.getAsLong();
        long cpuBefore = osBean.getProcessCpuTime();
        System.out.println("measuring");
        System.out.flush();
        sleepUntil(measureStart + measureNanos);
        long measureEnd = System.nanoTime();
        long after = counter.getAsLong();
        long cpuAfter = osBean.getProcessCpuTime();
        System.out.println("measured");
        System.out.flush();
        return new long[] {after - before, measureEnd - measureStart, cpuAfter - cpuBefore};
    }

    private void finish() {
        System.out.flush();
        if (failure != null) {
            System.err.println("tcp-load: " + failure);
            System.exit(1);
        }
        System.exit(0);
    }

    private static void sleepUntil(long deadline) throws InterruptedException {
        for (long left; (left = deadline - System.nanoTime()) > 0; ) {
            TimeUnit.NANOSECONDS.sleep(left);
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // Serve: the kernel's side of the veth reference
    // ---------------------------------------------------------------------------------------------------------

    /** What one served connection does. */
    private enum Service { ECHO, DISCARD, SOURCE }

    /** One served connection: its service and, for echo, what waits to be written back. */
    private static final class Served {
        final Service service;
        final ByteBuffer buffer;
        boolean finished;

        Served(Service service, ByteBuffer buffer) {
            this.service = service;
            this.buffer = buffer;
        }
    }

    private static void serve(InetAddress address) throws IOException {
        Selector selector = Selector.open();
        for (Service service : Service.values()) {
            int port = switch (service) {
                case ECHO -> ECHO_PORT;
                case DISCARD -> DISCARD_PORT;
                case SOURCE -> SOURCE_PORT;
            };
            ServerSocketChannel server = ServerSocketChannel.open();
            server.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            server.bind(new InetSocketAddress(address, port), 1024);
            server.configureBlocking(false);
            server.register(selector, SelectionKey.OP_ACCEPT, service);
        }
        // Stop when the benchmark closes our standard input (or dies).
        Thread.ofPlatform().daemon(true).name("tcp-serve-stdin").start(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
                while (in.readLine() != null) {
                    // nothing to do
                }
            } catch (IOException e) {
                // gone
            }
            System.exit(0);
        });
        ByteBuffer scratch = ByteBuffer.allocateDirect(CHUNK);
        ByteBuffer pattern = ByteBuffer.allocateDirect(PATTERN);
        for (int i = 0; i < PATTERN; i++) {
            pattern.put(i, (byte) (i * 31 + (i >> 8)));
        }
        System.out.println("ready");
        System.out.flush();
        while (true) {
            selector.select();
            for (Iterator<SelectionKey> keys = selector.selectedKeys().iterator(); keys.hasNext(); ) {
                SelectionKey key = keys.next();
                keys.remove();
                try {
                    if (key.isAcceptable()) {
                        SocketChannel channel = ((ServerSocketChannel) key.channel()).accept();
                        if (channel == null) {
                            continue;
                        }
                        channel.configureBlocking(false);
                        channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
                        Service service = (Service) key.attachment();
                        Served served = switch (service) {
                            case ECHO -> new Served(service, ByteBuffer.allocateDirect(65536));
                            case DISCARD -> new Served(service, null);
                            case SOURCE -> new Served(service, pattern.duplicate().clear());
                        };
                        channel.register(selector, service == Service.SOURCE
                                ? SelectionKey.OP_READ | SelectionKey.OP_WRITE : SelectionKey.OP_READ, served);
                        continue;
                    }
                    SocketChannel channel = (SocketChannel) key.channel();
                    Served served = (Served) key.attachment();
                    switch (served.service) {
                        case DISCARD -> {
                            int n;
                            while ((n = channel.read(scratch.clear())) > 0) {
                                // forget it
                            }
                            if (n < 0) {
                                channel.close();
                            }
                        }
                        case SOURCE -> {
                            if (key.isReadable() && channel.read(scratch.clear()) < 0) {
                                channel.close();
                                continue;
                            }
                            if (key.isWritable()) {
                                ByteBuffer left = served.buffer;
                                while (true) {
                                    if (!left.hasRemaining()) {
                                        left.clear();
                                    }
                                    if (channel.write(left) == 0) {
                                        break;
                                    }
                                }
                            }
                        }
                        case ECHO -> {
                            ByteBuffer buffer = served.buffer;
                            if (key.isReadable() && !served.finished) {
                                if (channel.read(buffer) < 0) {
                                    served.finished = true;
                                }
                            }
                            buffer.flip();
                            channel.write(buffer);
                            buffer.compact();
                            if (buffer.position() > 0) {
                                key.interestOps(SelectionKey.OP_WRITE);
                            } else if (served.finished) {
                                channel.close();
                            } else {
                                key.interestOps(SelectionKey.OP_READ);
                            }
                        }
                    }
                } catch (IOException e) {
                    key.channel().close();
                }
            }
        }
    }
}
