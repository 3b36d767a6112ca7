package layer45.mnet.frag;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import layer45.mnet.stats.EnumCounters;
import layer45.mnet.time.ManualClock;
import org.junit.jupiter.api.Test;

class ReassemblerTest {

    private final ManualClock clock = new ManualClock();
    private final EnumCounters<ReassemblyEvent> counters = new EnumCounters<>(ReassemblyEvent.class);
    private Reassembler reassembler = new Reassembler(ReassemblyLimits.IPV4, clock, counters);
    private final List<byte[]> delivered = new ArrayList<>();
    private final List<byte[]> deliveredHeaders = new ArrayList<>();
    private final Reassembler.Completion collect = datagram -> {
        delivered.add(bytes(datagram.payloadBuffer(), datagram.payloadLength()));
        deliveredHeaders.add(bytes(datagram.headerBuffer(), datagram.headerLength()));
    };

    @Test
    void reassemblesFragmentsInOrder() {
        byte[] payload = payload(3000);
        assertEquals(ReassemblyEvent.FRAGMENT_ACCEPTED, add(ipv4(1), payload, 0, 1480, true));
        assertEquals(ReassemblyEvent.FRAGMENT_ACCEPTED, add(ipv4(1), payload, 1480, 1480, true));
        assertEquals(ReassemblyEvent.DATAGRAM_REASSEMBLED, add(ipv4(1), payload, 2960, 40, false));
        assertEquals(1, delivered.size());
        assertArrayEquals(payload, delivered.get(0));
        assertEquals(0, reassembler.datagramsInReassembly());
        assertEquals(0, reassembler.bytesHeld());
    }

    @Test
    void reassemblesFragmentsInAnyOrderAndKeepsTheFirstFragmentsHeader() {
        byte[] payload = payload(100);
        add(ipv4(2), payload, 96, 4, false);
        add(ipv4(2), payload, 48, 48, true);
        add(ipv4(2), payload, 0, 48, true);
        assertArrayEquals(payload, delivered.get(0));
        assertArrayEquals(HEADER, deliveredHeaders.get(0));
    }

    @Test
    void ignoresAnExactRepeatOfAFragment() {
        byte[] payload = payload(64);
        add(ipv4(3), payload, 0, 32, true);
        assertEquals(ReassemblyEvent.DUPLICATE_FRAGMENT, add(ipv4(3), payload, 0, 32, true));
        assertEquals(ReassemblyEvent.DATAGRAM_REASSEMBLED, add(ipv4(3), payload, 32, 32, false));
        assertArrayEquals(payload, delivered.get(0));
        assertEquals(1, counters.get(ReassemblyEvent.DUPLICATE_FRAGMENT));
    }

    @Test
    void discardsTheWholeDatagramWhenFragmentsOverlap() {
        byte[] payload = payload(64);
        add(ipv4(4), payload, 0, 32, true);
        assertEquals(ReassemblyEvent.OVERLAP, add(ipv4(4), payload, 24, 40, false));
        assertEquals(0, reassembler.datagramsInReassembly());
        // What comes later for the same datagram starts a new one and never completes with the old bytes.
        add(ipv4(4), payload, 32, 32, false);
        assertTrue(delivered.isEmpty());
        assertEquals(1, counters.get(ReassemblyEvent.OVERLAP));
    }

    @Test
    void anOverlapWithDifferentBytesAtTheSameOffsetIsAnOverlap() {
        byte[] payload = payload(64);
        byte[] other = payload.clone();
        other[5] ^= 1;
        add(ipv4(5), payload, 0, 32, true);
        assertEquals(ReassemblyEvent.OVERLAP, add(ipv4(5), other, 0, 32, true));
    }

    @Test
    void refusesFragmentsWhoseLengthIsNotAMultipleOfEight() {
        assertEquals(ReassemblyEvent.BAD_FRAGMENT_LENGTH, add(ipv4(6), payload(64), 0, 30, true));
        assertEquals(ReassemblyEvent.BAD_FRAGMENT_LENGTH, add(ipv4(6), payload(64), 8, 0, true));
        assertEquals(0, reassembler.datagramsInReassembly());
    }

    @Test
    void refusesFragmentsThatDisagreeAboutTheEnd() {
        byte[] payload = payload(128);
        add(ipv4(7), payload, 64, 64, false);
        assertEquals(ReassemblyEvent.INCONSISTENT_END, add(ipv4(7), payload, 64, 56, false));
        add(ipv4(8), payload, 64, 32, false);
        assertEquals(ReassemblyEvent.INCONSISTENT_END, add(ipv4(8), payload, 96, 32, true));
        add(ipv4(9), payload, 64, 64, true);
        assertEquals(ReassemblyEvent.INCONSISTENT_END, add(ipv4(9), payload, 0, 32, false));
        assertTrue(delivered.isEmpty());
    }

    @Test
    void refusesADatagramLargerThanIpAllows() {
        Fragment fragment = ipv4(10);
        fragment.maxPayload = 65535 - 20;
        byte[] payload = payload(65536 + 1480);
        add(fragment, payload, 0, 1480, true);
        assertEquals(ReassemblyEvent.TOO_LARGE, add(fragment, payload, 64056, 1480, false));
        assertEquals(0, reassembler.datagramsInReassembly(), "the datagram is discarded with it");
    }

    @Test
    void discardsADatagramWithTooManyFragments() {
        reassembler = new Reassembler(new ReassemblyLimits(4, 1 << 20, 3, Duration.ofSeconds(30)), clock, counters);
        byte[] payload = payload(64);
        add(ipv4(11), payload, 0, 8, true);
        add(ipv4(11), payload, 16, 8, true);
        add(ipv4(11), payload, 32, 8, true);
        assertEquals(ReassemblyEvent.TOO_MANY_FRAGMENTS, add(ipv4(11), payload, 48, 8, true));
        assertEquals(0, reassembler.datagramsInReassembly());
    }

    @Test
    void timesOutAndReportsDatagramsWhoseFirstFragmentCame() {
        byte[] payload = payload(64);
        add(ipv4(12), payload, 0, 32, true);
        add(ipv4(13), payload, 32, 32, false);
        assertEquals(TimeUnit.SECONDS.toNanos(30), reassembler.nextDeadline());
        clock.advance(29, TimeUnit.SECONDS);
        List<byte[]> expired = new ArrayList<>();
        Reassembler.Expiry expiry = datagram -> expired.add(bytes(datagram.payloadBuffer(), datagram.payloadLength()));
        assertEquals(0, reassembler.expire(expiry));
        clock.advance(1, TimeUnit.SECONDS);
        assertEquals(2, reassembler.expire(expiry));
        assertEquals(1, expired.size(), "only the one with its first fragment is reported");
        assertArrayEquals(java.util.Arrays.copyOf(payload, 32), expired.get(0));
        assertEquals(Long.MAX_VALUE, reassembler.nextDeadline());
        assertEquals(2, counters.get(ReassemblyEvent.TIMED_OUT));
    }

    @Test
    void evictsTheOldestDatagramWhenAllSlotsAreBusy() {
        reassembler = new Reassembler(new ReassemblyLimits(2, 1 << 20, 8, Duration.ofSeconds(30)), clock, counters);
        byte[] payload = payload(64);
        add(ipv4(20), payload, 0, 32, true);
        clock.advance(1, TimeUnit.MILLISECONDS);
        add(ipv4(21), payload, 0, 32, true);
        clock.advance(1, TimeUnit.MILLISECONDS);
        add(ipv4(22), payload, 0, 32, true);
        assertEquals(1, counters.get(ReassemblyEvent.EVICTED));
        add(ipv4(21), payload, 32, 32, false);
        add(ipv4(22), payload, 32, 32, false);
        add(ipv4(20), payload, 32, 32, false);
        assertEquals(2, delivered.size(), "20 was evicted; its last fragment starts a datagram that stays incomplete");
    }

    @Test
    void evictsTheOldestDatagramsWhenTheByteBudgetIsReached() {
        reassembler = new Reassembler(new ReassemblyLimits(8, 65535 + 16, 64, Duration.ofSeconds(30)), clock, counters);
        byte[] big = payload(65000);
        add(ipv4(30), big, 0, 40000, true);
        clock.advance(1, TimeUnit.MILLISECONDS);
        add(ipv4(31), big, 0, 30000, true);
        assertEquals(1, counters.get(ReassemblyEvent.EVICTED));
        assertEquals(1, reassembler.datagramsInReassembly());
        assertTrue(reassembler.bytesHeld() <= 65535 + 16);
    }

    @Test
    void ipv4KeysIncludeTheProtocolAndIpv6KeysDoNot() {
        byte[] payload = payload(16);
        Fragment udp = ipv4(40);
        Fragment other = ipv4(40);
        other.protocol = 6;
        add(udp, payload, 0, 8, true);
        add(other, payload, 8, 8, false);
        assertTrue(delivered.isEmpty());

        reassembler = new Reassembler(ReassemblyLimits.IPV6, clock, counters);
        Fragment first = ipv6(41, 17);
        Fragment last = ipv6(41, 6);
        add(first, payload, 0, 8, true);
        add(last, payload, 8, 8, false);
        assertEquals(1, delivered.size());
    }

    @Test
    void reassemblesRandomlySplitAndShuffledDatagrams() {
        Random random = new Random(45);
        for (int round = 0; round < 500; round++) {
            delivered.clear();
            byte[] payload = payload(1 + random.nextInt(20000));
            List<int[]> pieces = new ArrayList<>();
            int offset = 0;
            while (offset < payload.length) {
                int length = Math.min(payload.length - offset, 8 * (1 + random.nextInt(200)));
                pieces.add(new int[] { offset, length });
                offset += length;
            }
            if (pieces.size() > ReassemblyLimits.IPV4.maxFragments()) {
                continue;
            }
            Collections.shuffle(pieces, random);
            for (int i = 0; i < pieces.size(); i++) {
                int[] piece = pieces.get(i);
                boolean last = piece[0] + piece[1] == payload.length;
                add(ipv4(round), payload, piece[0], piece[1], !last);
                if (i < pieces.size() - 1 && random.nextInt(10) == 0) {
                    add(ipv4(round), payload, piece[0], piece[1], !last);
                }
            }
            if (pieces.size() == 1 && pieces.get(0)[0] == 0) {
                continue;
            }
            assertEquals(1, delivered.size(), "round " + round);
            assertArrayEquals(payload, delivered.get(0), "round " + round);
        }
        assertEquals(0, reassembler.datagramsInReassembly());
    }

    @Test
    void nothingIsHeldAfterEveryKindOfDiscard() {
        refusesFragmentsThatDisagreeAboutTheEnd();
        anOverlapWithDifferentBytesAtTheSameOffsetIsAnOverlap();
        discardsADatagramWithTooManyFragmentsAfterwards();
        assertEquals(0, reassembler.bytesHeld());
        assertEquals(0, reassembler.datagramsInReassembly());
        assertEquals("reassembler: 0 datagrams, 0 bytes, timeout 30000 ms", reassembler.toString());
    }

    private void discardsADatagramWithTooManyFragmentsAfterwards() {
        byte[] payload = payload(16 * 70);
        for (int i = 0; i < 64; i++) {
            add(ipv4(50), payload, 16 * i, 8, true);
        }
        assertEquals(ReassemblyEvent.TOO_MANY_FRAGMENTS, add(ipv4(50), payload, 8, 8, true));
    }

    private static final byte[] HEADER = { 0x45, 0, 0, 20, 1, 2, 0x20, 0, 64, 17, 0, 0, 10, 0, 0, 1, 10, 0, 0, 2 };

    private ReassemblyEvent add(Fragment fragment, byte[] payload, int offset, int length, boolean more) {
        ByteBuffer buffer = ByteBuffer.allocate(HEADER.length + length + 7);
        buffer.put(3, HEADER);
        buffer.put(3 + HEADER.length, payload, offset, Math.min(length, payload.length - offset));
        fragment.buffer = buffer;
        fragment.headerOffset = 3;
        fragment.headerLength = HEADER.length;
        fragment.dataOffset = 3 + HEADER.length;
        fragment.dataLength = length;
        fragment.offset = offset;
        fragment.moreFragments = more;
        return reassembler.add(fragment, collect);
    }

    private static Fragment ipv4(int ident) {
        Fragment fragment = new Fragment();
        fragment.family = 4;
        fragment.srcLow = 0x0A000001L;
        fragment.dstLow = 0x0A000002L;
        fragment.ident = ident;
        fragment.protocol = 17;
        fragment.maxPayload = 65535 - 20;
        return fragment;
    }

    private static Fragment ipv6(int ident, int protocol) {
        Fragment fragment = new Fragment();
        fragment.family = 6;
        fragment.srcHigh = 0xfd00_0000_0000_0000L;
        fragment.srcLow = 1;
        fragment.dstHigh = 0xfd00_0000_0000_0000L;
        fragment.dstLow = 2;
        fragment.ident = ident;
        fragment.protocol = protocol;
        fragment.maxPayload = 65535;
        return fragment;
    }

    private static byte[] payload(int length) {
        byte[] payload = new byte[length];
        new Random(length).nextBytes(payload);
        return payload;
    }

    private static byte[] bytes(ByteBuffer buffer, int length) {
        byte[] bytes = new byte[length];
        buffer.get(0, bytes);
        return bytes;
    }
}
