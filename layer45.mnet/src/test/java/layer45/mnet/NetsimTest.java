package layer45.mnet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import layer45.mnet.iface.NetworkLayer;
import layer45.mnet.phy.FaultInjectingDevice;
import layer45.mnet.phy.FaultOptions;
import layer45.mnet.phy.MemoryLink;
import layer45.mnet.phy.MemoryLinkOptions;
import layer45.mnet.socket.udp.UdpSocket;
import layer45.mnet.testing.Netsim;
import layer45.mnet.testing.TestStack;
import layer45.mnet.time.ManualClock;
import layer45.mnet.wire.Ipv4Address;
import layer45.mnet.wire.Ipv6Address;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Two stacks on an in-memory link with seeded faults: pings and UDP echo, over IPv4 and IPv6, with datagrams
 * large enough to be fragmented. Every run with the same seed is the same run.
 */
class NetsimTest {

    private static final long SECOND = TimeUnit.SECONDS.toNanos(1);

    /** What one scenario produced: which requests were answered, intact. */
    private record Outcome(List<Integer> answered, long corruptAnswers, Map<String, Map<String, Long>> counters) {
    }

    @ParameterizedTest(name = "{0}: loss {1}, reordering {2}, duplication {3}")
    @CsvSource({
        "ipv4, 0.00, 0.00, 0.00",
        "ipv4, 0.01, 0.05, 0.01",
        "ipv4, 0.05, 0.20, 0.05",
        "ipv6, 0.00, 0.00, 0.00",
        "ipv6, 0.05, 0.20, 0.05",
    })
    void udpEchoAnswersEveryDatagramThatSurvivesTheLink(String family, double loss, double reordering,
            double duplication) {
        Outcome first = udpEcho(family, loss, reordering, duplication, 45);
        Outcome again = udpEcho(family, loss, reordering, duplication, 45);
        assertEquals(first, again, "the same seed gives the same run");
        assertEquals(0, first.corruptAnswers(), "every answer is byte for byte what was sent");
        int sent = 300;
        if (loss == 0) {
            assertEquals(sent, first.answered().size(), "a clean link loses nothing, fragments included");
        } else {
            // Each datagram crosses the link twice, in one to three fragments each way: most survive, some don't.
            assertTrue(first.answered().size() > sent * 0.6, "answered " + first.answered().size());
            assertTrue(first.answered().size() < sent, "answered " + first.answered().size());
        }
        Map<String, Long> udp = first.counters().get("udp");
        assertEquals(0, udp.get("bad-checksum") + udp.get("flow-table-full") + udp.get("send-failed"), udp.toString());
        assertEquals(0, first.counters().get("interface").get("internal-error"));
    }

    @ParameterizedTest(name = "{0}: loss {1}, reordering {2}")
    @CsvSource({ "ipv4, 0.00, 0.00", "ipv4, 0.05, 0.20", "ipv6, 0.00, 0.00", "ipv6, 0.05, 0.20" })
    void pingsAreAnswered(String family, double loss, double reordering) {
        ManualClock clock = new ManualClock();
        Pair pair = pair(clock, loss, reordering, 0, 7);
        List<Integer> replies = new ArrayList<>();
        boolean v4 = family.equals("ipv4");
        EchoCollector collector = new EchoCollector(replies);
        if (v4) {
            pair.a.iface().ipv4().echoListener(collector);
        } else {
            pair.a.iface().ipv6().echoListener(collector);
        }
        Netsim sim = new Netsim(clock, pair.a.iface(), pair.b.iface());
        for (int seq = 0; seq < 200; seq++) {
            ByteBuffer data = payload(seq, 56 + seq * 20);
            if (v4) {
                pair.a.iface().ipv4().ping(Ipv4Address.parse("10.0.0.2"), 0x4545, seq, data);
            } else {
                pair.a.iface().ipv6().ping(Ipv6Address.parse("fd00::2"), 0x4545, seq, data);
            }
            sim.runUntil(() -> false, SECOND / 100);
        }
        sim.settle(SECOND);
        assertEquals(0, collector.corrupt, "replies carry the request's data");
        if (loss == 0) {
            assertEquals(200, replies.size());
        } else {
            assertTrue(replies.size() > 100 && replies.size() < 200, "replies " + replies.size());
        }
        String icmp = v4 ? "icmpv4" : "icmpv6";
        assertEquals(replies.size(), pair.a.iface().counters().get(icmp).get("echo-reply-received")
                - duplicates(replies));
    }

    private static long duplicates(List<Integer> replies) {
        return replies.size() - replies.stream().distinct().count();
    }

    private Outcome udpEcho(String family, double loss, double reordering, double duplication, long seed) {
        ManualClock clock = new ManualClock();
        Pair pair = pair(clock, loss, reordering, duplication, seed);
        boolean v4 = family.equals("ipv4");
        NetworkLayer layerA = v4 ? pair.a.iface().ipv4() : pair.a.iface().ipv6();
        long dstHigh = v4 ? 0 : Ipv6Address.parse("fd00::2").high();
        long dstLow = v4 ? Ipv4Address.parse("10.0.0.2").bits() & 0xFFFF_FFFFL : Ipv6Address.parse("fd00::2").low();
        pair.b.udp().bind(null, 0, 0, true, 7, (socket, flow, payload) -> flow.send(payload));
        Map<Integer, byte[]> sentPayloads = new HashMap<>();
        List<Integer> answered = new ArrayList<>();
        long[] corrupt = { 0 };
        UdpSocket client = pair.a.udp().bind(null, 0, 0, true, 5000, (socket, flow, payload) -> {
            int id = payload.getInt(payload.position());
            byte[] got = new byte[payload.remaining()];
            payload.get(payload.position(), got);
            if (!java.util.Arrays.equals(sentPayloads.get(id), got)) {
                corrupt[0]++;
            } else if (!answered.contains(id)) {
                answered.add(id);
            }
        });
        Netsim sim = new Netsim(clock, pair.a.iface(), pair.b.iface());
        Random sizes = new Random(seed);
        for (int id = 0; id < 300; id++) {
            // Up to three fragments at MTU 1500: the reassembly of both stacks is exercised under faults.
            int length = 4 + (id % 10 == 0 ? 1500 + sizes.nextInt(2500) : sizes.nextInt(1200));
            ByteBuffer data = payload(id, length);
            byte[] bytes = new byte[length];
            data.get(data.position(), bytes);
            sentPayloads.put(id, bytes);
            client.sendTo(layerA, dstHigh, dstLow, 7, data);
            sim.runUntil(() -> false, SECOND / 200);
        }
        sim.settle(2 * SECOND);
        Map<String, Map<String, Long>> counters = new HashMap<>(pair.b.iface().counters());
        counters.put("udp", pair.b.udp().events().snapshot());
        return new Outcome(answered, corrupt[0], counters);
    }

    private record Pair(TestStack a, TestStack b) {
    }

    private static Pair pair(ManualClock clock, double loss, double reordering, double duplication, long seed) {
        MemoryLink link = MemoryLink.create(new MemoryLinkOptions("sim", 1500, 1024), clock);
        FaultOptions faults = FaultOptions.seeded(seed).withLoss(loss).withReordering(reordering)
                .withDuplication(duplication).withDelayNanos(TimeUnit.MICROSECONDS.toNanos(200))
                .withJitterNanos(TimeUnit.MICROSECONDS.toNanos(100)).withQueueCapacity(1024);
        TestStack a = new TestStack(FaultInjectingDevice.wrap(link.a(), faults, clock), clock, () -> null, false,
                "10.0.0.1/24", "fd00::1/64");
        TestStack b = new TestStack(FaultInjectingDevice.wrap(link.b(), faults.withSeed(seed + 1), clock), clock,
                () -> null, false, "10.0.0.2/24", "fd00::2/64");
        return new Pair(a, b);
    }

    private static ByteBuffer payload(int id, int length) {
        ByteBuffer data = ByteBuffer.allocate(Math.max(4, length));
        new Random(id).nextBytes(data.array());
        data.putInt(0, id);
        return data;
    }

    /** Collects echo replies and checks their data. */
    private static final class EchoCollector implements layer45.mnet.iface.EchoListener {
        private final List<Integer> replies;
        long corrupt;

        EchoCollector(List<Integer> replies) {
            this.replies = replies;
        }

        @Override
        public void reply(long srcHigh, long srcLow, int ident, int sequence, ByteBuffer data) {
            ByteBuffer expected = payload(sequence, 56 + sequence * 20);
            if (ident != 0x4545 || !expected.equals(data)) {
                corrupt++;
            }
            replies.add(sequence);
        }
    }
}
