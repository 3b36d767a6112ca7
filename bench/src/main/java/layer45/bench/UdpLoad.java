package layer45.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * The load generator of {@link UdpEchoBenchmark}: runs in the benchmark's network namespace, as a JVM of its own,
 * and sends UDP datagrams of one size to an echo responder through the TUN link, keeping a bounded window of them
 * in flight.
 *
 * <p>A sender thread sends while fewer than {@code --window} datagrams await their reply; a receiver thread counts
 * the replies and opens the window again. A datagram whose reply has not come when the window has been full for
 * {@code --loss-timeout-ms} is written off as lost, so a loss stalls the window only briefly.
 *
 * <p>Protocol on standard output, one line each, for the benchmark to act on: {@code measuring} when the warm-up
 * ends, {@code measured} when the measurement window ends, then {@code result key=value ...} with the counts.
 * Nothing is allocated per datagram.
 *
 * <pre>
 * java -cp bench/target/classes layer45.bench.UdpLoad --target 10.46.0.1 --port 7 --size 64 --window 64 \
 *     --warmup 2 --measure 5
 * </pre>
 */
public final class UdpLoad {

    /** How long the receiver waits for stragglers after the sender stopped. */
    private static final long DRAIN_MILLIS = 300;
    /** Replies whose bytes are compared with what was sent; the rest only have their length checked. */
    private static final int CHECKED_REPLIES = 32;

    private final DatagramChannel channel;
    private final int size;
    private final int window;
    private final long lossTimeoutMillis;
    private final Semaphore permits;
    private volatile boolean sending = true;
    /** Written by the sender only. */
    private volatile long sent;
    /** Written by the sender only: datagrams given up on after the loss timeout. */
    private volatile long writtenOff;
    private volatile long writeOffs;
    /** Written by the receiver only. */
    private volatile long received;
    private volatile long wrongReplies;
    private volatile String failure;

    private UdpLoad(DatagramChannel channel, int size, int window, long lossTimeoutMillis) {
        this.channel = channel;
        this.size = size;
        this.window = window;
        this.lossTimeoutMillis = lossTimeoutMillis;
        this.permits = new Semaphore(window);
    }

    /**
     * Runs one load: warm-up, measurement, drain, and prints the result.
     *
     * @param args {@code --target ADDRESS --port P --size BYTES --window N --warmup SECONDS --measure SECONDS
     *        [--loss-timeout-ms MS]}
     * @throws Exception if the socket cannot be set up; exits with 1 if the run failed
     */
    public static void main(String[] args) throws Exception {
        Options options = Options.parse(args);
        InetAddress target = InetAddress.ofLiteral(options.text("target"));
        int port = options.integer("port", 1, 65535);
        int size = options.integer("size", 1, 65507);
        int window = options.integer("window", 1, 100_000);
        long warmupNanos = seconds(options.decimal("warmup"));
        long measureNanos = seconds(options.decimal("measure"));
        long lossTimeout = options.has("loss-timeout-ms") ? options.integer("loss-timeout-ms", 1, 10_000) : 200;
        options.requireAllUsed();

        try (DatagramChannel channel = DatagramChannel.open(target.getAddress().length == 4
                ? StandardProtocolFamily.INET : StandardProtocolFamily.INET6)) {
            channel.setOption(StandardSocketOptions.SO_RCVBUF, 4 << 20);
            channel.setOption(StandardSocketOptions.SO_SNDBUF, 4 << 20);
            channel.connect(new InetSocketAddress(target, port));
            // Replies the receiver has not read yet wait in the socket's receive buffer: the window must fit in it,
            // or the kernel drops them. Each one costs its length plus about 1 KiB of sk_buff, rounded up.
            int buffer = channel.getOption(StandardSocketOptions.SO_RCVBUF);
            int fits = (int) Math.max(1, buffer / (2L * (size + 1024)));
            new UdpLoad(channel, size, Math.min(window, fits), lossTimeout).run(warmupNanos, measureNanos);
        }
    }

    private void run(long warmupNanos, long measureNanos) throws InterruptedException, IOException {
        var osBean = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        Thread sender = Thread.ofPlatform().name("udp-load-sender").start(this::send);
        Thread receiver = Thread.ofPlatform().name("udp-load-receiver").start(this::receive);
        long start = System.nanoTime();

        sleepUntil(start + warmupNanos);
        long measureStart = System.nanoTime();
        long receivedBefore = received;
        long sentBefore = sent;
        long writtenOffBefore = writtenOff;
        long cpuBefore = osBean.getProcessCpuTime();
        System.out.println("measuring");
        System.out.flush();

        sleepUntil(measureStart + measureNanos);
        long measureEnd = System.nanoTime();
        long receivedAfter = received;
        long sentAfter = sent;
        long writtenOffAfter = writtenOff;
        long cpuAfter = osBean.getProcessCpuTime();
        System.out.println("measured");
        System.out.flush();

        sending = false;
        sender.join(TimeUnit.SECONDS.toMillis(5) + lossTimeoutMillis);
        Thread.sleep(DRAIN_MILLIS);
        channel.close(); // ends the receiver's blocking read
        receiver.join(TimeUnit.SECONDS.toMillis(5));

        long lost = sent - received;
        System.out.printf("result replies=%d nanos=%d sent=%d received=%d lost=%d measured_sent=%d"
                + " measured_written_off=%d write_offs=%d wrong_replies=%d window=%d cpu_nanos=%d%n",
                receivedAfter - receivedBefore, measureEnd - measureStart, sent, received, lost,
                sentAfter - sentBefore, writtenOffAfter - writtenOffBefore, writeOffs, wrongReplies, window,
                cpuAfter - cpuBefore);
        System.out.flush();
        if (failure != null) {
            System.err.println("udp-load: " + failure);
            System.exit(1);
        }
    }

    private void send() {
        ByteBuffer datagram = ByteBuffer.allocateDirect(size);
        fill(datagram);
        try {
            while (sending) {
                if (!permits.tryAcquire(lossTimeoutMillis, TimeUnit.MILLISECONDS)) {
                    writeOff();
                    continue;
                }
                datagram.clear();
                channel.write(datagram);
                sent = sent + 1;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            failure = "sending failed: " + e;
        }
    }

    /** The window has been full for the loss timeout: what is still in flight is lost; open the window again. */
    private void writeOff() {
        long inFlight = sent - received - writtenOff;
        if (inFlight > 0) {
            writtenOff = writtenOff + inFlight;
            writeOffs = writeOffs + 1;
            permits.release((int) Math.min(inFlight, window));
        }
    }

    private void receive() {
        ByteBuffer reply = ByteBuffer.allocateDirect(65536);
        ByteBuffer expected = ByteBuffer.allocateDirect(size);
        fill(expected);
        try {
            while (true) {
                reply.clear();
                channel.read(reply);
                reply.flip();
                long count = received;
                if (reply.remaining() != size || count < CHECKED_REPLIES && !reply.equals(expected.clear())) {
                    wrongReplies = wrongReplies + 1;
                }
                received = count + 1;
                permits.release();
            }
        } catch (ClosedChannelException e) {
            // the run is over
        } catch (IOException e) {
            failure = "receiving failed: " + e;
        }
    }

    private static void fill(ByteBuffer buffer) {
        for (int i = 0; i < buffer.capacity(); i++) {
            buffer.put(i, (byte) (i * 31 + 7));
        }
    }

    private static void sleepUntil(long deadline) throws InterruptedException {
        for (long left; (left = deadline - System.nanoTime()) > 0; ) {
            TimeUnit.NANOSECONDS.sleep(left);
        }
    }

    private static long seconds(double seconds) {
        return (long) (seconds * 1e9);
    }
}
