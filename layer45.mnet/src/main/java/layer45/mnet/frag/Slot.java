package layer45.mnet.frag;

import java.nio.ByteBuffer;

/**
 * One datagram in reassembly: its key, the fragment ranges received so far (sorted, never overlapping), and the
 * bytes. The buffers are allocated the first time the slot is used and kept for its next datagrams.
 */
final class Slot {

    boolean active;
    int family;
    long srcHigh;
    long srcLow;
    long dstHigh;
    long dstLow;
    int ident;
    int protocol;
    long created;
    long deadline;
    /** The payload's end once the last fragment came; -1 before. */
    int end = -1;
    int bytesHeld;
    int headerLength;

    final int[] starts;
    final int[] ends;
    int ranges;

    ByteBuffer data;
    ByteBuffer header;
    final ReassembledDatagram view = new ReassembledDatagram(this);

    Slot(int maxFragments) {
        starts = new int[maxFragments];
        ends = new int[maxFragments];
    }

    boolean matches(Fragment f) {
        return active && family == f.family && ident == f.ident && srcLow == f.srcLow && dstLow == f.dstLow
                && srcHigh == f.srcHigh && dstHigh == f.dstHigh && (family == 6 || protocol == f.protocol);
    }

    void start(Fragment f, long now, long timeoutNanos) {
        active = true;
        family = f.family;
        srcHigh = f.srcHigh;
        srcLow = f.srcLow;
        dstHigh = f.dstHigh;
        dstLow = f.dstLow;
        ident = f.ident;
        protocol = f.protocol;
        created = now;
        deadline = now + timeoutNanos;
        end = -1;
        bytesHeld = 0;
        headerLength = 0;
        ranges = 0;
        if (data == null) {
            data = ByteBuffer.allocate(Reassembler.MAX_DATAGRAM);
            header = ByteBuffer.allocate(Reassembler.MAX_KEPT_HEADER);
        }
    }

    void free() {
        active = false;
        ranges = 0;
        bytesHeld = 0;
    }

    /** @return the index at which a range starting at {@code start} would be inserted */
    int insertionPoint(int start) {
        int i = 0;
        while (i < ranges && starts[i] < start) {
            i++;
        }
        return i;
    }

    void insert(int at, int start, int stop) {
        System.arraycopy(starts, at, starts, at + 1, ranges - at);
        System.arraycopy(ends, at, ends, at + 1, ranges - at);
        starts[at] = start;
        ends[at] = stop;
        ranges++;
    }

    boolean hasRangeAt(int start) {
        return ranges > 0 && starts[0] == start;
    }

    /** @return how many bytes from offset 0 are present without a hole */
    int contiguousFromZero() {
        int reach = 0;
        for (int i = 0; i < ranges && starts[i] == reach; i++) {
            reach = ends[i];
        }
        return reach;
    }

    boolean complete() {
        return end >= 0 && contiguousFromZero() == end;
    }
}
