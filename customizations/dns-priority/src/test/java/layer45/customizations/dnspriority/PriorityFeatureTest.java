package layer45.customizations.dnspriority;

import static layer45.customizations.dnspriority.PriorityTestbed.DIG;
import static layer45.customizations.dnspriority.PriorityTestbed.DNSMASQ;
import static layer45.customizations.dnspriority.PriorityTestbed.HIGH_CLIENT;
import static layer45.customizations.dnspriority.PriorityTestbed.HIGH_SERVER;
import static layer45.customizations.dnspriority.PriorityTestbed.LOW_CLIENT;
import static layer45.customizations.dnspriority.PriorityTestbed.LOW_SERVER;
import static layer45.customizations.dnspriority.PriorityTestbed.QUERY;
import static layer45.customizations.dnspriority.PriorityTestbed.tagOf;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;

import layer45.api.runtime.CustomizationRuntime;
import layer45.testing.ModuleTester;
import layer45.testing.TestFlow;

import org.junit.jupiter.api.Test;

/**
 * The original's {@code priority_test.sh}, both hosts in one runtime: dnsmasq keeps one flow while each dig is a new
 * one, and the expected pcap ("high tag twice, low tag twice, no tag") becomes the list of tags on the wire, with
 * every query reaching dnsmasq as dig sent it.
 */
class PriorityFeatureTest {

    @Test
    void highTagTwiceThenLowTagTwiceThenNoTagAndEveryQueryAnswered() {
        List<String> wire = new ArrayList<>();
        try (ModuleTester both = PriorityTestbed.clients().with(HighPriorityServer.class).with(LowPriorityServer.class);
                TestFlow dnsmasq = both.flow(DNSMASQ)) {
            CustomizationRuntime operator = both.operator();
            Runnable dig = () -> {
                try (TestFlow flow = both.flow(DIG)) {
                    byte[] sent = flow.send(QUERY).output();
                    wire.add(tagOf(sent).startsWith("XTAG") ? tagOf(sent) : "none");
                    assertArrayEquals(QUERY, dnsmasq.recv(sent).output(), "dnsmasq must get dig's query untagged");
                }
            };
            dig.run(); // "high": XTAGHIGH, stripped by the high server
            operator.setPriority(HIGH_SERVER, 300);
            dig.run(); // "high_still": the low server is asked first, answers TRY_NEXT, the high one strips
            operator.setPriority(HIGH_CLIENT, 222);
            dig.run(); // "low": the low client now runs first
            operator.unload(HIGH_CLIENT, false);
            operator.unload(HIGH_SERVER, true); // dnsmasq's flow still has it: rmmod -f
            dig.run(); // "low_still"
            operator.unload(LOW_CLIENT, false);
            operator.unload(LOW_SERVER, true);
            dig.run(); // "no_cust"
            assertEquals(5L * QUERY.length, dnsmasq.applicationReceived(), "dnsmasq read five queries, nothing else");
        }
        assertEquals(List.of("XTAGHIGHdig", "XTAGHIGHdig", "XTAGLOWdig", "XTAGLOWdig", "none"), wire);
    }
}
