package layer45.mnet.wire;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Malformed input must only ever produce a {@link WireCheck} reason: from every fixture, a seeded corpus of
 * mutations (bit flips, every truncation, random length fields, random bytes, random IPv6 extension-header chains)
 * is dissected by {@link PacketDissector}, which reads every accessor of every view that passed its check and
 * round-trips every Repr. A failure names the seed, the mutation and the bytes, so it can be replayed.
 */
class CorruptedPacketCorpusTest {

    private static final long SEED = 0x1A7E_4545L;
    private static final int RANDOM_CASES = 200_000;
    /** A bound in time as well as in count; the corpus normally takes a few seconds. */
    private static final long DEADLINE_NANOS = 120_000_000_000L;

    private final PacketDissector dissector = new PacketDissector();
    private final List<byte[]> seeds = new ArrayList<>();
    private int cases;

    CorruptedPacketCorpusTest() {
        for (String hex : WireFixtures.ALL.values()) {
            seeds.add(WireFixtures.bytes(hex));
        }
    }

    private void run(String what, byte[] packet) {
        cases++;
        try {
            dissector.dissect(ByteBuffer.wrap(packet), 0, packet.length);
            // The same bytes at an odd offset inside a larger buffer with stale bytes around them.
            byte[] framed = new byte[packet.length + 11];
            Arrays.fill(framed, (byte) 0xC3);
            System.arraycopy(packet, 0, framed, 7, packet.length);
            dissector.dissect(ByteBuffer.wrap(framed), 7, packet.length);
        } catch (Throwable t) {
            fail("seed " + Long.toHexString(SEED) + ", " + what + ": " + HexFormat.of().formatHex(packet) + " -> " + t,
                    t);
        }
    }

    @Test
    void everyTruncationOfEveryFixture() {
        for (byte[] seed : seeds) {
            for (int length = 0; length <= seed.length; length++) {
                run("truncated to " + length, Arrays.copyOf(seed, length));
            }
        }
        assertTrue(dissector.valid[0] > 0 && dissector.valid[1] > 0, "fixtures themselves are valid");
    }

    @Test
    void fixturesAreValidAndRoundTrip() {
        for (byte[] seed : seeds) {
            run("fixture", seed);
        }
        for (long v : dissector.valid) {
            assertTrue(v > 0, "every kind of view was exercised: " + Arrays.toString(dissector.valid));
        }
    }

    @Test
    void randomMutations() {
        Random random = new Random(SEED);
        long deadline = System.nanoTime() + DEADLINE_NANOS;
        for (int i = 0; i < RANDOM_CASES && System.nanoTime() < deadline; i++) {
            int kind = i % 6;
            byte[] packet;
            String what;
            switch (kind) {
                case 0 -> {
                    packet = seeds.get(random.nextInt(seeds.size())).clone();
                    int flips = 1 + random.nextInt(4);
                    for (int f = 0; f < flips && packet.length > 0; f++) {
                        packet[random.nextInt(packet.length)] ^= (byte) (1 << random.nextInt(8));
                    }
                    what = "case " + i + ", " + flips + " bit flips";
                }
                case 1 -> {
                    packet = seeds.get(random.nextInt(seeds.size())).clone();
                    setRandomLengthField(random, packet);
                    what = "case " + i + ", random length field";
                }
                case 2 -> {
                    packet = seeds.get(random.nextInt(seeds.size())).clone();
                    int n = 1 + random.nextInt(6);
                    for (int k = 0; k < n; k++) {
                        packet[random.nextInt(packet.length)] = (byte) random.nextInt(256);
                    }
                    packet = Arrays.copyOf(packet, Math.max(0, packet.length + random.nextInt(24) - 12));
                    what = "case " + i + ", random bytes and length change";
                }
                case 3 -> {
                    packet = new byte[random.nextInt(120)];
                    random.nextBytes(packet);
                    if (packet.length > 0) {
                        packet[0] = (byte) ((random.nextBoolean() ? 0x40 : 0x60) | packet[0] & 0x0F);
                    }
                    what = "case " + i + ", random bytes";
                }
                case 4 -> {
                    packet = randomExtensionChain(random);
                    what = "case " + i + ", random extension-header chain";
                }
                default -> {
                    packet = randomTransportOverIp(random);
                    what = "case " + i + ", random transport header";
                }
            }
            run(what, packet);
        }
        assertTrue(cases > 1000, "ran " + cases + " cases");
        for (long v : dissector.valid) {
            assertTrue(v > 100, "mutations reach every kind of view: " + Arrays.toString(dissector.valid));
        }
    }

    /** Overwrites one of the length-like fields of whichever headers the packet might have. */
    private static void setRandomLengthField(Random random, byte[] p) {
        int[] at = {0, 2, 4, 6, 41, 43, 20 + 4, 20 + 12, 40 + 4, 40 + 12, 48 + 1, 56 + 1, 24 + 1, 22 + 1, 26};
        int pos = at[random.nextInt(at.length)];
        if (pos >= p.length) {
            pos = random.nextInt(p.length);
        }
        if (random.nextBoolean() && pos + 1 < p.length) {
            int v = random.nextBoolean() ? random.nextInt(65536) : p.length + random.nextInt(16) - 8;
            p[pos] = (byte) (v >>> 8);
            p[pos + 1] = (byte) v;
        } else {
            p[pos] = (byte) random.nextInt(256);
        }
    }

    /** An IPv6 packet with up to 10 extension headers of every kind, mostly well-formed, then an upper layer. */
    private static byte[] randomExtensionChain(Random random) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        int count = random.nextInt(11);
        int[] kinds = {IpProtocol.HOPOPT, IpProtocol.IPV6_OPTS, IpProtocol.IPV6_ROUTE, IpProtocol.IPV6_FRAG,
            IpProtocol.AH};
        int[] uppers = {IpProtocol.UDP, IpProtocol.TCP, IpProtocol.ICMPV6, IpProtocol.IPV6_NONXT, IpProtocol.ESP,
            random.nextInt(256)};
        int first = count == 0 ? uppers[random.nextInt(uppers.length)] : kinds[random.nextInt(kinds.length)];
        int current = first;
        for (int h = 0; h < count; h++) {
            int next = h + 1 < count ? kinds[random.nextInt(kinds.length)] : uppers[random.nextInt(uppers.length)];
            switch (current) {
                case IpProtocol.HOPOPT, IpProtocol.IPV6_OPTS -> {
                    int units = random.nextInt(3);
                    byte[] options = randomOptions(random, 6 + 8 * units);
                    body.write(next);
                    body.write(units);
                    body.writeBytes(options);
                }
                case IpProtocol.IPV6_ROUTE -> {
                    int units = 2 * random.nextInt(3);
                    body.write(next);
                    body.write(units);
                    body.write(random.nextInt(5));
                    body.write(random.nextInt(4) == 0 ? random.nextInt(3) : 0);
                    body.writeBytes(new byte[4 + 8 * units]);
                }
                case IpProtocol.IPV6_FRAG -> {
                    body.write(next);
                    body.write(0);
                    int offsetUnits = random.nextInt(3) == 0 ? random.nextInt(8192) : 0;
                    int m = random.nextInt(3) == 0 ? 1 : 0;
                    int word = offsetUnits << 3 | m;
                    body.write(word >>> 8);
                    body.write(word);
                    body.writeBytes(new byte[] {1, 2, 3, 4});
                }
                default -> { // AH
                    int payloadLen = 1 + random.nextInt(6);
                    body.write(next);
                    body.write(payloadLen);
                    body.writeBytes(new byte[(payloadLen + 2) * 4 - 2]);
                }
            }
            current = next;
        }
        byte[] upper = new byte[random.nextInt(48)];
        random.nextBytes(upper);
        if (upper.length >= 13 && random.nextBoolean()) {
            upper[12] = 0x50; // a plausible TCP data offset
        }
        if (upper.length >= 6 && random.nextBoolean()) {
            upper[4] = 0;
            upper[5] = (byte) upper.length; // a plausible UDP length
        }
        body.writeBytes(upper);
        byte[] payload = body.toByteArray();
        if (random.nextInt(8) == 0 && payload.length > 0) {
            payload[random.nextInt(payload.length)] = (byte) random.nextInt(256);
        }
        int payloadLength = random.nextInt(10) == 0 ? random.nextInt(payload.length + 16) : payload.length;
        ByteBuffer b = ByteBuffer.allocate(40 + payload.length);
        new Ipv6Repr(Ipv6Address.parse("2001:db8::1"), Ipv6Address.parse("2001:db8::2"), first,
                Math.min(payloadLength, 0xFFFF), 64, 0, 0).emit(new Ipv6Packet().wrap(b));
        b.put(40, payload);
        return b.array();
    }

    /** Option TLVs filling exactly {@code length} bytes, sometimes with an unknown type or a bad length. */
    private static byte[] randomOptions(Random random, int length) {
        byte[] o = new byte[length];
        int i = 0;
        while (i < length) {
            int left = length - i;
            if (left == 1 || random.nextInt(4) == 0) {
                o[i++] = 0; // Pad1
                continue;
            }
            int dataLen = random.nextInt(left - 1);
            int type = switch (random.nextInt(6)) {
                case 0 -> 1; // PadN
                case 1 -> 5; // Router Alert
                case 2 -> Ipv6ExtensionHeaders.OPTION_JUMBO_PAYLOAD;
                default -> random.nextInt(256);
            };
            o[i] = (byte) type;
            o[i + 1] = (byte) (random.nextInt(16) == 0 ? random.nextInt(256) : dataLen);
            i += 2 + dataLen;
        }
        return o;
    }

    /** An IP packet of either version whose transport header is random but usually structurally plausible. */
    private static byte[] randomTransportOverIp(Random random) {
        int protocol = new int[] {IpProtocol.UDP, IpProtocol.TCP, IpProtocol.ICMP, IpProtocol.ICMPV6}[random
                .nextInt(4)];
        byte[] upper = new byte[random.nextInt(80)];
        random.nextBytes(upper);
        if (protocol == IpProtocol.TCP && upper.length >= 20) {
            int hl = 20 + 4 * random.nextInt(Math.min(11, (upper.length - 20) / 4 + 1));
            upper[12] = (byte) (hl << 2);
            byte[] options = randomTcpOptions(random, hl - 20);
            System.arraycopy(options, 0, upper, 20, options.length);
        } else if (protocol == IpProtocol.UDP && upper.length >= 8 && random.nextBoolean()) {
            upper[4] = (byte) (upper.length >>> 8);
            upper[5] = (byte) upper.length;
        } else if ((protocol == IpProtocol.ICMP || protocol == IpProtocol.ICMPV6) && upper.length > 8
                && random.nextBoolean()) {
            // An error quoting the start of a real packet.
            byte[] quoted = WireFixtures.bytes(protocol == IpProtocol.ICMP ? WireFixtures.IPV4_TCP_SYN
                    : WireFixtures.IPV6_HBH_DEST_TCP_SYN);
            upper[0] = (byte) (protocol == IpProtocol.ICMP ? random.nextInt(13) : 1 + random.nextInt(4));
            System.arraycopy(quoted, 0, upper, 8, Math.min(quoted.length, upper.length - 8));
        }
        ByteBuffer b;
        if (random.nextBoolean()) {
            b = ByteBuffer.allocate(20 + upper.length);
            new Ipv4Repr(Ipv4Address.parse("10.0.0.1"), Ipv4Address.parse("10.0.0.2"), protocol, upper.length, 64, 0,
                    random.nextInt(65536), false, false, 0, null).emit(new Ipv4Packet().wrap(b));
            new Ipv4Packet().wrap(b).fillChecksum();
            b.put(20, upper);
        } else {
            b = ByteBuffer.allocate(40 + upper.length);
            new Ipv6Repr(Ipv6Address.parse("fe80::1"), Ipv6Address.parse("fe80::2"), protocol, upper.length, 64, 0,
                    0).emit(new Ipv6Packet().wrap(b));
            b.put(40, upper);
        }
        return b.array();
    }

    /** TCP options of every kind, lengths right most of the time. */
    private static byte[] randomTcpOptions(Random random, int length) {
        byte[] o = new byte[length];
        int i = 0;
        while (i < length) {
            int kind = new int[] {0, 1, 2, 3, 4, 5, 8, 30, 254}[random.nextInt(9)];
            int len = switch (kind) {
                case 2 -> 4;
                case 3 -> 3;
                case 4 -> 2;
                case 5 -> 2 + 8 * (1 + random.nextInt(4));
                case 8 -> 10;
                default -> 2 + random.nextInt(6);
            };
            if (random.nextInt(12) == 0) {
                len = random.nextInt(12);
            }
            o[i] = (byte) kind;
            if (kind <= 1) {
                i++;
                continue;
            }
            if (i + 1 < length) {
                o[i + 1] = (byte) len;
            }
            i += Math.max(2, len);
        }
        return o;
    }
}
