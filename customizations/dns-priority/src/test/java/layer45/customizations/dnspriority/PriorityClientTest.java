package layer45.customizations.dnspriority;

import static layer45.customizations.dnspriority.PriorityTestbed.HIGH_CLIENT;
import static layer45.customizations.dnspriority.PriorityTestbed.LOW_CLIENT;
import static layer45.customizations.dnspriority.PriorityTestbed.QUERY;
import static layer45.customizations.dnspriority.PriorityTestbed.tagOf;
import static layer45.customizations.dnspriority.PriorityTestbed.tagged;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.Map;

import layer45.api.CustomizationService;
import layer45.api.Transport;
import layer45.api.spi.Outcome;
import layer45.customizations.dnstag.DnsTag;
import layer45.runtime.driver.DriverFlow;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** With both clients loaded, the first in priority order tags dig's queries: the high one, unless moved. */
class PriorityClientTest {

    private final PriorityTestbed testbed = new PriorityTestbed().withClients();

    @AfterEach
    void close() {
        testbed.close();
    }

    private byte[] nextQueryOnTheWire() {
        try (DriverFlow dig = testbed.dig(Transport.UDP)) {
            byte[] wire = dig.send(QUERY);
            assertEquals(QUERY.length, dig.applicationSent(), "dig sees its own query length sent");
            return wire;
        }
    }

    private String tagOfNextQuery() {
        return tagOf(nextQueryOnTheWire());
    }

    @Test
    void withBothLoadedTheHighClientTagsEachQueryOnce() {
        try (DriverFlow dig = testbed.dig(Transport.UDP)) {
            assertArrayEquals(tagged("XTAGHIGHdig"), dig.send(QUERY));
        }
        assertEquals(1, testbed.runtime.module(HIGH_CLIENT).send.customized);
        assertEquals(0, testbed.runtime.module(LOW_CLIENT).send.chunks, "the low client is not even asked");
    }

    @Test
    void movingTheHighClientBehindTheLowOneSwitchesTheTagEvenOnAnOpenFlow() {
        try (DriverFlow dig = testbed.dig(Transport.UDP)) {
            assertEquals("XTAGHIGHdig", tagOf(dig.send(QUERY)));
            testbed.runtime.setPriority(HIGH_CLIENT, 222);
            assertEquals("XTAGLOWdig", tagOf(dig.send(QUERY)));
        }
    }

    @Test
    void anInactiveOrUnloadedHighClientLeavesTheQueriesToTheLowOne() {
        testbed.runtime.setActive(HIGH_CLIENT, false);
        assertEquals("XTAGLOWdig", tagOfNextQuery());
        testbed.runtime.setActive(HIGH_CLIENT, true);
        assertEquals("XTAGHIGHdig", tagOfNextQuery());
        testbed.runtime.unload(HIGH_CLIENT, false);
        assertEquals("XTAGLOWdig", tagOfNextQuery());
        testbed.runtime.unload(LOW_CLIENT, false);
        assertArrayEquals(QUERY, nextQueryOnTheWire(), "no module left: no tag");
    }

    @Test
    void thePriorityTagsAreDnsTagTagsWithTheApplicationIdsHighdigAndLowdig() {
        assertEquals("HIGHdig", DnsTag.parse(ByteBuffer.wrap(tagged("XTAGHIGHdig"))).orElseThrow().applicationId());
        assertEquals("LOWdig", DnsTag.parse(ByteBuffer.wrap(tagged("XTAGLOWdig"))).orElseThrow().applicationId());
    }

    @Test
    void theApplicationIdIsAParameter() {
        testbed.highClient.configure(PriorityTestbed.applicationId("resolver"));
        assertEquals("XTAGHIGHresolver", tagOfNextQuery());
    }

    @Test
    void anApplicationIdThatDoesNotFitBehindThePrefixIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> testbed.highClient.configure(PriorityTestbed.applicationId("thirteen-char")));
        assertTrue(e.getMessage().contains("at most 12"), e.getMessage());
        assertEquals(20, PriorityTag.LOW.withApplicationId("thirteen-char").length, "XTAGLOW leaves room for 13");
        assertEquals("XTAGHIGHdig", tagOfNextQuery(), "the old id stays");
    }

    @Test
    void answersAndTcpStreamsPassUntagged() {
        try (DriverFlow dig = testbed.dig(Transport.UDP)) {
            assertArrayEquals(QUERY, dig.recv(QUERY));
            assertEquals(Outcome.ORIGINAL, dig.lastOutcome());
        }
        testbed.load("tcp-high", new HighPriorityClient(), Map.of(CustomizationService.PROTOCOL, new String[] { "tcp" }));
        try (DriverFlow dig = testbed.dig(Transport.TCP)) {
            assertArrayEquals(QUERY, dig.send(QUERY), "a stream is left to dns-tag, which tags DNS over TCP");
            assertEquals(Outcome.ORIGINAL, dig.lastOutcome());
        }
    }
}
