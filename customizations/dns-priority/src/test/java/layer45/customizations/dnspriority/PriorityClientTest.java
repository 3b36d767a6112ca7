package layer45.customizations.dnspriority;

import static layer45.customizations.dnspriority.PriorityTestbed.DIG;
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
import layer45.api.Verdict;
import layer45.api.spi.Outcome;
import layer45.customizations.dnstag.DnsTag;
import layer45.testing.FlowSpec;
import layer45.testing.ModuleTester;
import layer45.testing.TestFlow;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** With both clients loaded, the first in priority order tags dig's queries: the high one, unless moved. */
class PriorityClientTest {

    private final ModuleTester tester = PriorityTestbed.clients();

    @AfterEach
    void close() {
        tester.close();
    }

    private byte[] nextQueryOnTheWire() {
        try (TestFlow dig = tester.flow(DIG)) {
            byte[] wire = dig.send(QUERY).output();
            assertEquals(QUERY.length, dig.applicationSent(), "dig sees its own query length sent");
            return wire;
        }
    }

    private String tagOfNextQuery() {
        return tagOf(nextQueryOnTheWire());
    }

    @Test
    void withBothLoadedTheHighClientTagsEachQueryOnce() {
        try (TestFlow dig = tester.flow(DIG)) {
            dig.send(QUERY).expectOutput(tagged("XTAGHIGHdig")).expectVerdict(Verdict.DELIVER);
        }
        assertEquals(1, tester.moduleInfo().send.customized);
        assertEquals(0, tester.operator().module(LOW_CLIENT).send.chunks, "the low client is not even asked");
    }

    @Test
    void movingTheHighClientBehindTheLowOneSwitchesTheTagEvenOnAnOpenFlow() {
        try (TestFlow dig = tester.flow(DIG)) {
            assertEquals("XTAGHIGHdig", tagOf(dig.send(QUERY).output()));
            tester.operator().setPriority(HIGH_CLIENT, 222);
            byte[] wire = dig.send(QUERY).expectVerdict(null).output(); // the low client decided: the high one waits
            assertEquals("XTAGLOWdig", tagOf(wire));
        }
    }

    @Test
    void anInactiveOrUnloadedHighClientLeavesTheQueriesToTheLowOne() {
        tester.operator().setActive(HIGH_CLIENT, false);
        assertEquals("XTAGLOWdig", tagOfNextQuery());
        tester.operator().setActive(HIGH_CLIENT, true);
        assertEquals("XTAGHIGHdig", tagOfNextQuery());
        tester.operator().unload(HIGH_CLIENT, false);
        assertEquals("XTAGLOWdig", tagOfNextQuery());
        tester.operator().unload(LOW_CLIENT, false);
        assertArrayEquals(QUERY, nextQueryOnTheWire(), "no module left: no tag");
    }

    @Test
    void thePriorityTagsAreDnsTagTagsWithTheApplicationIdsHighdigAndLowdig() {
        assertEquals("HIGHdig", DnsTag.parse(ByteBuffer.wrap(tagged("XTAGHIGHdig"))).orElseThrow().applicationId());
        assertEquals("LOWdig", DnsTag.parse(ByteBuffer.wrap(tagged("XTAGLOWdig"))).orElseThrow().applicationId());
    }

    @Test
    void theApplicationIdIsAParameter() {
        tester.configure("application.id", "resolver");
        assertEquals("XTAGHIGHresolver", tagOfNextQuery());
    }

    @Test
    void anApplicationIdThatDoesNotFitBehindThePrefixIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> tester.configure("application.id", "thirteen-char"));
        assertTrue(e.getCause().getMessage().contains("at most 12"), e.getMessage());
        assertEquals(20, PriorityTag.LOW.withApplicationId("thirteen-char").length, "XTAGLOW leaves room for 13");
        assertEquals("XTAGHIGHdig", tagOfNextQuery(), "the old id stays");
    }

    @Test
    void answersAndTcpStreamsPassUntagged() {
        try (ModuleTester withTcp = PriorityTestbed.clients().with(new HighPriorityClient(), "tcp-high",
                Map.of(CustomizationService.PROTOCOL, "tcp"))) {
            try (TestFlow dig = withTcp.flow(DIG)) {
                dig.recv(QUERY).expectOutput(QUERY).expectOutcome(Outcome.ORIGINAL).expectVerdict(Verdict.TRY_NEXT);
            }
            try (TestFlow dig = withTcp.flow(FlowSpec.tcp().from("10.0.0.40", 40000).to("10.0.0.20", 53)
                    .process("dig"))) {
                byte[] wire = dig.send(QUERY).expectOutcome(Outcome.ORIGINAL).output();
                assertArrayEquals(QUERY, wire, "a stream is left to dns-tag, which tags DNS over TCP");
            }
            assertEquals(1, withTcp.operator().module("tcp-high").send.chunks, "asked, and it passed");
        }
    }
}
