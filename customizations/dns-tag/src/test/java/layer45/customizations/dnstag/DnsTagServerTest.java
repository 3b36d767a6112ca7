package layer45.customizations.dnstag;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static layer45.customizations.dnstag.Testbed.query;
import static layer45.customizations.dnstag.Testbed.stream;
import static layer45.customizations.dnstag.Testbed.tagged;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.Random;

import layer45.api.Transport;
import layer45.api.runtime.CountersDTO;
import layer45.api.spi.Direction;
import layer45.api.spi.Outcome;
import layer45.runtime.driver.DriverFlow;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** dnsmasq receives tagged queries without their tag, and untagged queries not at all. */
class DnsTagServerTest {

    private final Testbed testbed = new Testbed().withServer();

    @AfterEach
    void close() {
        testbed.close();
    }

    private CountersDTO recvCounters() {
        return testbed.runtime.module("dns-tag-server").recv;
    }

    @Test
    void aTaggedUdpQueryReachesDnsmasqWithoutItsTag() {
        byte[] query = query(0x4242, "www.example.com");
        try (DriverFlow dnsmasq = testbed.dnsmasq(Transport.UDP)) {
            assertArrayEquals(query, dnsmasq.recv(tagged("dig", query)));
            assertArrayEquals(query, dnsmasq.recv(tagged("another-app", query)), "any application id is stripped");
        }
    }

    @Test
    void anUntaggedUdpQueryIsDroppedAndCounted() {
        try (DriverFlow dnsmasq = testbed.dnsmasq(Transport.UDP)) {
            assertEquals(0, dnsmasq.recv(query(1, "www.example.com")).length);
            assertEquals(Outcome.DROPPED, dnsmasq.lastOutcome());
            dnsmasq.recv(query(2, "www.example.com"));
        }
        assertEquals(2, recvCounters().dropped, "operators see the drops in modinfo");
    }

    @Test
    void aTagCutShortIsDroppedRatherThanDeliveredWithItsTag() {
        try (DriverFlow dnsmasq = testbed.dnsmasq(Transport.UDP)) {
            assertEquals(0, dnsmasq.recv("XTAGdig".getBytes(US_ASCII)).length);
            assertEquals(Outcome.DROPPED, dnsmasq.lastOutcome());
            assertEquals(0, dnsmasq.recv(new DnsTag("dig").toBytes()).length, "a tag with no query behind it");
            assertEquals(0, dnsmasq.app().length);
        }
    }

    @Test
    void answersLeaveUnchanged() {
        byte[] answer = query(5, "www.example.com");
        try (DriverFlow dnsmasq = testbed.dnsmasq(Transport.UDP)) {
            assertArrayEquals(answer, dnsmasq.send(answer));
            assertEquals(Outcome.ORIGINAL, dnsmasq.lastOutcome());
        }
    }

    @Test
    void eachTaggedTcpMessageIsStrippedAndItsLengthFixedBack() {
        byte[] first = query(1, "one.example");
        byte[] second = query(2, "two.example");
        try (DriverFlow dnsmasq = testbed.dnsmasq(Transport.TCP)) {
            assertArrayEquals(stream(first, second), dnsmasq.recv(stream(tagged("dig", first), tagged("dig", second))));
        }
    }

    @Test
    void untaggedTcpMessagesAreCutOutOfTheStreamAndTheRestStaysFramed() {
        byte[] tagged1 = query(1, "one.example");
        byte[] plain = query(2, "plain.example");
        byte[] tiny = { 1, 2, 3 }; // too short to hold a tag
        byte[] tagged2 = query(3, "three.example");
        try (DriverFlow dnsmasq = testbed.dnsmasq(Transport.TCP)) {
            dnsmasq.recv(stream(tagged("dig", tagged1), plain, tiny, tagged("dig", tagged2)));
            assertArrayEquals(stream(tagged1, tagged2), dnsmasq.app());
            assertEquals(0, dnsmasq.recv(stream(plain)).length);
            assertEquals(Outcome.DROPPED, dnsmasq.lastOutcome(), "a chunk of only untagged bytes counts as dropped");
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
            try (DriverFlow dnsmasq = testbed.dnsmasq(Transport.TCP)) {
                for (int at = 0; at < arriving.length;) { // TCP re-chunks the stream however it likes
                    int n = Math.min(arriving.length - at, 1 + random.nextInt(25));
                    dnsmasq.recv(Arrays.copyOfRange(arriving, at, at + n), random.nextInt(n + 1));
                    at += n;
                }
                assertArrayEquals(stream(messages), dnsmasq.app(), "round " + round);
                assertEquals(0, dnsmasq.lastHeld());
            }
        }
    }

    @Test
    void theStartOfAMessageIsHeldUntilItsTagHasArrived() {
        byte[] arriving = stream(tagged("dig", query(1, "held.example")));
        try (DriverFlow dnsmasq = testbed.dnsmasq(Transport.TCP)) {
            assertEquals(0, dnsmasq.recv(Arrays.copyOfRange(arriving, 0, 10)).length);
            assertEquals(Outcome.HELD, dnsmasq.lastOutcome());
            assertEquals(10, dnsmasq.lastHeld());
            dnsmasq.recv(Arrays.copyOfRange(arriving, 10, arriving.length));
            assertArrayEquals(stream(query(1, "held.example")), dnsmasq.app());
        }
    }

    @Test
    void aStreamEndingInsideATagDeliversNothingOfIt() {
        byte[] arriving = stream(tagged("dig", query(1, "cut.example")));
        try (DriverFlow dnsmasq = testbed.dnsmasq(Transport.TCP)) {
            dnsmasq.recv(Arrays.copyOfRange(arriving, 0, 12));
            assertEquals(0, dnsmasq.endOfStream(Direction.RECV).length);
            assertEquals(0, dnsmasq.app().length);
        }
        assertEquals(12, recvCounters().heldDiscarded);
    }

    @Test
    void withTheClientOnTheOtherEndDnsmasqSeesExactlyWhatDigSent() {
        testbed.withClient();
        byte[] query = query(77, "pair.example");
        try (DriverFlow dig = testbed.dig(Transport.UDP); DriverFlow dnsmasq = testbed.dnsmasq(Transport.UDP)) {
            assertArrayEquals(query, dnsmasq.recv(dig.send(query)));
        }
        byte[] sent = stream(query(1, "a.example"), query(2, "b.example"));
        try (DriverFlow dig = testbed.dig(Transport.TCP); DriverFlow dnsmasq = testbed.dnsmasq(Transport.TCP)) {
            dig.send(Arrays.copyOfRange(sent, 0, 7));
            dig.send(Arrays.copyOfRange(sent, 7, sent.length));
            byte[] wire = dig.wire();
            dnsmasq.recv(Arrays.copyOfRange(wire, 0, 30));
            dnsmasq.recv(Arrays.copyOfRange(wire, 30, wire.length));
            assertArrayEquals(sent, dnsmasq.app());
        }
    }
}
