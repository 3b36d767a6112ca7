package layer45.mnet.phy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.Objects;

import layer45.mnet.stats.EnumCounters;
import layer45.mnet.time.Clock;

/**
 * A wrapper that writes every packet received from and transmitted to another device into a capture file that
 * Wireshark, tshark and tcpdump read (smoltcp's {@code PcapWriter}, gVisor's {@code sniffer}).
 *
 * <p>Format: classic libpcap (<a href="https://www.ietf.org/archive/id/draft-ietf-opsawg-pcap-04.html">
 * draft-ietf-opsawg-pcap</a>), version 2.4, with the nanosecond-resolution magic {@code 0xA1B23C4D} because the
 * stack's clock counts nanoseconds; written little-endian (readers tell the byte order from the magic). The link
 * type is {@value #LINKTYPE_RAW} ({@code LINKTYPE_RAW}): each record is a bare IP packet, IPv4 or IPv6 by its version
 * nibble, which is exactly what a device of medium IP carries. The snapshot length is the device's MTU, so packets
 * are never truncated. The file holds no direction: a received and a transmitted packet look alike.
 *
 * <p>Packets of other link protocols (a custom network protocol on a {@link MemoryLink}) are written as well, so
 * the capture is a faithful record of the link, and counted as {@link PcapEvent#NON_IP_CAPTURED}; readers decode
 * them as malformed IP (their first nibble is not a version they know), and their bytes stay visible.
 *
 * <p>Timestamps are the wall-clock time read once when the file is opened, plus the stack clock's nanoseconds
 * elapsed since: they follow the stack's clock (a {@link layer45.mnet.time.ManualClock} gives reproducible
 * captures with {@link #wrap(Device, Path, Clock, Instant)}) and never go back.
 *
 * <p>Records go through a preallocated direct buffer to a {@link FileChannel} when the buffer is full, on
 * {@link #flush()} and on {@link #close()}; nothing is allocated per packet. An I/O error while writing stops the
 * capture with one log line, and the device goes on working without it. Received packets are captured before the
 * stack's handler sees (and may change) them; transmitted ones after the stack's writer filled them.
 *
 * <p>Threading: like any device, used by one loop thread; {@link #flush()}, {@link #close()} and
 * {@link #wakeup()} from any thread.
 */
public final class PcapWriterDevice extends ForwardingDevice {

    /** {@code LINKTYPE_RAW}: raw IPv4 or IPv6 packets with no link header (https://www.tcpdump.org/linktypes.html). */
    public static final int LINKTYPE_RAW = 101;
    /** The magic number of classic pcap files with nanosecond timestamps. */
    public static final int MAGIC_NANOSECONDS = 0xA1B23C4D;
    /** The pcap format version written: 2.4, the only one in use. */
    public static final int VERSION_MAJOR = 2;
    /** The minor part of {@link #VERSION_MAJOR}. */
    public static final int VERSION_MINOR = 4;
    /** Bytes of the file header. */
    public static final int FILE_HEADER_LENGTH = 24;
    /** Bytes of each record header: seconds, nanoseconds, captured length, original length. */
    public static final int RECORD_HEADER_LENGTH = 16;

    private static final System.Logger LOG = System.getLogger("layer45.mnet");
    private static final int BUFFER_SIZE = 64 * 1024;
    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    private final Path file;
    private final Clock clock;
    private final long originEpochNanos;
    private final long originClockNanos;
    private final EnumCounters<PcapEvent> counters = new EnumCounters<>(PcapEvent.class);

    private final Object lock = new Object();
    /** Guarded by lock. */
    private final ByteBuffer buffer;
    /** Guarded by lock: the file, {@code null} once capture stopped. */
    private WritableByteChannel channel;

    /** The stack's handler and writer for the call in progress, so the capturing ones can be preallocated. */
    private RxHandler currentHandler;
    private TxWriter currentWriter;
    private int currentLength;
    private int currentProtocol;
    private final RxHandler capturingHandler = this::captureAndReceive;
    private final TxWriter capturingWriter = this::writeAndCapture;

    private PcapWriterDevice(Device inner, Path file, Clock clock, Instant origin, WritableByteChannel channel) {
        super(inner);
        this.file = file;
        this.clock = clock;
        this.originEpochNanos = Math.addExact(Math.multiplyExact(origin.getEpochSecond(), NANOS_PER_SECOND),
                origin.getNano());
        this.originClockNanos = clock.nanos();
        this.channel = channel;
        int mtu = inner.capabilities().mtu();
        this.buffer = ByteBuffer.allocateDirect(Math.max(BUFFER_SIZE, RECORD_HEADER_LENGTH + mtu))
                .order(ByteOrder.LITTLE_ENDIAN);
        buffer.putInt(MAGIC_NANOSECONDS)
                .putShort((short) VERSION_MAJOR)
                .putShort((short) VERSION_MINOR)
                .putInt(0) // thiszone: timestamps are UTC
                .putInt(0) // sigfigs: always 0
                .putInt(mtu) // snaplen
                .putInt(LINKTYPE_RAW);
    }

    /**
     * Wraps a device and starts a capture file stamped with the current wall-clock time.
     *
     * @param inner the device whose traffic is captured; closed with this one
     * @param file the capture file; created, or truncated if it exists
     * @param clock the stack's clock, which timestamps the records
     * @return the wrapper, with the file header written
     * @throws UncheckedIOException if the file cannot be created or written
     */
    public static PcapWriterDevice wrap(Device inner, Path file, Clock clock) {
        return wrap(inner, file, clock, Instant.now());
    }

    /**
     * Wraps a device and starts a capture file whose timestamps begin at a given instant.
     *
     * @param inner the device whose traffic is captured; closed with this one
     * @param file the capture file; created, or truncated if it exists
     * @param clock the stack's clock, which timestamps the records
     * @param origin the wall-clock instant of the clock's current reading; the first record's timestamp if it is
     *        written at once
     * @return the wrapper, with the file header written
     * @throws UncheckedIOException if the file cannot be created or written
     */
    public static PcapWriterDevice wrap(Device inner, Path file, Clock clock, Instant origin) {
        Objects.requireNonNull(inner, "inner");
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(origin, "origin");
        FileChannel channel;
        try {
            channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                    StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create pcap file " + file + " for " + inner.capabilities().name()
                    + ": " + e + "; check that its directory exists and is writable", e);
        }
        return wrap(inner, file, clock, origin, channel);
    }

    /** Wraps a device, writing to an open channel (tests pass one that fails); closes the channel on failure. */
    static PcapWriterDevice wrap(Device inner, Path file, Clock clock, Instant origin, WritableByteChannel channel) {
        PcapWriterDevice device = new PcapWriterDevice(inner, file, clock, origin, channel);
        synchronized (device.lock) {
            try {
                device.writeBuffer();
            } catch (IOException e) {
                try {
                    channel.close();
                } catch (IOException closeFailure) {
                    e.addSuppressed(closeFailure);
                }
                throw new UncheckedIOException("cannot write the header of pcap file " + file + ": " + e
                        + "; check the file system (full? read-only?)", e);
            }
        }
        return device;
    }

    /** @return the capture file */
    public Path file() {
        return file;
    }

    /** @return {@code true} while packets are written; {@code false} after an I/O error or {@link #close()} */
    public boolean capturing() {
        synchronized (lock) {
            return channel != null;
        }
    }

    /** @return capture counters; written by the loop thread, readable from any */
    public EnumCounters<PcapEvent> counters() {
        return counters;
    }

    @Override
    public java.util.Map<String, Long> countersByName() {
        java.util.Map<String, Long> all = new java.util.LinkedHashMap<>(inner.countersByName());
        counters.snapshot().forEach((name, value) -> all.put("pcap-" + name, value));
        return all;
    }

    /** Writes the buffered records to the file. Any thread; does nothing once capture stopped. */
    public void flush() {
        synchronized (lock) {
            if (channel != null) {
                drain();
            }
        }
    }

    @Override
    public boolean receive(RxHandler handler) {
        currentHandler = handler;
        try {
            return inner.receive(capturingHandler);
        } finally {
            currentHandler = null;
        }
    }

    @Override
    public boolean transmit(int protocol, int length, TxWriter writer) {
        currentWriter = writer;
        currentProtocol = protocol;
        currentLength = length;
        try {
            return inner.transmit(protocol, length, capturingWriter);
        } finally {
            currentWriter = null;
        }
    }

    /** Writes the buffered records, closes the file, then closes the inner device. Any thread; idempotent. */
    @Override
    public void close() {
        try {
            synchronized (lock) {
                if (channel != null && drain()) {
                    WritableByteChannel closing = channel;
                    channel = null;
                    try {
                        closing.close();
                    } catch (IOException e) {
                        LOG.log(Level.WARNING, "pcap capture {0} of {1}: closing the file failed: {2}", file,
                                inner.capabilities().name(), e);
                    }
                }
            }
        } finally {
            inner.close();
        }
    }

    @Override
    public String toString() {
        return "pcap " + file + " on " + inner;
    }

    private void captureAndReceive(int protocol, ByteBuffer packet) {
        capture(PcapEvent.RX_CAPTURED, protocol, packet, packet.limit());
        currentHandler.receive(protocol, packet);
    }

    private void writeAndCapture(ByteBuffer packet) {
        currentWriter.write(packet);
        // The device sends the requested length; a writer that lowered the limit gets what it left visible.
        capture(PcapEvent.TX_CAPTURED, currentProtocol, packet, Math.min(currentLength, packet.limit()));
    }

    private void capture(PcapEvent direction, int protocol, ByteBuffer packet, int length) {
        synchronized (lock) {
            if (channel == null || buffer.remaining() < RECORD_HEADER_LENGTH + length && !drain()) {
                counters.increment(PcapEvent.NOT_CAPTURED);
                return;
            }
            long timestamp = originEpochNanos + (clock.nanos() - originClockNanos);
            int position = buffer.position();
            buffer.putInt((int) Math.floorDiv(timestamp, NANOS_PER_SECOND)) // unsigned 32 bits: good to 2106
                    .putInt((int) Math.floorMod(timestamp, NANOS_PER_SECOND))
                    .putInt(length) // captured: the snapshot length is the MTU, so nothing is cut
                    .putInt(length) // original
                    .put(position + RECORD_HEADER_LENGTH, packet, 0, length)
                    .position(position + RECORD_HEADER_LENGTH + length);
        }
        counters.increment(direction);
        if (protocol != LinkProtocol.IPV4 && protocol != LinkProtocol.IPV6) {
            counters.increment(PcapEvent.NON_IP_CAPTURED);
        }
    }

    /** Writes the buffer to the file; on failure stops the capture. Caller holds lock and channel is open. */
    private boolean drain() {
        try {
            writeBuffer();
            return true;
        } catch (IOException e) {
            LOG.log(Level.WARNING, "pcap capture {0} of {1} stopped: {2}; the device keeps running without capture",
                    file, inner.capabilities().name(), e);
            try {
                channel.close();
            } catch (IOException closeFailure) {
                e.addSuppressed(closeFailure);
            }
            channel = null;
            return false;
        }
    }

    /** Writes and empties the buffer (emptied on failure too). Caller holds lock and channel is open. */
    private void writeBuffer() throws IOException {
        buffer.flip();
        try {
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
        } finally {
            buffer.clear();
        }
    }
}
