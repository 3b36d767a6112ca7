package layer45.mnet.socket.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import com.code_intelligence.jazzer.junit.FuzzTest;
import layer45.api.NetworkProtocol;
import layer45.api.spi.Outcome;
import layer45.mnet.iface.NetworkLayer;
import layer45.mnet.iface.TransportWriter;
import layer45.mnet.service.TcpEcho;
import layer45.mnet.testing.FuzzInput;
import layer45.mnet.testing.RecordingTap;
import layer45.mnet.time.ManualClock;
import layer45.mnet.wire.IpProtocol;
import layer45.mnet.wire.TcpOptions;
import layer45.mnet.wire.TcpPacket;
import layer45.mnet.wire.WireCheck;

/**
 * Fuzzes TCP's state machine: a peer that says anything. The input drives a conversation with the stack's echo
 * listener (and a connection the stack opens itself): each step is a segment whose sequence and acknowledgment
 * numbers are chosen near what the stack expects (so that the fuzzer reaches every state instead of being dropped
 * by the window check), with arbitrary flags, window, options and payload, or a move of the clock that runs the
 * timers. Whatever comes in, nothing escapes, every segment the stack sends is well-formed with a right checksum,
 * and when everything is closed no connection, timer or byte of buffer memory is left behind.
 */
class TcpFuzzTest {

    private static final long PEER = 0x0A00_0002L;
    private static final long STACK = 0x0A00_0001L;
    private static final int STEPS = 48;

    @FuzzTest
    void fuzz(byte[] bytes) {
        FuzzInput data = new FuzzInput(bytes);
        ManualClock clock = new ManualClock();
        int config = data.range(0, 7);
        RecordingTap tap = new RecordingTap();
        if ((config & 2) != 0) {
            tap.customize((direction, input, sink) -> {
                sink.accept(ByteBuffer.wrap(input));
                sink.accept(ByteBuffer.wrap(input)); // doubles everything: overflow paths
                return Outcome.CUSTOMIZED;
            });
        }
        if ((config & 4) != 0) {
            tap.customize((direction, input, sink) -> input.length > 3 ? Outcome.ABORTED : Outcome.ORIGINAL);
        }
        TcpSettings settings = new TcpSettings(8, 8192, 8192, 4 * 16384, 2, 2, Duration.ofMillis(200),
                Duration.ofSeconds(2), Duration.ofMillis(500), Duration.ofMillis(40), 2, 3, Duration.ofSeconds(5),
                Duration.ofSeconds(1), 2, Duration.ofSeconds(3), Duration.ofSeconds(3),
                (config & 1) == 0 ? "cubic" : "newreno", true, true, true);
        FakeNetwork network = new FakeNetwork();
        TcpLayer tcp = new TcpLayer(settings, clock, (config & 6) != 0 ? () -> tap : () -> null, () -> { });
        tcp.listen(null, 0, 0, true, 7, new TcpEcho(4096));
        TcpConnection active = null;
        for (int step = 0; step < STEPS && data.remaining() > 0; step++) {
            int kind = data.range(0, 9);
            if (kind == 0) {
                clock.advance(data.range(0, 10_000), TimeUnit.MILLISECONDS);
                tcp.maintain();
            } else if (kind == 1 && active == null) {
                try {
                    active = tcp.connect(network, 0, PEER, data.range(1, 65535), new Collector());
                } catch (IllegalStateException full) {
                    // limits are part of what is fuzzed
                }
                tcp.flush();
            } else {
                network.segment(tcp, data, kind == 2 ? 7 : network.lastStackPort);
            }
            assertTrue(tcp.connectionCount() <= settings.maxConnections());
            assertTrue(tcp.memoryUsed() >= 0 && tcp.memoryUsed() <= settings.memoryLimit(), "memory " + tcp.memoryUsed());
        }
        tcp.closeAll();
        assertEquals(0, tcp.connectionCount(), "every connection gone");
        assertEquals(0, tcp.memoryUsed(), "every buffer given back");
        assertEquals(Long.MAX_VALUE, tcp.nextDeadline(), "no timer left");
    }

    /** Reads everything, as a relay would. */
    private static final class Collector implements TcpHandler {
        private final ByteBuffer sink = ByteBuffer.allocate(4096);

        @Override
        public void readable(TcpStream stream) {
            for (int rounds = 0; rounds < 100 && stream.readable() > 0; rounds++) {
                sink.clear();
                stream.read(sink);
            }
        }

        @Override
        public void closed(TcpStream stream, String reason) {
        }
    }

    /**
     * The IPv4 layer the TCP layer talks through, reduced to what TCP uses: it checks every segment TCP sends, and
     * remembers the last one so that the next fuzzed segment can answer it.
     */
    private static final class FakeNetwork implements NetworkLayer {

        private final ByteBuffer out = ByteBuffer.allocate(65536);
        private final ByteBuffer in = ByteBuffer.allocate(65536);
        private final TcpPacket sent = new TcpPacket();
        private final TcpPacket built = new TcpPacket();
        int lastStackPort = 7;
        int lastSeq;
        int lastAck;
        int peerPort = 40000;

        @Override
        public int linkProtocol() {
            return 4;
        }

        @Override
        public NetworkProtocol protocol() {
            return NetworkProtocol.IPV4;
        }

        @Override
        public void receive(ByteBuffer packet) {
        }

        @Override
        public boolean send(long srcHigh, long srcLow, long dstHigh, long dstLow, int transportProtocol,
                int transportLength, TransportWriter writer) {
            assertEquals(IpProtocol.TCP, transportProtocol);
            assertTrue(transportLength <= maxTransportLength() + 40, "segment of " + transportLength + " bytes");
            writer.write(out, 0, transportLength, 0);
            sent.wrap(out, 0, transportLength);
            assertEquals(WireCheck.VALID, sent.check(), "the stack sends well-formed segments");
            assertTrue(sent.verifyChecksum(0), "with a right checksum");
            assertTrue(sent.payloadLength() <= maxTransportLength() - TcpPacket.MIN_HEADER_LENGTH);
            lastStackPort = sent.srcPort();
            peerPort = sent.dstPort();
            lastSeq = sent.seqNumber() + sent.payloadLength() + (sent.syn() ? 1 : 0) + (sent.fin() ? 1 : 0);
            lastAck = sent.ackNumber();
            return true;
        }

        /** Builds one segment from the input, near what the stack last said, and hands it to TCP. */
        void segment(TcpLayer tcp, FuzzInput data, int stackPort) {
            int flags = data.range(0, 255);
            int seq = lastAck + data.range(-3000, 3000);
            int ack = lastSeq + data.range(-3000, 3000);
            if (data.bool()) {
                seq = data.anyInt(); // anywhere at all
            }
            int window = data.range(0, 65535);
            int mss = data.bool() ? data.range(0, 65535) : -1;
            int scale = data.bool() ? data.range(0, 20) : -1;
            boolean sackPermitted = data.bool();
            int sackBlocks = data.range(0, 3);
            int[] edges = new int[8];
            for (int i = 0; i < 2 * sackBlocks; i++) {
                edges[i] = lastSeq + data.range(-5000, 5000);
            }
            boolean timestamps = data.bool();
            int tsVal = data.anyInt();
            int tsEcr = data.anyInt();
            int payload = data.range(0, 3000);
            int source = data.bool() ? peerPort : data.range(0, 65535);
            int optionsLength = TcpOptions.encodedLength(mss, scale > 255 ? -1 : scale, sackPermitted, sackBlocks,
                    timestamps);
            if (optionsLength < 0) {
                optionsLength = 0;
                mss = -1;
                scale = -1;
                sackPermitted = false;
                sackBlocks = 0;
                timestamps = false;
            }
            int length = TcpPacket.MIN_HEADER_LENGTH + optionsLength + payload;
            in.clear();
            built.wrap(in, 0, length);
            built.setSrcPort(source);
            built.setDstPort(stackPort);
            built.setSeqNumber(seq);
            built.setAckNumber(ack);
            built.setHeaderLength(TcpPacket.MIN_HEADER_LENGTH + optionsLength);
            built.setFlags(flags);
            built.setWindow(window);
            built.setChecksum(0);
            built.setUrgentPointer(0);
            if (optionsLength > 0) {
                TcpOptions.write(in, TcpPacket.MIN_HEADER_LENGTH, mss, scale, sackPermitted, edges, sackBlocks,
                        timestamps, tsVal, tsEcr);
            }
            byte[] bytes = data.bytes(payload);
            in.put(TcpPacket.MIN_HEADER_LENGTH + optionsLength, bytes);
            length = TcpPacket.MIN_HEADER_LENGTH + optionsLength + bytes.length;
            built.wrap(in, 0, length);
            if (data.range(0, 15) != 0) {
                built.fillChecksum(0); // mostly right, so that the fuzzer gets past the checksum check
            }
            tcp.receive(this, 0, PEER, 0, STACK, true, in, 0, length, 0);
            tcp.flush(); // what the loop does at the end of a batch: here, a batch of one
        }

        @Override
        public boolean isOwnAddress(long high, long low) {
            return high == 0 && low == STACK;
        }

        @Override
        public boolean sourceFor(long dstHigh, long dstLow, long[] into) {
            into[0] = 0;
            into[1] = STACK;
            return true;
        }

        @Override
        public InetAddress toInetAddress(long high, long low) {
            try {
                return InetAddress.getByAddress(new byte[] { (byte) (low >>> 24), (byte) (low >>> 16),
                        (byte) (low >>> 8), (byte) low });
            } catch (UnknownHostException e) {
                throw new AssertionError(e);
            }
        }

        @Override
        public long pseudoHeaderSum(long srcHigh, long srcLow, long dstHigh, long dstLow, int transportProtocol,
                int transportLength) {
            return 0;
        }

        @Override
        public int maxTransportLength() {
            return 1480;
        }
    }
}
