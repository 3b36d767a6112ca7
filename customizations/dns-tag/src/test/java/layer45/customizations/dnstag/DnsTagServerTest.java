package layer45.customizations.dnstag;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static layer45.customizations.dnstag.DnsMessages.query;
import static layer45.customizations.dnstag.DnsMessages.stream;
import static layer45.customizations.dnstag.DnsMessages.tagged;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.Random;

import layer45.api.Transport;
import layer45.api.Verdict;
import layer45.api.runtime.CountersDTO;
import layer45.api.spi.Direction;
import layer45.api.spi.Outcome;
import layer45.testing.ChunkPlan;
import layer45.testing.FlowSpec;
import layer45.testing.ModuleTester;
import layer45.testing.TestFlow;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** dnsmasq receives tagged queries without their tag, and untagged queries not at all. */
class DnsTagServerTest {

    private final ModuleTester tester = ModuleTester.activate(DnsTagServer.class); // its target: dnsmasq, port 53

    @AfterEach
    void close() {
        tester.close();
    }

    private CountersDTO recvCounters() {
        return tester.moduleInfo().recv;
    }

    /** dnsmasq's flow with dig, as the server's host sees it. */
    private static FlowSpec dnsmasqFlow(Transport transport) {
        FlowSpec flow = transport == Transport.UDP ? FlowSpec.udp() : FlowSpec.tcp();
        return flow.local("10.0.0.20", 53).remote("10.0.0.40", 40000).openedByPeer().process("dnsmasq");
    }

    private TestFlow dnsmasq(Transport transport) {
        return tester.flow(dnsmasqFlow(transport));
    }

    @Test
    void aTaggedUdpQueryReachesDnsmasqWithoutItsTag() {
        byte[] query = query(0x4242, "www.example.com");
        try (TestFlow dnsmasq = dnsmasq(Transport.UDP)) {
            dnsmasq.recv(tagged("dig", query)).expectOutput(query).expectVerdict(Verdict.DELIVER);
            dnsmasq.recv(tagged("another-app", query)).expectOutput(query); // any application id is stripped
        }
    }

    @Test
    void anUntaggedUdpQueryIsDroppedAndCounted() {
        try (TestFlow dnsmasq = dnsmasq(Transport.UDP)) {
            dnsmasq.recv(query(1, "www.example.com")).expectOutput("").expectVerdict(Verdict.DROP)
                    .expectOutcome(Outcome.DROPPED);
            dnsmasq.recv(query(2, "www.example.com"));
        }
        assertEquals(2, recvCounters().dropped, "operators see the drops in modinfo");
    }

    @Test
    void aTagCutShortIsDroppedRatherThanDeliveredWithItsTag() {
        try (TestFlow dnsmasq = dnsmasq(Transport.UDP)) {
            dnsmasq.recv("XTAGdig".getBytes(US_ASCII)).expectOutput("").expectOutcome(Outcome.DROPPED);
            dnsmasq.recv(new DnsTag("dig").toBytes()).expectOutput(""); // a tag with no query behind it
            assertEquals(0, dnsmasq.app().length);
        }
    }

    @Test
    void answersLeaveUnchanged() {
        byte[] answer = query(5, "www.example.com");
        try (TestFlow dnsmasq = dnsmasq(Transport.UDP)) {
            dnsmasq.send(answer).expectOutput(answer).expectOutcome(Outcome.ORIGINAL);
        }
    }

    @Test
    void eachTaggedTcpMessageIsStrippedAndItsLengthFixedBack() {
        byte[] first = query(1, "one.example");
        byte[] second = query(2, "two.example");
        try (TestFlow dnsmasq = dnsmasq(Transport.TCP)) {
            dnsmasq.recv(stream(tagged("dig", first), tagged("dig", second))).expectOutput(stream(first, second));
        }
    }

    @Test
    void untaggedTcpMessagesAreCutOutOfTheStreamAndTheRestStaysFramed() {
        byte[] tagged1 = query(1, "one.example");
        byte[] plain = query(2, "plain.example");
        byte[] tiny = { 1, 2, 3 }; // too short to hold a tag
        byte[] tagged2 = query(3, "three.example");
        try (TestFlow dnsmasq = dnsmasq(Transport.TCP)) {
            dnsmasq.recv(stream(tagged("dig", tagged1), plain, tiny, tagged("dig", tagged2)));
            assertArrayEquals(stream(tagged1, tagged2), dnsmasq.app());
            // a chunk of only untagged bytes counts as dropped
            dnsmasq.recv(stream(plain)).expectOutput("").expectOutcome(Outcome.DROPPED);
        }
    }

    @Test
    void aTaggedTcpStreamSplitAnywhereArrivesAsExactlyTheUntaggedStream() {
        Random random = new Random(5353);
        for (int round = 0; round < 200; round++) {
            int count = 1 + random.nextInt(5);
            byte[][] messages = new byte[count][];
            byte[][] wire = new byte[count][];
            for (int m = 0; m < count; m++) {
                messages[m] = query(random.nextInt(1 << 16), "host" + random.nextInt(1000) + ".example");
                wire[m] = tagged("dig", messages[m]);
            }
            byte[] arriving = stream(wire);
            try (TestFlow dnsmasq = dnsmasq(Transport.TCP)) {
                dnsmasq.recvAll(arriving, ChunkPlan.random(round, 25)); // TCP re-chunks the stream however it likes
                assertArrayEquals(stream(messages), dnsmasq.app(), "round " + round);
                assertEquals(0, dnsmasq.held(Direction.RECV));
            }
        }
    }

    @Test
    void theStartOfAMessageIsHeldUntilItsTagHasArrived() {
        byte[] arriving = stream(tagged("dig", query(1, "held.example")));
        try (TestFlow dnsmasq = dnsmasq(Transport.TCP)) {
            dnsmasq.recv(Arrays.copyOfRange(arriving, 0, 10)).expectOutput("").expectOutcome(Outcome.HELD)
                    .expectHeld(10);
            dnsmasq.recv(Arrays.copyOfRange(arriving, 10, arriving.length));
            assertArrayEquals(stream(query(1, "held.example")), dnsmasq.app());
        }
    }

    @Test
    void aStreamEndingInsideATagDeliversNothingOfIt() {
        byte[] arriving = stream(tagged("dig", query(1, "cut.example")));
        try (TestFlow dnsmasq = dnsmasq(Transport.TCP)) {
            dnsmasq.recv(Arrays.copyOfRange(arriving, 0, 12));
            dnsmasq.endRecv().expectOutput("");
            assertEquals(0, dnsmasq.app().length);
        }
        assertEquals(12, recvCounters().heldDiscarded);
    }

    @Test
    void withTheClientOnTheOtherEndDnsmasqSeesExactlyWhatDigSent() {
        byte[] query = query(77, "pair.example");
        try (ModuleTester both = ModuleTester.activate(DnsTagServer.class).with(DnsTagClient.class)) {
            FlowSpec dig = FlowSpec.udp().from("10.0.0.40", 40000).to("10.0.0.20", 53).process("dig");
            try (TestFlow client = both.flow(dig); TestFlow dnsmasq = both.flow(dnsmasqFlow(Transport.UDP))) {
                dnsmasq.recv(client.send(query).output()).expectOutput(query);
            }
            byte[] sent = stream(query(1, "a.example"), query(2, "b.example"));
            try (TestFlow client = both.flow(FlowSpec.tcp().from("10.0.0.40", 40000).to("10.0.0.20", 53)
                    .process("dig")); TestFlow dnsmasq = both.flow(dnsmasqFlow(Transport.TCP))) {
                client.sendAll(sent, ChunkPlan.sizes(7, 100));
                dnsmasq.recvAll(client.wire(), ChunkPlan.sizes(30, 100));
                assertArrayEquals(sent, dnsmasq.app());
            }
        }
    }
}
