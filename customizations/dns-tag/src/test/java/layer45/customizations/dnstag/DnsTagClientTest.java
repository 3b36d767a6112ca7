package layer45.customizations.dnstag;

import static layer45.customizations.dnstag.DnsMessages.query;
import static layer45.customizations.dnstag.DnsMessages.stream;
import static layer45.customizations.dnstag.DnsMessages.tagged;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Random;

import layer45.api.Transport;
import layer45.api.Verdict;
import layer45.api.spi.Direction;
import layer45.api.spi.Outcome;
import layer45.testing.ChunkPlan;
import layer45.testing.FlowSpec;
import layer45.testing.ModuleTester;
import layer45.testing.TestFlow;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** dig's queries leave tagged, over UDP and inside DNS over TCP streams; dig sees nothing of it. */
class DnsTagClientTest {

    /** dig asking dnsmasq, as the client's host sees it. */
    private static final FlowSpec DIG = FlowSpec.udp().from("10.0.0.40", 40000).to("10.0.0.20", 53).process("dig")
            .thread("isc-net-0000");

    private final ModuleTester tester = ModuleTester.activate(DnsTagClient.class); // its target: dig, port 53

    @AfterEach
    void close() {
        tester.close();
    }

    private TestFlow dig(Transport transport) {
        FlowSpec flow = transport == Transport.UDP ? FlowSpec.udp() : FlowSpec.tcp();
        return tester.flow(flow.from("10.0.0.40", 40000).to("10.0.0.20", 53).process("dig").thread("isc-net-0000"));
    }

    @Test
    void aUdpQueryLeavesWithTheTagInFront() {
        byte[] query = query(0x1234, "www.example.com");
        try (TestFlow dig = dig(Transport.UDP)) {
            byte[] wire = dig.send(query).expectVerdict(Verdict.DELIVER).output();
            assertEquals("dig", DnsTag.parse(ByteBuffer.wrap(wire)).orElseThrow().applicationId());
            assertArrayEquals(tagged("dig", query), wire);
            assertEquals(query.length, dig.applicationSent(), "dig sees its own query length sent");
        }
    }

    @Test
    void theAnswerReachesDigUnchanged() {
        byte[] answer = query(0x1234, "www.example.com");
        answer[2] = (byte) 0x81; // QR: an answer
        try (TestFlow dig = dig(Transport.UDP)) {
            dig.recv(answer).expectOutput(answer).expectVerdict(Verdict.TRY_NEXT).expectOutcome(Outcome.ORIGINAL);
        }
    }

    @Test
    void theApplicationIdIsAParameterAndNewQueriesCarryTheNewOne() {
        try (TestFlow dig = dig(Transport.UDP)) {
            tester.configure("application.id", "resolver-7");
            byte[] wire = dig.send(query(1, "a.example")).output();
            assertEquals("resolver-7", DnsTag.parse(ByteBuffer.wrap(wire)).orElseThrow().applicationId());
        }
    }

    @Test
    void anApplicationIdThatDoesNotFitIsRefusedAndTheOldOneStays() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> tester.configure("application.id", "a-name-far-too-long"));
        assertTrue(e.getCause().getMessage().contains("a-name-far-too-long"), e.getMessage());
        try (TestFlow dig = dig(Transport.UDP)) {
            assertEquals("dig", DnsTag.parse(ByteBuffer.wrap(dig.send(query(1, "a.b")).output())).orElseThrow()
                    .applicationId());
        }
    }

    @Test
    void eachMessageInsideATcpStreamIsTaggedAndItsLengthFixed() {
        byte[] first = query(1, "one.example");
        byte[] second = query(2, "two.example");
        try (TestFlow dig = dig(Transport.TCP)) {
            dig.send(stream(first, second)).expectOutput(stream(tagged("dig", first), tagged("dig", second)));
            assertEquals(first.length + second.length + 4, dig.applicationSent());
        }
    }

    @Test
    void aTcpStreamSplitAnywhereIsTaggedExactlyOncePerMessage() {
        Random random = new Random(53);
        for (int round = 0; round < 200; round++) {
            byte[][] messages = new byte[1 + random.nextInt(5)][];
            byte[][] expected = new byte[messages.length][];
            for (int m = 0; m < messages.length; m++) {
                messages[m] = query(random.nextInt(1 << 16), "host" + random.nextInt(1000) + ".example");
                expected[m] = tagged("dig", messages[m]);
            }
            byte[] sent = stream(messages);
            try (TestFlow dig = dig(Transport.TCP)) {
                dig.sendAll(sent, ChunkPlan.random(round, 9)); // dig's writes reach the chain in pieces of any size
                assertArrayEquals(stream(expected), dig.wire(), "round " + round);
                assertEquals(sent.length, dig.applicationSent());
            }
        }
    }

    @Test
    void aLengthSplitBetweenChunksIsHeldUntilItsSecondByte() {
        byte[] sent = stream(query(9, "split.example"));
        try (TestFlow dig = dig(Transport.TCP)) {
            dig.send(Arrays.copyOfRange(sent, 0, 1)).expectOutput("").expectOutcome(Outcome.HELD).expectHeld(1);
            dig.send(Arrays.copyOfRange(sent, 1, sent.length));
            assertArrayEquals(stream(tagged("dig", query(9, "split.example"))), dig.wire());
        }
    }

    @Test
    void aStreamEndingInsideALengthLeavesNothingBehindButTheCount() {
        try (TestFlow dig = dig(Transport.TCP)) {
            dig.send(new byte[] { 0 });
            dig.endSend().expectOutput("");
            assertEquals(0, dig.held(Direction.SEND));
            assertEquals(1, tester.moduleInfo().send.heldDiscarded);
        }
    }

    @Test
    void aTcpMessageTooLongToTagAbortsTheFlowInsteadOfCorruptingTheStream() {
        byte[] huge = new byte[DnsOverTcp.MAX_MESSAGE - DnsTag.LENGTH + 1];
        try (TestFlow dig = dig(Transport.TCP)) {
            dig.send(stream(huge)).expectVerdict(Verdict.ERROR).expectOutcome(Outcome.ABORTED);
            assertEquals(0, dig.wire().length);
        }
        assertEquals(1, tester.moduleInfo().send.errors);
    }

    @Test
    void theLongestMessageThatFitsIsTagged() {
        byte[] longest = new byte[DnsOverTcp.MAX_MESSAGE - DnsTag.LENGTH];
        try (TestFlow dig = dig(Transport.TCP)) {
            byte[] wire = dig.send(stream(longest)).output();
            assertEquals(DnsOverTcp.MAX_MESSAGE + 2, wire.length);
            assertEquals(0xff, wire[0] & 0xff);
            assertEquals(0xff, wire[1] & 0xff);
        }
    }

    @Test
    void otherProgramsAndOtherPortsAreNotTagged() {
        byte[] query = query(3, "www.example.com");
        try (TestFlow curl = tester.otherFlow(DIG.process("curl"));
                TestFlow mdns = tester.otherFlow(DIG.to("224.0.0.251", 5353))) {
            curl.send(query).expectOutput(query).expectVerdict(null);
            mdns.send(query).expectOutput(query);
        }
        assertEquals(0, tester.moduleInfo().send.chunks);
    }
}
