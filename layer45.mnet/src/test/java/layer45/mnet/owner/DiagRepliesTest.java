package layer45.mnet.owner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Random;

import org.junit.jupiter.api.Test;

class DiagRepliesTest {

    private static final DiagSocket TCP_V4 = new DiagSocket(DiagRequest.AF_INET, 1,
            new InetSocketAddress("10.45.0.2", 41234), new InetSocketAddress("10.45.0.1", 80), 1000, 123456, -1);
    private static final DiagSocket UDP_DUAL = new DiagSocket(DiagRequest.AF_INET6, 7,
            new InetSocketAddress("10.45.0.2", 53), new InetSocketAddress("0.0.0.0", 0), 0, 4000000000L, 0);

    private final OwnerCounters counters = new OwnerCounters();

    @Test
    void readsASocket() {
        DiagReplies replies = parse(false, new DiagMessages().socket(5, TCP_V4).bytes());

        assertTrue(replies.complete());
        assertEquals(0, replies.errno());
        assertEquals(java.util.List.of(TCP_V4), replies.sockets());
        assertNull(replies.malformed());
    }

    @Test
    void readsAnIpv6SocketsMappedAddressesAsIpv4AndItsV6OnlyFlag() {
        DiagSocket socket = parse(false, new DiagMessages().socket(5, UDP_DUAL).bytes()).sockets().getFirst();

        assertEquals(UDP_DUAL, socket);
        assertInstanceOf(Inet4Address.class, socket.local().getAddress());
        assertEquals(0, socket.v6Only());
        assertEquals(4000000000L, socket.inode(), "the inode is unsigned");
    }

    @Test
    void readsAnError() {
        DiagReplies replies = parse(false, new DiagMessages().error(5, 2).bytes());

        assertTrue(replies.complete());
        assertEquals(2, replies.errno());
        assertTrue(replies.sockets().isEmpty());
    }

    @Test
    void readsADumpOverSeveralDatagramsUntilDone() {
        DiagReplies replies = new DiagReplies(5, true, 10, counters);
        byte[] first = new DiagMessages().socket(5, TCP_V4).socket(5, UDP_DUAL).bytes();
        replies.accept(wrap(first), first.length);
        assertFalse(replies.complete(), "a dump ends with NLMSG_DONE");
        byte[] last = new DiagMessages().socket(5, TCP_V4).done(5).bytes();
        replies.accept(wrap(last), last.length);

        assertTrue(replies.complete());
        assertEquals(3, replies.sockets().size());
    }

    @Test
    void skipsRepliesToAnotherRequest() {
        DiagReplies replies = parse(false, new DiagMessages().socket(4, TCP_V4).socket(5, UDP_DUAL).bytes());

        assertEquals(java.util.List.of(UDP_DUAL), replies.sockets());
        assertEquals(1, counters.get(OwnerEvent.REPLY_OTHER_SEQUENCE));
    }

    @Test
    void keepsNoMoreSocketsThanTheLimit() {
        DiagReplies replies = new DiagReplies(5, true, 1, counters);
        byte[] bytes = new DiagMessages().socket(5, TCP_V4).socket(5, TCP_V4).done(5).bytes();
        replies.accept(wrap(bytes), bytes.length);

        assertEquals(1, replies.sockets().size());
        assertTrue(replies.overflow());
        assertEquals(1, counters.get(OwnerEvent.REPLY_TOO_MANY_SOCKETS));
    }

    @Test
    void rejectsEachKindOfMalformedReplyWithItsReason() {
        byte[] socket = new DiagMessages().socket(5, TCP_V4).bytes();
        assertMalformed("truncated", OwnerEvent.REPLY_TRUNCATED, socket, socket.length + 100);
        assertMalformed("header-too-short", OwnerEvent.REPLY_HEADER_TOO_SHORT, Arrays.copyOf(socket, 10), 10);
        assertMalformed("bad-length", OwnerEvent.REPLY_BAD_LENGTH, withInt(socket, 0, 8), socket.length);
        assertMalformed("bad-length", OwnerEvent.REPLY_BAD_LENGTH, withInt(socket, 0, socket.length + 4),
                socket.length);
        assertMalformed("diag-too-short", OwnerEvent.REPLY_DIAG_TOO_SHORT, withInt(Arrays.copyOf(socket, 80), 0, 80),
                80);
        byte[] family = socket.clone();
        family[16] = 1; // AF_UNIX
        assertMalformed("bad-family", OwnerEvent.REPLY_BAD_FAMILY, family, family.length);
        byte[] withAttribute = new DiagMessages().socket(5, UDP_DUAL).bytes();
        assertMalformed("bad-attribute", OwnerEvent.REPLY_BAD_ATTRIBUTE, withShort(withAttribute, 88, 40),
                withAttribute.length);
        byte[] error = new DiagMessages().error(5, 2).bytes();
        assertMalformed("error-too-short", OwnerEvent.REPLY_ERROR_TOO_SHORT, withInt(Arrays.copyOf(error, 18), 0, 18),
                18);
    }

    @Test
    void countsMessagesOfOtherTypesAndGoesOn() {
        byte[] other = withShort(new DiagMessages().socket(5, TCP_V4).bytes(), 4, 0x10); // RTM_NEWLINK
        DiagReplies replies = parse(false, concat(other, new DiagMessages().socket(5, UDP_DUAL).bytes()));

        assertEquals(java.util.List.of(UDP_DUAL), replies.sockets());
        assertEquals(1, counters.get(OwnerEvent.REPLY_UNEXPECTED_TYPE));
    }

    @Test
    void randomBytesAndMutatedRepliesNeverThrow() {
        Random random = new Random(4545);
        byte[] valid = new DiagMessages().socket(5, TCP_V4).socket(5, UDP_DUAL).error(5, 2).done(5).bytes();
        for (int round = 0; round < 20_000; round++) {
            byte[] bytes;
            if (round % 2 == 0) {
                bytes = new byte[random.nextInt(300)];
                random.nextBytes(bytes);
                if (bytes.length >= 12 && random.nextBoolean()) {
                    ByteBuffer.wrap(bytes).order(ByteOrder.nativeOrder()).putInt(0, random.nextInt(bytes.length + 8))
                            .putInt(8, 5);
                }
            } else {
                bytes = Arrays.copyOf(valid, random.nextInt(valid.length + 1));
                for (int flips = random.nextInt(4); flips > 0 && bytes.length > 0; flips--) {
                    bytes[random.nextInt(bytes.length)] ^= (byte) (1 << random.nextInt(8));
                }
            }
            DiagReplies replies = new DiagReplies(5, random.nextBoolean(), 4, counters);
            int claimed = random.nextInt(4) == 0 ? bytes.length + random.nextInt(100) : bytes.length;
            replies.accept(wrap(bytes), claimed);
            for (DiagSocket socket : replies.sockets()) {
                assertTrue(socket.family() == DiagRequest.AF_INET || socket.family() == DiagRequest.AF_INET6);
                assertTrue(socket.inode() >= 0 && socket.inode() <= 0xFFFFFFFFL);
            }
        }
        long dropped = counters.snapshot().entrySet().stream().filter(e -> e.getKey().startsWith("reply-"))
                .mapToLong(java.util.Map.Entry::getValue).sum();
        assertTrue(dropped > 10_000, "most of the garbage is counted as dropped: " + counters.snapshot());
    }

    private void assertMalformed(String reason, OwnerEvent counter, byte[] bytes, int length) {
        long before = counters.get(counter);
        DiagReplies replies = new DiagReplies(5, false, 4, counters);
        replies.accept(wrap(bytes), length);
        assertEquals(reason, replies.malformed());
        assertTrue(replies.sockets().isEmpty(), reason);
        assertEquals(before + 1, counters.get(counter), reason);
    }

    private DiagReplies parse(boolean dump, byte[] bytes) {
        DiagReplies replies = new DiagReplies(5, dump, 10, counters);
        replies.accept(wrap(bytes), bytes.length);
        return replies;
    }

    private static ByteBuffer wrap(byte[] bytes) {
        return ByteBuffer.wrap(bytes);
    }

    private static byte[] withInt(byte[] bytes, int at, int value) {
        byte[] copy = bytes.clone();
        ByteBuffer.wrap(copy).order(ByteOrder.nativeOrder()).putInt(at, value);
        return copy;
    }

    private static byte[] withShort(byte[] bytes, int at, int value) {
        byte[] copy = bytes.clone();
        ByteBuffer.wrap(copy).order(ByteOrder.nativeOrder()).putShort(at, (short) value);
        return copy;
    }

    private static byte[] concat(byte[] first, byte[] second) {
        byte[] both = Arrays.copyOf(first, first.length + second.length);
        System.arraycopy(second, 0, both, first.length, second.length);
        return both;
    }
}
