package layer45.customizations.dnspriority;

import static layer45.customizations.dnspriority.PriorityTestbed.DNSMASQ;
import static layer45.customizations.dnspriority.PriorityTestbed.HIGH_SERVER;
import static layer45.customizations.dnspriority.PriorityTestbed.LOW_SERVER;
import static layer45.customizations.dnspriority.PriorityTestbed.QUERY;
import static layer45.customizations.dnspriority.PriorityTestbed.tagged;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;

import layer45.api.Verdict;
import layer45.api.runtime.ModuleDTO;
import layer45.api.spi.Outcome;
import layer45.customizations.dnstag.DnsTagServer;
import layer45.testing.ModuleTester;
import layer45.testing.TestFlow;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Both servers on dnsmasq's flow, through the real chain: each query goes to the module of its tag, in either order;
 * what carries neither tag passes both, and dns-tag-server behind them decides for it.
 */
class PriorityServerChainTest {

    private ModuleTester tester = PriorityTestbed.servers();

    @AfterEach
    void close() {
        tester.close();
    }

    private ModuleDTO module(String name) {
        return tester.operator().module(name);
    }

    private long stripped(String module) {
        return module(module).recv.customized;
    }

    @Test
    void eachTaggedQueryIsStrippedByTheModuleOfItsTag() {
        try (TestFlow dnsmasq = tester.flow(DNSMASQ)) {
            dnsmasq.recv(tagged("XTAGHIGHdig")).expectOutput(QUERY).expectVerdict(Verdict.DELIVER);
            dnsmasq.recv(tagged("XTAGLOWdig")).expectOutput(QUERY).expectVerdict(Verdict.TRY_NEXT);
            assertArrayEquals(QUERY, dnsmasq.recv(tagged("XTAGLOWsome-app")).output(), "any application id");
        }
        assertEquals(1, stripped(HIGH_SERVER));
        assertEquals(2, stripped(LOW_SERVER));
        assertEquals(3, module(HIGH_SERVER).recv.chunks, "it runs first: every query was offered to it");
    }

    @Test
    void theRoutingHoldsWhicheverServerRunsFirst() {
        try (TestFlow dnsmasq = tester.flow(DNSMASQ)) {
            tester.operator().setPriority(HIGH_SERVER, 300); // now after the low server, on the open flow too
            dnsmasq.recv(tagged("XTAGHIGHdig")).expectOutput(QUERY);
            dnsmasq.recv(tagged("XTAGLOWdig")).expectOutput(QUERY).expectVerdict(null);
        }
        assertEquals(1, stripped(HIGH_SERVER));
        assertEquals(1, stripped(LOW_SERVER));
        assertEquals(1, module(HIGH_SERVER).recv.chunks, "the low query stopped at the low server");
    }

    @Test
    void aQueryWithNeitherTagPassesBothUnchanged() {
        byte[] otherTag = tagged("XTAGdig");
        try (TestFlow dnsmasq = tester.flow(DNSMASQ)) {
            assertArrayEquals(QUERY, dnsmasq.recv(QUERY).expectOutcome(Outcome.ORIGINAL).output(),
                    "an untagged query is answered");
            assertArrayEquals(otherTag, dnsmasq.recv(otherTag).expectOutcome(Outcome.ORIGINAL).output(),
                    "another tag reaches dnsmasq as it came");
        }
    }

    @Test
    void dnsTagServerBehindThemStripsOtherTagsAndDropsUntaggedQueries() {
        tester = PriorityTestbed.servers().with(DnsTagServer.class); // its default priority, 1000: after both
        try (TestFlow dnsmasq = tester.flow(DNSMASQ)) {
            dnsmasq.recv(tagged("XTAGHIGHdig")).expectOutput(QUERY);
            dnsmasq.recv(tagged("XTAGLOWdig")).expectOutput(QUERY);
            dnsmasq.recv(tagged("XTAGdig")).expectOutput(QUERY);
            dnsmasq.recv(QUERY).expectOutput("").expectOutcome(Outcome.DROPPED);
        }
        assertEquals(1, stripped(HIGH_SERVER));
        assertEquals(1, stripped(LOW_SERVER));
        assertEquals(1, stripped("dns-tag-server"));
        assertEquals(1, module("dns-tag-server").recv.dropped);
    }

    @Test
    void aQueryStartingWithATagButShorterThanOneIsDroppedNotDeliveredTagged() {
        try (TestFlow dnsmasq = tester.flow(DNSMASQ)) {
            dnsmasq.recv(Arrays.copyOf(tagged("XTAGLOWdig"), 12)).expectOutput("").expectOutcome(Outcome.DROPPED);
        }
        assertEquals(1, module(LOW_SERVER).recv.dropped);
    }

    @Test
    void answersAreLeftAlone() {
        try (TestFlow dnsmasq = tester.flow(DNSMASQ)) {
            dnsmasq.send(QUERY).expectOutput(QUERY).expectOutcome(Outcome.ORIGINAL).expectVerdict(Verdict.TRY_NEXT);
        }
    }
}
