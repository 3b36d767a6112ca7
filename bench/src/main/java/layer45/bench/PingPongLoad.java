package layer45.bench;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The small programs of {@link PeersBenchmark} that plain tools do not cover, each a JVM of its own:
 * <ul>
 * <li>{@code serve}: TCP and UDP echo on {@code --address}:{@code --port}, a virtual thread per connection (so ten
 *     thousand held connections cost little). Prints {@code ready} once listening; runs until killed.</li>
 * <li>{@code rr}: request/response latency: {@code --count} round trips of {@code --size} bytes on one TCP
 *     connection (TCP_NODELAY), then as many UDP datagrams one at a time, after {@code --warmup} unrecorded ones
 *     each. Prints {@code result tcp_p50_ns=... tcp_p99_ns=... udp_p50_ns=... udp_p99_ns=... udp_lost=...}.</li>
 * <li>{@code hold}: opens {@code --count} TCP connections one after the other, checks each with a one-byte echo
 *     and keeps those that work open; prints {@code holding opened=N connect_errors=C echo_errors=E nanos=T},
 *     holds them {@code --hold} seconds, then checks every one again and prints the same as {@code result ...}
 *     with {@code recheck_errors=R}.</li>
 * <li>{@code probe}: a new TCP connection every {@code --interval-ms}, each checked with an echo and held
 *     {@code --hold} seconds, for at most {@code --count} connections; prints {@code probing} first.</li>
 * </ul>
 * Every loop is bounded in count and time; a failure is counted, never retried silently.
 */
public final class PingPongLoad {

    /** The heap for ten thousand connections (and their virtual threads), in place of the loads' 64 MiB. */
    private static final String HEAP = "-Xmx512m";

    private static final int CONNECT_TIMEOUT_MILLIS = 5_000;
    private static final int UDP_TIMEOUT_MILLIS = 1_000;

    private PingPongLoad() {
    }

    /** @return the command that runs this program in {@code mode} with {@code args}, with a heap for many flows */
    static List<String> command(String mode, String... args) {
        List<String> command = new ArrayList<>(LoadProcess.command(PingPongLoad.class, "--mode", mode));
        command.addAll(List.of(args));
        command.replaceAll(arg -> arg.startsWith("-Xmx") ? HEAP : arg);
        return command;
    }

    /**
     * @param args {@code --mode serve|rr|hold|probe} and the mode's options (class comment)
     * @throws Exception if the run cannot start
     */
    public static void main(String[] args) throws Exception {
        Options options = Options.parse(args);
        String mode = options.text("mode");
        InetAddress address = InetAddress.ofLiteral(options.text("address"));
        int port = options.integer("port", 1, 65535);
        InetSocketAddress to = new InetSocketAddress(address, port);
        switch (mode) {
            case "serve" -> {
                options.requireAllUsed();
                serve(to);
            }
            case "rr" -> {
                int count = options.integer("count", 1, 10_000_000);
                int warmup = options.integer("warmup", 0, 10_000_000);
                int size = options.integer("size", 1, 65_000);
                options.requireAllUsed();
                rr(to, count, warmup, size);
            }
            case "hold" -> {
                int count = options.integer("count", 1, 100_000);
                double hold = options.decimal("hold");
                options.requireAllUsed();
                hold(to, count, hold);
            }
            case "probe" -> {
                int count = options.integer("count", 1, 100_000);
                int interval = options.integer("interval-ms", 1, 10_000);
                double hold = options.decimal("hold");
                options.requireAllUsed();
                probe(to, count, interval, hold);
            }
            default -> throw new IllegalArgumentException("unknown mode '" + mode + "': serve, rr, hold or probe");
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // serve
    // ---------------------------------------------------------------------------------------------------------

    private static void serve(InetSocketAddress at) throws IOException {
        ServerSocketChannel server = ServerSocketChannel.open();
        server.bind(at, 16_384);
        DatagramChannel udp = DatagramChannel.open().bind(at);
        Thread.ofPlatform().name("udp-echo").start(() -> echoDatagrams(udp));
        System.out.println("ready");
        System.out.flush();
        while (true) {
            SocketChannel channel = server.accept();
            Thread.ofVirtual().start(() -> echo(channel));
        }
    }

    private static void echo(SocketChannel channel) {
        ByteBuffer buffer = ByteBuffer.allocate(2048); // ten thousand connections: 20 MB of heap
        try (channel) {
            channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
            while (channel.read(buffer.clear()) >= 0) {
                buffer.flip();
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
            }
        } catch (IOException e) {
            // the client reset the connection: nothing to echo any more
        }
    }

    private static void echoDatagrams(DatagramChannel udp) {
        ByteBuffer buffer = ByteBuffer.allocateDirect(65_536);
        try {
            while (true) {
                var from = udp.receive(buffer.clear());
                udp.send(buffer.flip(), from);
            }
        } catch (IOException e) {
            System.err.println("pingpong: UDP echo stopped: " + e);
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // rr
    // ---------------------------------------------------------------------------------------------------------

    private static void rr(InetSocketAddress to, int count, int warmup, int size) throws IOException {
        long[] tcp = new long[count];
        try (SocketChannel channel = connect(to)) {
            ByteBuffer request = ByteBuffer.allocateDirect(size);
            ByteBuffer reply = ByteBuffer.allocateDirect(size);
            for (int i = -warmup; i < count; i++) {
                long start = System.nanoTime();
                channel.write(request.clear());
                reply.clear();
                while (reply.hasRemaining()) {
                    if (channel.read(reply) < 0) {
                        throw new IOException("the echo server closed the connection after " + (i + warmup)
                                + " round trips");
                    }
                }
                if (i >= 0) {
                    tcp[i] = System.nanoTime() - start;
                }
            }
        }
        long[] udp = new long[count];
        int lost = 0;
        int got = 0;
        try (DatagramChannel channel = DatagramChannel.open()) {
            channel.connect(to);
            channel.socket().setSoTimeout(UDP_TIMEOUT_MILLIS);
            byte[] request = new byte[size];
            java.net.DatagramPacket reply = new java.net.DatagramPacket(new byte[size], size);
            for (int i = -warmup; i < count; i++) {
                long start = System.nanoTime();
                channel.socket().send(new java.net.DatagramPacket(request, size));
                try {
                    channel.socket().receive(reply);
                } catch (SocketTimeoutException e) {
                    lost++;
                    continue;
                }
                if (i >= 0) {
                    udp[got++] = System.nanoTime() - start;
                }
            }
        }
        Arrays.sort(tcp);
        long[] udpTimes = Arrays.copyOf(udp, got);
        Arrays.sort(udpTimes);
        System.out.printf("result tcp_p50_ns=%d tcp_p99_ns=%d udp_p50_ns=%d udp_p99_ns=%d udp_lost=%d count=%d%n",
                percentile(tcp, 0.50), percentile(tcp, 0.99), percentile(udpTimes, 0.50),
                percentile(udpTimes, 0.99), lost, count);
    }

    private static long percentile(long[] sorted, double p) {
        return sorted.length == 0 ? -1 : sorted[Math.min(sorted.length - 1, (int) Math.ceil(p * sorted.length) - 1)];
    }

    // ---------------------------------------------------------------------------------------------------------
    // hold and probe
    // ---------------------------------------------------------------------------------------------------------

    private static void hold(InetSocketAddress to, int count, double holdSeconds) throws InterruptedException {
        List<SocketChannel> open = new ArrayList<>(count);
        int connectErrors = 0;
        int echoErrors = 0;
        String firstError = null;
        long start = System.nanoTime();
        for (int i = 0; i < count; i++) {
            if (i % 1000 == 0 && i > 0) {
                System.err.printf("pingpong: %d connections tried in %.1f s, %d open%n", i,
                        (System.nanoTime() - start) / 1e9, open.size());
            }
            SocketChannel channel;
            try {
                channel = connect(to);
            } catch (IOException e) {
                connectErrors++;
                firstError = firstError == null ? "connection " + (i + 1) + ", connect: " + e : firstError;
                continue;
            }
            try {
                ping(channel);
                open.add(channel);
            } catch (IOException e) {
                echoErrors++;
                firstError = firstError == null ? "connection " + (i + 1) + ", echo: " + e : firstError;
                closeQuietly(channel);
            }
        }
        long nanos = System.nanoTime() - start;
        System.out.printf("holding opened=%d connect_errors=%d echo_errors=%d nanos=%d%n", open.size(),
                connectErrors, echoErrors, nanos);
        System.out.flush();
        if (firstError != null) {
            System.err.println("pingpong: first error: " + firstError);
        }
        Thread.sleep((long) (holdSeconds * 1000));
        int rechecked = 0;
        for (SocketChannel channel : open) {
            try (channel) {
                ping(channel);
            } catch (IOException e) {
                rechecked++;
            }
        }
        System.out.printf("result opened=%d connect_errors=%d echo_errors=%d recheck_errors=%d nanos=%d%n",
                open.size(), connectErrors, echoErrors, rechecked, nanos);
    }

    private static void closeQuietly(SocketChannel channel) {
        try {
            channel.close();
        } catch (IOException e) {
            // already reset
        }
    }

    private static void probe(InetSocketAddress to, int count, int intervalMillis, double holdSeconds)
            throws InterruptedException {
        System.out.println("probing");
        System.out.flush();
        List<Thread> holders = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            holders.add(Thread.ofVirtual().start(() -> {
                try (SocketChannel channel = connect(to)) {
                    ping(channel);
                    Thread.sleep((long) (holdSeconds * 1000));
                } catch (IOException e) {
                    System.err.println("pingpong: probe connection failed: " + e);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }));
            Thread.sleep(intervalMillis);
        }
        for (Thread holder : holders) {
            holder.join(TimeUnit.SECONDS.toMillis(10));
        }
    }

    private static SocketChannel connect(InetSocketAddress to) throws IOException {
        SocketChannel channel = SocketChannel.open();
        try {
            channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
            channel.socket().connect(to, CONNECT_TIMEOUT_MILLIS);
            return channel;
        } catch (IOException e) {
            channel.close();
            throw e;
        }
    }

    /** One byte out, the same byte back: the connection works end to end. */
    private static void ping(SocketChannel channel) throws IOException {
        channel.socket().setSoTimeout(CONNECT_TIMEOUT_MILLIS);
        ByteBuffer one = ByteBuffer.allocate(1).put(0, (byte) 45);
        channel.write(one);
        // the socket's stream, not the channel: only it honours the read timeout
        if (channel.socket().getInputStream().read() != 45) {
            throw new IOException("the echo did not come back");
        }
    }
}
