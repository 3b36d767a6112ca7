package layer45.customizations.dnspriority;

import static layer45.customizations.dnspriority.PriorityTestbed.HIGH_SERVER;
import static layer45.customizations.dnspriority.PriorityTestbed.LOW_SERVER;
import static layer45.customizations.dnspriority.PriorityTestbed.QUERY;
import static layer45.customizations.dnspriority.PriorityTestbed.tagged;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;

import layer45.api.Transport;
import layer45.api.spi.Outcome;
import layer45.runtime.driver.DriverFlow;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Both servers on dnsmasq's flow, through the real chain: each query goes to the module of its tag, in either order;
 * what carries neither tag passes both, and dns-tag-server behind them decides for it.
 */
class PriorityServerChainTest {

    private final PriorityTestbed testbed = new PriorityTestbed().withServers();

    @AfterEach
    void close() {
        testbed.close();
    }

    private long stripped(String module) {
        return testbed.runtime.module(module).recv.customized;
    }

    @Test
    void eachTaggedQueryIsStrippedByTheModuleOfItsTag() {
        try (DriverFlow dnsmasq = testbed.dnsmasq(Transport.UDP)) {
            assertArrayEquals(QUERY, dnsmasq.recv(tagged("XTAGHIGHdig")));
            assertArrayEquals(QUERY, dnsmasq.recv(tagged("XTAGLOWdig")));
            assertArrayEquals(QUERY, dnsmasq.recv(tagged("XTAGLOWsome-app")), "any application id");
        }
        assertEquals(1, stripped(HIGH_SERVER));
        assertEquals(2, stripped(LOW_SERVER));
        assertEquals(3, testbed.runtime.module(HIGH_SERVER).recv.chunks, "it runs first: every query was offered to it");
    }

    @Test
    void theRoutingHoldsWhicheverServerRunsFirst() {
        try (DriverFlow dnsmasq = testbed.dnsmasq(Transport.UDP)) {
            testbed.runtime.setPriority(HIGH_SERVER, 300); // now after the low server, on the open flow too
            assertArrayEquals(QUERY, dnsmasq.recv(tagged("XTAGHIGHdig")));
            assertArrayEquals(QUERY, dnsmasq.recv(tagged("XTAGLOWdig")));
        }
        assertEquals(1, stripped(HIGH_SERVER));
        assertEquals(1, stripped(LOW_SERVER));
        assertEquals(1, testbed.runtime.module(HIGH_SERVER).recv.chunks, "the low query stopped at the low server");
    }

    @Test
    void aQueryWithNeitherTagPassesBothUnchanged() {
        byte[] otherTag = tagged("XTAGdig");
        try (DriverFlow dnsmasq = testbed.dnsmasq(Transport.UDP)) {
            assertArrayEquals(QUERY, dnsmasq.recv(QUERY), "an untagged query is answered");
            assertEquals(Outcome.ORIGINAL, dnsmasq.lastOutcome());
            assertArrayEquals(otherTag, dnsmasq.recv(otherTag), "another tag reaches dnsmasq as it came");
            assertEquals(Outcome.ORIGINAL, dnsmasq.lastOutcome());
        }
    }

    @Test
    void dnsTagServerBehindThemStripsOtherTagsAndDropsUntaggedQueries() {
        testbed.withDnsTagServerBehind();
        try (DriverFlow dnsmasq = testbed.dnsmasq(Transport.UDP)) {
            assertArrayEquals(QUERY, dnsmasq.recv(tagged("XTAGHIGHdig")));
            assertArrayEquals(QUERY, dnsmasq.recv(tagged("XTAGLOWdig")));
            assertArrayEquals(QUERY, dnsmasq.recv(tagged("XTAGdig")));
            assertEquals(0, dnsmasq.recv(QUERY).length);
            assertEquals(Outcome.DROPPED, dnsmasq.lastOutcome());
        }
        assertEquals(1, stripped(HIGH_SERVER));
        assertEquals(1, stripped(LOW_SERVER));
        assertEquals(1, stripped("dns-tag-server"));
        assertEquals(1, testbed.runtime.module("dns-tag-server").recv.dropped);
    }

    @Test
    void aQueryStartingWithATagButShorterThanOneIsDroppedNotDeliveredTagged() {
        try (DriverFlow dnsmasq = testbed.dnsmasq(Transport.UDP)) {
            assertEquals(0, dnsmasq.recv(Arrays.copyOf(tagged("XTAGLOWdig"), 12)).length);
            assertEquals(Outcome.DROPPED, dnsmasq.lastOutcome());
        }
    }

    @Test
    void answersAreLeftAlone() {
        try (DriverFlow dnsmasq = testbed.dnsmasq(Transport.UDP)) {
            assertArrayEquals(QUERY, dnsmasq.send(QUERY));
            assertEquals(Outcome.ORIGINAL, dnsmasq.lastOutcome());
        }
    }
}
