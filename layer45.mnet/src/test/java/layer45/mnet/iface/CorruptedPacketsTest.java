package layer45.mnet.iface;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import layer45.mnet.phy.LinkProtocol;
import layer45.mnet.wire.Ipv4Packet;
import layer45.mnet.wire.Ipv6ExtensionHeaders;
import layer45.mnet.wire.Ipv6Packet;
import layer45.mnet.wire.WireCheck;
import org.junit.jupiter.api.Test;

/**
 * A large randomized corpus of corrupted packets against a whole stack: valid packets of every kind
 * ({@link ValidPackets}) are mutated with a seeded random generator (bit flips, truncations, length fields set to
 * random values, random bytes, fragment fields scrambled, headers swapped between families) and fed through an
 * {@link Interface} with UDP. Nothing escapes, the stack never fails on a packet, everything it sends is well-formed,
 * and every packet is accounted for by a counter ({@link IngressHarness}). The same seed gives the same packets: a
 * failure names the seed, the batch and the packet.
 */
class CorruptedPacketsTest {

    private static final long SEED = 0x1A7E_4545L;
    private static final int PACKETS = 100_000;
    private static final int PACKETS_PER_STACK = 2_000;
    /** A safety stop far beyond the usual few seconds, so a pathological slowdown cannot hang the build. */
    private static final long MAX_NANOS = TimeUnit.MINUTES.toNanos(3);

    @Test
    void nothingEscapesAndEveryCorruptedPacketIsCounted() {
        Random random = new Random(SEED);
        List<ValidPackets.Packet> originals = new ArrayList<>();
        for (ValidPackets.Named named : ValidPackets.all()) {
            originals.addAll(named.packets());
        }
        Map<String, Long> reached = new TreeMap<>();
        long start = System.nanoTime();
        int fed = 0;
        for (int batch = 0; fed < PACKETS && System.nanoTime() - start < MAX_NANOS; batch++) {
            IngressHarness.Tap tap = IngressHarness.Tap.values()[batch % IngressHarness.Tap.values().length];
            IngressHarness stack = new IngressHarness(tap, batch % 2 == 0, batch % 5 != 4);
            for (int i = 0; i < PACKETS_PER_STACK && fed < PACKETS; i++, fed++) {
                ValidPackets.Packet original = originals.get(random.nextInt(originals.size()));
                Mutation mutation = Mutation.values()[random.nextInt(Mutation.values().length)];
                ValidPackets.Packet packet = mutation.apply(original, random);
                if (random.nextInt(3) == 0) {
                    // Right checksums over wrong fields take the corruption past the checksum checks.
                    InterfaceFuzzTest.fixChecksums(packet.linkProtocol(), packet.bytes());
                }
                if (random.nextInt(50) == 0) {
                    stack.advance(1 + random.nextInt(40), TimeUnit.SECONDS);
                }
                int length = Math.min(packet.bytes().length, IngressHarness.MTU);
                try {
                    stack.inject(packet.linkProtocol(), packet.bytes(), 0, length);
                } catch (Throwable e) {
                    throw new AssertionError("seed " + SEED + ", batch " + batch + ", packet " + i + " (" + mutation
                            + " of a valid packet), link protocol " + LinkProtocol.name(packet.linkProtocol())
                            + ": " + HexFormat.of().formatHex(packet.bytes(), 0, length), e);
                }
            }
            try {
                stack.finish();
            } catch (Throwable e) {
                throw new AssertionError("seed " + SEED + ", batch " + batch + ": at the end of the batch", e);
            }
            stack.iface().counters().forEach((layer, counters) -> counters.forEach((name, count) ->
                    reached.merge(layer + "/" + name, count, Long::sum)));
            stack.udp().events().snapshot().forEach((name, count) -> reached.merge("udp/" + name, count, Long::sum));
        }
        assertTrue(fed > 0, "no packet was fed");
        // The corpus is only worth its size if corrupted packets get past the first checks into every layer.
        for (String counter : List.of("ipv4/malformed-truncated", "ipv4/bad-checksum", "ipv6/malformed-truncated",
                "ipv6/extension-header-problem", "reassembly-ipv4/datagram-reassembled", "reassembly-ipv4/overlap",
                "reassembly-ipv6/datagram-reassembled", "icmpv4/echo-answered", "icmpv6/echo-answered",
                "icmpv6/error-sent", "udp/datagrams-received", "udp/bad-checksum", "udp/datagrams-sent")) {
            assertTrue(reached.getOrDefault(counter, 0L) > 0, counter + " was never counted: " + reached);
        }
    }

    /** The ways a valid packet is corrupted. */
    private enum Mutation {
        BIT_FLIPS {
            @Override
            byte[] mutate(byte[] b, Random r) {
                for (int n = 1 + r.nextInt(8); n > 0; n--) {
                    int bit = r.nextInt(8 * b.length);
                    b[bit >>> 3] ^= (byte) (1 << (bit & 7));
                }
                return b;
            }
        },
        TRUNCATED {
            @Override
            byte[] mutate(byte[] b, Random r) {
                return java.util.Arrays.copyOf(b, 1 + r.nextInt(b.length));
            }
        },
        EXTENDED {
            @Override
            byte[] mutate(byte[] b, Random r) {
                byte[] longer = java.util.Arrays.copyOf(b, b.length + 1 + r.nextInt(64));
                for (int i = b.length; i < longer.length; i++) {
                    longer[i] = (byte) r.nextInt();
                }
                return longer;
            }
        },
        RANDOM_BYTES {
            @Override
            byte[] mutate(byte[] b, Random r) {
                int from = r.nextInt(b.length);
                int to = Math.min(b.length, from + 1 + r.nextInt(16));
                for (int i = from; i < to; i++) {
                    b[i] = (byte) r.nextInt();
                }
                return b;
            }
        },
        LENGTH_FIELD {
            @Override
            byte[] mutate(byte[] b, Random r) {
                ByteBuffer buf = ByteBuffer.wrap(b);
                int value = r.nextBoolean() ? r.nextInt(0x10000) : b.length + r.nextInt(33) - 16;
                int transport = transportOffset(b);
                switch (r.nextInt(3)) {
                    case 0 -> {
                        // IP total length (IPv4) or payload length (IPv6).
                        if (b.length >= 6) {
                            buf.putShort(version(b) == 6 ? 4 : 2, (short) value);
                        }
                    }
                    case 1 -> {
                        // IPv4 header length, or an IPv6 extension header's length.
                        if (version(b) == 4) {
                            b[0] = (byte) (0x40 | r.nextInt(16));
                        } else if (b.length > 41) {
                            b[41] = (byte) r.nextInt(256);
                        }
                    }
                    default -> {
                        // The UDP length (or the bytes where a transport header's length would be).
                        if (transport >= 0 && transport + 6 <= b.length) {
                            buf.putShort(transport + 4, (short) value);
                        }
                    }
                }
                return b;
            }
        },
        FRAGMENT_FIELDS {
            @Override
            byte[] mutate(byte[] b, Random r) {
                ByteBuffer buf = ByteBuffer.wrap(b);
                if (version(b) == 4 && b.length >= Ipv4Packet.MIN_HEADER_LENGTH) {
                    // Flags and offset, and now and then the identification.
                    buf.putShort(6, (short) r.nextInt(0x10000));
                    if (r.nextBoolean()) {
                        buf.putShort(4, (short) r.nextInt(4));
                    }
                    return b;
                }
                int header = fragmentHeader(b);
                if (header >= 0) {
                    buf.putShort(header + 2, (short) r.nextInt(0x10000));
                    if (r.nextBoolean()) {
                        buf.putInt(header + 4, r.nextInt(4));
                    }
                    return b;
                }
                if (version(b) == 6 && b.length >= Ipv6Packet.HEADER_LENGTH) {
                    // Turn the packet into a fragment: a Fragment header with a random offset and M flag.
                    byte[] fragment = new byte[b.length + 8];
                    System.arraycopy(b, 0, fragment, 0, Ipv6Packet.HEADER_LENGTH);
                    System.arraycopy(b, Ipv6Packet.HEADER_LENGTH, fragment, Ipv6Packet.HEADER_LENGTH + 8,
                            b.length - Ipv6Packet.HEADER_LENGTH);
                    ByteBuffer f = ByteBuffer.wrap(fragment);
                    f.putShort(4, (short) (b.length - Ipv6Packet.HEADER_LENGTH + 8));
                    fragment[6] = 44;
                    fragment[40] = b[6];
                    f.putShort(42, (short) r.nextInt(0x10000));
                    f.putInt(44, r.nextInt(4));
                    return fragment;
                }
                return b;
            }
        },
        FAMILY_SWAPPED {
            @Override
            byte[] mutate(byte[] b, Random r) {
                b[0] = (byte) ((version(b) == 4 ? 6 : 4) << 4 | b[0] & 0x0F);
                return b;
            }
        };

        /** @return the mutated packet, its link protocol now and then wrong too */
        ValidPackets.Packet apply(ValidPackets.Packet original, Random r) {
            byte[] bytes = mutate(original.bytes().clone(), r);
            int link = original.linkProtocol();
            int dice = r.nextInt(40);
            if (dice == 0) {
                link = link == LinkProtocol.IPV4 ? LinkProtocol.IPV6 : LinkProtocol.IPV4;
            } else if (dice == 1) {
                link = LinkProtocol.EXPERIMENTAL_2;
            }
            return new ValidPackets.Packet(link, bytes);
        }

        abstract byte[] mutate(byte[] b, Random r);

        private static int version(byte[] b) {
            return (b[0] & 0xFF) >>> 4;
        }

        /** @return where the transport header of an unmutated packet is, or -1 */
        private static int transportOffset(byte[] b) {
            if (version(b) == 4) {
                Ipv4Packet ip = new Ipv4Packet().wrap(ByteBuffer.wrap(b));
                return ip.check() == WireCheck.VALID ? ip.payloadOffset() : -1;
            }
            Ipv6Packet ip = new Ipv6Packet().wrap(ByteBuffer.wrap(b));
            Ipv6ExtensionHeaders headers = new Ipv6ExtensionHeaders();
            return ip.check() == WireCheck.VALID && headers.walk(ip) == WireCheck.VALID ? headers.upperOffset() : -1;
        }

        /** @return where the Fragment header of an IPv6 packet is, or -1 */
        private static int fragmentHeader(byte[] b) {
            if (version(b) != 6) {
                return -1;
            }
            Ipv6Packet ip = new Ipv6Packet().wrap(ByteBuffer.wrap(b));
            Ipv6ExtensionHeaders headers = new Ipv6ExtensionHeaders();
            return ip.check() == WireCheck.VALID && headers.walk(ip) == WireCheck.VALID
                    ? headers.fragmentHeaderOffset() : -1;
        }
    }
}
