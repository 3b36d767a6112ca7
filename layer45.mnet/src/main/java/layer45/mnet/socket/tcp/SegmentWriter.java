package layer45.mnet.socket.tcp;

import java.nio.ByteBuffer;

import layer45.mnet.iface.TransportWriter;
import layer45.mnet.wire.TcpOptions;
import layer45.mnet.wire.TcpPacket;

/**
 * Writes one TCP segment where the network layer asks: the header, the options, the payload from a send buffer, and
 * the checksum. One instance per TCP layer, set up anew for every segment, so nothing is allocated per segment.
 */
final class SegmentWriter implements TransportWriter {

    private final TcpPacket tx = new TcpPacket();
    /** Left and right edges of the SACK blocks to send, pairwise. */
    final int[] sackEdges = new int[2 * TcpOptions.MAX_SACK_BLOCKS];

    int srcPort;
    int dstPort;
    int seq;
    int ack;
    int flags;
    int window;
    int mss = -1;
    int windowScale = -1;
    boolean sackPermitted;
    int sackBlocks;
    boolean timestamps;
    int tsVal;
    int tsEcr;
    private SendBuffer payload;
    private int payloadOffset;
    private int payloadLength;

    /** Starts a segment with no options and no payload. */
    SegmentWriter begin(int srcPort, int dstPort, int seq, int ack, int flags, int window) {
        this.srcPort = srcPort;
        this.dstPort = dstPort;
        this.seq = seq;
        this.ack = ack;
        this.flags = flags;
        this.window = window;
        this.mss = -1;
        this.windowScale = -1;
        this.sackPermitted = false;
        this.sackBlocks = 0;
        this.timestamps = false;
        this.payload = null;
        this.payloadLength = 0;
        return this;
    }

    /** Adds payload: {@code length} bytes starting {@code offset} bytes into a send buffer. */
    void payload(SendBuffer buffer, int offset, int length) {
        this.payload = buffer;
        this.payloadOffset = offset;
        this.payloadLength = length;
    }

    /** @return the options' length in bytes, a multiple of 4 */
    int optionsLength() {
        return TcpOptions.encodedLength(mss, windowScale, sackPermitted, sackBlocks, timestamps);
    }

    /** @return the segment's length: header, options and payload */
    int length() {
        return TcpPacket.MIN_HEADER_LENGTH + optionsLength() + payloadLength;
    }

    /** @return the payload length */
    int payloadLength() {
        return payloadLength;
    }

    @Override
    public void write(ByteBuffer buffer, int offset, int length, long pseudoHeaderSum) {
        int options = optionsLength();
        int header = TcpPacket.MIN_HEADER_LENGTH + options;
        tx.wrap(buffer, offset, length);
        tx.setSrcPort(srcPort);
        tx.setDstPort(dstPort);
        tx.setSeqNumber(seq);
        tx.setAckNumber(ack);
        tx.setHeaderLength(header);
        tx.setFlags(flags);
        tx.setWindow(window);
        tx.setChecksum(0);
        tx.setUrgentPointer(0);
        if (options > 0) {
            TcpOptions.write(buffer, offset + TcpPacket.MIN_HEADER_LENGTH, mss, windowScale, sackPermitted, sackEdges,
                    sackBlocks, timestamps, tsVal, tsEcr);
        }
        if (payloadLength > 0) {
            payload.copyTo(payloadOffset, buffer, offset + header, payloadLength);
        }
        tx.fillChecksum(pseudoHeaderSum);
    }
}
