package layer45.mnet.frag;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import layer45.mnet.stats.EnumCounters;
import layer45.mnet.time.ManualClock;

/**
 * Fuzzes a {@link Reassembler} with small limits against a reference model: any sequence of fragments (offsets,
 * lengths, More Fragments flags, keys, header lengths) and clock moves never makes it throw; the bytes held and the
 * datagrams in reassembly never pass the limits and go back to 0 once the clock passes the timeout; and every
 * datagram it lends, completed or expired, holds exactly the bytes of the accepted fragments that built it, with the
 * first fragment's protocol and headers.
 *
 * <p>The model keeps, per datagram key, the last fragment accepted at each offset. That suffices even though the
 * reassembler evicts datagrams unseen: a datagram's fragment at an offset is the last one accepted there for its key,
 * since any later one would have overlapped it and discarded the datagram.
 *
 * <p>Input: byte 0 sets the limits (bits 0-1: 1 to 4 datagrams; bits 2-4: 2 to 9 fragments each; bit 5: memory for
 * one or two largest datagrams). Then operations: an op byte whose bits 0-1 are 3 moves the clock (bits 2-3: 1 s;
 * past the timeout, then expire; expire now; half the timeout); otherwise the op adds a fragment described by the 5
 * bytes after it: key (bits 0-1: two IPv4 and two IPv6 datagrams; bit 2: another IPv4 protocol), 13-bit offset in
 * 8-byte units (2 bytes), length (2 bytes); and a flags byte (bit 0: More Fragments; bits 1-7: seed of the data);
 * the op's bits 2-3 pick the largest payload the fragment may reach, bits 4-7 its header length (times 40). The
 * committed inputs in {@code ReassemblerFuzzTestInputs/fuzz/} are the scenarios {@link #main} writes
 * ({@code seed-*}) and the inputs fuzzing found ({@code fuzzed-*}, minimized with libFuzzer's {@code -merge=1}).
 */
class ReassemblerFuzzTest {

    private static final long TIMEOUT = TimeUnit.SECONDS.toNanos(10);
    private static final int[] MAX_PAYLOADS = { 65535 - 20, 65535, 65535 - 48, 1000 };

    private record Key(int family, long srcHigh, long srcLow, long dstHigh, long dstLow, int ident, int protocol) {
    }

    /** A fragment accepted into the model. */
    private record Accepted(int length, boolean more, int seed, int protocol, int headerLength) {
    }

    private static final Key[] KEYS = {
        new Key(4, 0, 0x0A00_0001L, 0, 0x0A00_0002L, 0x7777, 17),
        new Key(4, 0, 0x0A00_0001L, 0, 0x0A00_0002L, 0x7778, 17),
        new Key(6, 0x2001_0DB8_0000_0000L, 1, 0x2001_0DB8_0000_0000L, 2, 0xDEAD_BEEF, 17),
        new Key(6, 0x2001_0DB8_0000_0000L, 1, 0x2001_0DB8_0000_0000L, 2, 0x0000_0001, 17),
    };

    private final ByteBuffer packet = ByteBuffer.allocate(1024 + 65536);
    private final Map<Key, Map<Integer, Accepted>> model = new HashMap<>();
    private Key pendingKey;
    private int pendingOffset;
    private Accepted pending;
    private int completions;

    @FuzzTest
    void fuzz(byte[] input) {
        if (input.length == 0) {
            return;
        }
        model.clear();
        int config = input[0] & 0xFF;
        ReassemblyLimits limits = new ReassemblyLimits(1 + (config & 3), Reassembler.MAX_DATAGRAM
                * ((config & 0x20) != 0 ? 2 : 1), 2 + (config >>> 2 & 7), Duration.ofNanos(TIMEOUT));
        ManualClock clock = new ManualClock();
        EnumCounters<ReassemblyEvent> counters = new EnumCounters<>(ReassemblyEvent.class);
        Reassembler reassembler = new Reassembler(limits, clock, counters);
        Fragment fragment = new Fragment();
        int at = 1;
        while (at < input.length) {
            int op = input[at++] & 0xFF;
            if ((op & 3) == 3) {
                switch (op >>> 2 & 3) {
                    case 0 -> clock.advance(1, TimeUnit.SECONDS);
                    case 1 -> {
                        clock.advance(TIMEOUT, TimeUnit.NANOSECONDS);
                        reassembler.expire(this::expired);
                        assertEquals(0, reassembler.datagramsInReassembly(), "datagrams after the timeout");
                    }
                    case 2 -> reassembler.expire(this::expired);
                    default -> clock.advance(TIMEOUT / 2, TimeUnit.NANOSECONDS);
                }
            } else {
                if (at + 6 > input.length) {
                    break;
                }
                int k = input[at] & 0xFF;
                int offset = ((input[at + 1] & 0x1F) << 8 | input[at + 2] & 0xFF) << 3;
                int length = (input[at + 3] & 0xFF) << 8 | input[at + 4] & 0xFF;
                int flags = input[at + 5] & 0xFF;
                at += 6;
                Key key = KEYS[k & 3];
                int protocol = (k & 4) != 0 ? 6 : key.protocol();
                if (key.family() == 4 && protocol != key.protocol()) {
                    key = new Key(4, key.srcHigh(), key.srcLow(), key.dstHigh(), key.dstLow(), key.ident(), protocol);
                }
                add(reassembler, fragment, key, protocol, offset, length, (flags & 1) != 0, flags >>> 1,
                        MAX_PAYLOADS[op >>> 2 & 3], (op >>> 4) * 40);
            }
            assertWithinLimits(reassembler, limits);
        }
        clock.advance(TIMEOUT, TimeUnit.NANOSECONDS);
        reassembler.expire(this::expired);
        assertEquals(0, reassembler.datagramsInReassembly(), "datagrams in reassembly after the timeout");
        assertEquals(0, reassembler.bytesHeld(), "bytes held after the timeout");
        assertEquals(Long.MAX_VALUE, reassembler.nextDeadline(), "deadline with nothing in reassembly");
    }

    private void add(Reassembler reassembler, Fragment fragment, Key key, int protocol, int offset, int length,
            boolean more, int seed, int maxPayload, int headerLength) {
        // The data sits behind the headers in the packet, as in a received packet.
        int headerOffset = 3;
        int dataOffset = headerOffset + headerLength;
        for (int i = 0; i < headerLength; i++) {
            packet.put(headerOffset + i, header(seed, i));
        }
        for (int i = 0; i < length; i++) {
            packet.put(dataOffset + i, data(seed, offset + i));
        }
        fragment.family = key.family();
        fragment.srcHigh = key.srcHigh();
        fragment.srcLow = key.srcLow();
        fragment.dstHigh = key.dstHigh();
        fragment.dstLow = key.dstLow();
        fragment.ident = key.ident();
        fragment.protocol = protocol;
        fragment.offset = offset;
        fragment.moreFragments = more;
        fragment.maxPayload = maxPayload;
        fragment.buffer = packet;
        fragment.dataOffset = dataOffset;
        fragment.dataLength = length;
        fragment.headerOffset = headerOffset;
        fragment.headerLength = headerLength;
        pendingKey = key;
        pendingOffset = offset;
        pending = new Accepted(length, more, seed, protocol, headerLength);
        completions = 0;
        ReassemblyEvent event = reassembler.add(fragment, this::completed);
        assertEquals(event == ReassemblyEvent.DATAGRAM_REASSEMBLED ? 1 : 0, completions,
                "completions lent for " + event);
        if (event == ReassemblyEvent.FRAGMENT_ACCEPTED) {
            model.computeIfAbsent(key, x -> new HashMap<>()).put(offset, pending);
        } else if (event == ReassemblyEvent.DATAGRAM_REASSEMBLED) {
            model.remove(key);
        } else {
            assertTrue(event != ReassemblyEvent.TIMED_OUT && event != ReassemblyEvent.EVICTED,
                    "a fragment's own outcome: " + event);
        }
        pending = null;
    }

    private void completed(ReassembledDatagram d) {
        completions++;
        Key key = keyOf(d);
        assertEquals(pendingKey, key, "the completed datagram is the one of the fragment that completed it");
        int end = assertBuiltFromModel(d, key, true);
        assertEquals(end, d.payloadLength(), "a completed datagram ends with its last fragment");
    }

    private void expired(ReassembledDatagram d) {
        assertTrue(d.hasFirstFragment(), "only datagrams whose first fragment came are lent on expiry");
        assertBuiltFromModel(d, keyOf(d), false);
    }

    private static Key keyOf(ReassembledDatagram d) {
        return new Key(d.family(), d.srcHigh(), d.srcLow(), d.dstHigh(), d.dstLow(), d.ident(),
                d.family() == 4 ? d.protocol() : 17);
    }

    /** @return where the fragments reached: the end of the datagram, or of its prefix when incomplete */
    private int assertBuiltFromModel(ReassembledDatagram d, Key key, boolean complete) {
        int payload = d.payloadLength();
        assertTrue(payload >= 0 && payload <= Reassembler.MAX_DATAGRAM, "payload length " + payload);
        Accepted first = accepted(key, 0);
        assertNotNull(first, "no fragment at offset 0 was accepted for " + key);
        assertEquals(first.protocol(), d.protocol(), "the first fragment's protocol counts");
        int kept = Math.min(first.headerLength(), Reassembler.MAX_KEPT_HEADER);
        assertEquals(kept, d.headerLength(), "headers kept from the first fragment");
        for (int i = 0; i < kept; i++) {
            assertEquals(header(first.seed(), i), d.headerBuffer().get(i), "header byte " + i);
        }
        int reach = 0;
        while (complete || reach < payload) {
            Accepted f = accepted(key, reach);
            assertNotNull(f, "byte " + reach + " of " + key + " comes from no accepted fragment");
            assertTrue(reach + f.length() <= payload, "fragment at " + reach + " runs past the payload " + payload);
            for (int i = reach; i < reach + f.length(); i++) {
                assertEquals(data(f.seed(), i), d.payloadBuffer().get(i), "payload byte " + i);
            }
            reach += f.length();
            if (!f.more()) {
                break;
            }
            assertTrue(f.length() > 0, "an empty fragment with More Fragments was accepted");
        }
        assertEquals(payload, reach, "payload of " + key);
        return reach;
    }

    private Accepted accepted(Key key, int offset) {
        if (pending != null && key.equals(pendingKey) && offset == pendingOffset) {
            return pending;
        }
        Map<Integer, Accepted> fragments = model.get(key);
        return fragments == null ? null : fragments.get(offset);
    }

    private static void assertWithinLimits(Reassembler r, ReassemblyLimits limits) {
        assertTrue(r.bytesHeld() >= 0 && r.bytesHeld() <= limits.maxBytes(), "bytes held " + r.bytesHeld());
        int datagrams = r.datagramsInReassembly();
        assertTrue(datagrams >= 0 && datagrams <= limits.maxDatagrams(), "datagrams in reassembly " + datagrams);
        assertEquals(datagrams == 0, r.nextDeadline() == Long.MAX_VALUE, "deadline with " + datagrams + " datagrams");
    }

    private static byte data(int seed, int index) {
        return (byte) (seed * 13 + index * 7 + (index >>> 8));
    }

    private static byte header(int seed, int index) {
        return (byte) (seed ^ index * 3);
    }

    /**
     * Writes the seed inputs: datagrams completed in and out of order, duplicates, overlaps, inconsistent ends,
     * too many fragments, timeouts, evictions, and IPv4 and IPv6 datagrams interleaved.
     *
     * @param args the inputs directory, {@code src/test/resources/layer45/mnet/frag/ReassemblerFuzzTestInputs/fuzz}
     * @throws IOException if a file cannot be written
     */
    public static void main(String[] args) throws IOException {
        Path dir = Files.createDirectories(Path.of(args[0]));
        seed(dir, "in-order", 0x0D, f(0, 0, 16, true, 1), f(0, 16, 16, true, 1), f(0, 32, 5, false, 1));
        seed(dir, "reversed", 0x0D, f(2, 32, 5, false, 1), f(2, 16, 16, true, 1), f(2, 0, 16, true, 1));
        seed(dir, "duplicate", 0x0D, f(0, 0, 16, true, 1), f(0, 0, 16, true, 1), f(0, 16, 8, false, 1));
        seed(dir, "overlap", 0x0D, f(0, 0, 24, true, 1), f(0, 16, 16, false, 2));
        seed(dir, "two-ends", 0x0D, f(3, 0, 16, true, 1), f(3, 16, 8, false, 1), f(3, 16, 16, false, 1));
        seed(dir, "past-the-end", 0x0D, f(1, 16, 8, false, 1), f(1, 24, 8, true, 1));
        seed(dir, "too-many", 0x01, f(0, 0, 8, true, 1), f(0, 8, 8, true, 1), f(0, 16, 8, true, 1),
                f(0, 24, 8, false, 1));
        seed(dir, "too-large", 0x0D, f(0, 65528, 16, false, 1));
        seed(dir, "empty-last", 0x0D, f(2, 0, 8, true, 1), f(2, 8, 0, false, 1));
        seed(dir, "bad-length", 0x0D, f(0, 0, 12, true, 1), f(0, 0, 0, true, 1));
        seed(dir, "interleaved", 0x0E, f(0, 0, 16, true, 1), f(2, 0, 16, true, 3), f(4, 0, 16, true, 5),
                f(2, 16, 4, false, 3), f(0, 16, 4, false, 1), f(4, 16, 4, false, 5));
        seed(dir, "evicted-by-count", 0x0C, f(0, 0, 16, true, 1), f(1, 0, 16, true, 1), f(0, 16, 8, false, 1));
        seed(dir, "evicted-by-bytes", 0x0F, f(0, 0, 40000, true, 1), f(1, 0, 40000, true, 2),
                f(0, 40000, 8, false, 1));
        seed(dir, "timeout", 0x0D, f(0, 0, 16, true, 1), new byte[] { 0x07 }, f(0, 16, 8, false, 1));
        seed(dir, "expire-half-way", 0x0D, f(2, 0, 16, true, 1), new byte[] { 0x0F }, new byte[] { 0x0B },
                f(2, 16, 8, false, 1), new byte[] { 0x0F }, new byte[] { 0x0B });
        seed(dir, "big-headers", 0x0D, fragmentOp(0xF0, 0, 0, 16, true, 1), fragmentOp(0x20, 0, 16, 8, false, 1));
    }

    private static byte[] f(int key, int offset, int length, boolean more, int seed) {
        return fragmentOp(0, key, offset, length, more, seed);
    }

    private static byte[] fragmentOp(int op, int key, int offset, int length, boolean more, int seed) {
        int units = offset >>> 3;
        return new byte[] { (byte) op, (byte) key, (byte) (units >>> 8), (byte) units, (byte) (length >>> 8),
            (byte) length, (byte) (seed << 1 | (more ? 1 : 0)) };
    }

    private static void seed(Path dir, String name, int config, byte[]... ops) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(config);
        for (byte[] op : ops) {
            out.writeBytes(op);
        }
        Files.write(dir.resolve("seed-" + name), out.toByteArray());
    }
}
