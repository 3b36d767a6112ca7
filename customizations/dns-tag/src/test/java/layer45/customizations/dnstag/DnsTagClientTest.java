package layer45.customizations.dnstag;

import static layer45.customizations.dnstag.Testbed.query;
import static layer45.customizations.dnstag.Testbed.stream;
import static layer45.customizations.dnstag.Testbed.tagged;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Random;

import layer45.api.Transport;
import layer45.api.spi.Direction;
import layer45.api.spi.Outcome;
import layer45.runtime.driver.DriverFlow;
import layer45.runtime.driver.InMemoryFlowDriver;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** dig's queries leave tagged, over UDP and inside DNS over TCP streams; dig sees nothing of it. */
class DnsTagClientTest {

    private final Testbed testbed = new Testbed().withClient();

    @AfterEach
    void close() {
        testbed.close();
    }

    @Test
    void aUdpQueryLeavesWithTheTagInFront() {
        byte[] query = query(0x1234, "www.example.com");
        try (DriverFlow dig = testbed.dig(Transport.UDP)) {
            byte[] wire = dig.send(query);
            assertEquals("dig", DnsTag.parse(ByteBuffer.wrap(wire)).orElseThrow().applicationId());
            assertArrayEquals(tagged("dig", query), wire);
            assertEquals(query.length, dig.applicationSent(), "dig sees its own query length sent");
        }
    }

    @Test
    void theAnswerReachesDigUnchanged() {
        byte[] answer = query(0x1234, "www.example.com");
        answer[2] = (byte) 0x81; // QR: an answer
        try (DriverFlow dig = testbed.dig(Transport.UDP)) {
            assertArrayEquals(answer, dig.recv(answer));
            assertEquals(Outcome.ORIGINAL, dig.lastOutcome());
        }
    }

    @Test
    void theApplicationIdIsAParameterAndNewQueriesCarryTheNewOne() {
        try (DriverFlow dig = testbed.dig(Transport.UDP)) {
            testbed.client.configure(Testbed.applicationId("resolver-7"));
            byte[] wire = dig.send(query(1, "a.example"));
            assertEquals("resolver-7", DnsTag.parse(ByteBuffer.wrap(wire)).orElseThrow().applicationId());
        }
    }

    @Test
    void anApplicationIdThatDoesNotFitIsRefusedAndTheOldOneStays() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> testbed.client.configure(Testbed.applicationId("a-name-far-too-long")));
        assertTrue(e.getMessage().contains("a-name-far-too-long"), e.getMessage());
        try (DriverFlow dig = testbed.dig(Transport.UDP)) {
            assertEquals("dig", DnsTag.parse(ByteBuffer.wrap(dig.send(query(1, "a.b")))).orElseThrow().applicationId());
        }
    }

    @Test
    void eachMessageInsideATcpStreamIsTaggedAndItsLengthFixed() {
        byte[] first = query(1, "one.example");
        byte[] second = query(2, "two.example");
        try (DriverFlow dig = testbed.dig(Transport.TCP)) {
            byte[] wire = dig.send(stream(first, second));
            assertArrayEquals(stream(tagged("dig", first), tagged("dig", second)), wire);
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
            try (DriverFlow dig = testbed.dig(Transport.TCP)) {
                for (int at = 0; at < sent.length;) { // dig's writes reach the chain in pieces of any size
                    int n = Math.min(sent.length - at, 1 + random.nextInt(9));
                    dig.send(Arrays.copyOfRange(sent, at, at + n), random.nextInt(n + 1));
                    at += n;
                }
                assertArrayEquals(stream(expected), dig.wire(), "round " + round);
                assertEquals(sent.length, dig.applicationSent());
            }
        }
    }

    @Test
    void aLengthSplitBetweenChunksIsHeldUntilItsSecondByte() {
        byte[] sent = stream(query(9, "split.example"));
        try (DriverFlow dig = testbed.dig(Transport.TCP)) {
            assertEquals(0, dig.send(Arrays.copyOfRange(sent, 0, 1)).length);
            assertEquals(Outcome.HELD, dig.lastOutcome());
            assertEquals(1, dig.lastHeld());
            dig.send(Arrays.copyOfRange(sent, 1, sent.length));
            assertArrayEquals(stream(tagged("dig", query(9, "split.example"))), dig.wire());
        }
    }

    @Test
    void aStreamEndingInsideALengthLeavesNothingBehindButTheCount() {
        try (DriverFlow dig = testbed.dig(Transport.TCP)) {
            dig.send(new byte[] { 0 });
            assertEquals(0, dig.endOfStream(Direction.SEND).length);
            assertEquals(1, testbed.runtime.module("dns-tag-client").send.heldDiscarded);
        }
    }

    @Test
    void aTcpMessageTooLongToTagAbortsTheFlowInsteadOfCorruptingTheStream() {
        byte[] huge = new byte[DnsOverTcp.MAX_MESSAGE - DnsTag.LENGTH + 1];
        try (DriverFlow dig = testbed.dig(Transport.TCP)) {
            dig.send(stream(huge));
            assertEquals(Outcome.ABORTED, dig.lastOutcome());
            assertEquals(0, dig.wire().length);
        }
        assertEquals(1, testbed.runtime.module("dns-tag-client").send.errors);
    }

    @Test
    void theLongestMessageThatFitsIsTagged() {
        byte[] longest = new byte[DnsOverTcp.MAX_MESSAGE - DnsTag.LENGTH];
        try (DriverFlow dig = testbed.dig(Transport.TCP)) {
            byte[] wire = dig.send(stream(longest));
            assertEquals(DnsOverTcp.MAX_MESSAGE + 2, wire.length);
            assertEquals(0xff, wire[0] & 0xff);
            assertEquals(0xff, wire[1] & 0xff);
        }
    }

    @Test
    void otherProgramsAndOtherPortsAreNotTagged() {
        byte[] query = query(3, "www.example.com");
        try (DriverFlow curl = testbed.driver.open(
                InMemoryFlowDriver.flow(Transport.UDP, "curl", Testbed.DIG, Testbed.DNSMASQ));
                DriverFlow mdns = testbed.driver.open(
                        InMemoryFlowDriver.flow(Transport.UDP, "dig", Testbed.DIG, "224.0.0.251:5353"))) {
            assertArrayEquals(query, curl.send(query));
            assertArrayEquals(query, mdns.send(query));
        }
        assertEquals(0, testbed.runtime.module("dns-tag-client").send.chunks);
    }
}
