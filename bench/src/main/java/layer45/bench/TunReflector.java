package layer45.bench;

import java.nio.ByteBuffer;

import layer45.mnet.phy.LinkProtocol;
import layer45.mnet.phy.RxHandler;
import layer45.mnet.phy.TxWriter;
import layer45.mnet.phy.linux.TunDevice;

/**
 * The ceiling of {@link UdpEchoBenchmark}: one platform thread that reads packets from a TUN device and writes each
 * IPv4 UDP datagram straight back, copied with its source and destination addresses and ports swapped. Nothing
 * else: no checks, no table, no checksum work (swapping the two addresses and the two ports changes no sum, so
 * both checksums stay valid). Other packets (the kernel's IPv6 chatter on the link) are dropped.
 *
 * <p>It waits on the device as the stack's loop does ({@link TunDevice#await}), so the two pay the same for idle
 * moments. Nothing is allocated per packet.
 */
final class TunReflector implements RxHandler, TxWriter, AutoCloseable {

    private static final int IPV4_PROTOCOL = 9;
    private static final int IPV4_SOURCE = 12;
    private static final int IPV4_DESTINATION = 16;
    private static final int UDP = 17;
    private static final long WAIT_NANOS = 100_000_000;

    private final TunDevice device;
    private final Thread thread;
    private volatile boolean running = true;
    private ByteBuffer received;
    private long reflected;
    private long ignored;

    private TunReflector(TunDevice device, String threadName) {
        this.device = device;
        this.thread = Thread.ofPlatform().name(threadName).daemon(true).unstarted(this::run);
    }

    /**
     * @param device the device; not closed by this reflector
     * @param threadName the name of its thread
     * @return the reflector, running
     */
    static TunReflector start(TunDevice device, String threadName) {
        TunReflector reflector = new TunReflector(device, threadName);
        reflector.thread.start();
        return reflector;
    }

    /** @return the reflector's thread */
    Thread thread() {
        return thread;
    }

    private void run() {
        try {
            while (running && device.failure() == null) {
                if (!device.receive(this)) {
                    device.await(WAIT_NANOS);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void receive(int protocol, ByteBuffer packet) {
        int headerLength = (packet.get(0) & 0x0F) * 4;
        if (protocol != LinkProtocol.IPV4 || packet.get(IPV4_PROTOCOL) != UDP
                || packet.limit() < headerLength + 8) {
            ignored++;
            return;
        }
        received = packet;
        if (device.transmit(LinkProtocol.IPV4, packet.limit(), this)) {
            reflected++;
        }
        received = null;
    }

    @Override
    public void write(ByteBuffer packet) {
        ByteBuffer in = received;
        int headerLength = (in.get(0) & 0x0F) * 4;
        packet.put(0, in, 0, in.limit());
        packet.putInt(IPV4_SOURCE, in.getInt(IPV4_DESTINATION));
        packet.putInt(IPV4_DESTINATION, in.getInt(IPV4_SOURCE));
        packet.putShort(headerLength, in.getShort(headerLength + 2));
        packet.putShort(headerLength + 2, in.getShort(headerLength));
    }

    /** Stops the thread and waits for it (up to 5 s); the device stays open. */
    @Override
    public void close() {
        running = false;
        device.wakeup();
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String toString() {
        return "TUN reflector on " + device + ": " + reflected + " reflected, " + ignored + " ignored";
    }
}
