package layer45.customizations.dnspriority;

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

import layer45.api.Transport;
import layer45.runtime.driver.DriverFlow;

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
        try (PriorityTestbed testbed = new PriorityTestbed().withClients().withServers();
                DriverFlow dnsmasq = testbed.dnsmasq(Transport.UDP)) {
            Runnable dig = () -> {
                try (DriverFlow flow = testbed.dig(Transport.UDP)) {
                    byte[] sent = flow.send(QUERY);
                    wire.add(tagOf(sent).startsWith("XTAG") ? tagOf(sent) : "none");
                    assertArrayEquals(QUERY, dnsmasq.recv(sent), "dnsmasq must get dig's query untagged");
                }
            };
            dig.run(); // "high": XTAGHIGH, stripped by the high server
            testbed.runtime.setPriority(HIGH_SERVER, 300);
            dig.run(); // "high_still": the low server is asked first, answers TRY_NEXT, the high one strips
            testbed.runtime.setPriority(HIGH_CLIENT, 222);
            dig.run(); // "low": the low client now runs first
            testbed.runtime.unload(HIGH_CLIENT, false);
            testbed.runtime.unload(HIGH_SERVER, true); // dnsmasq's flow still has it: rmmod -f
            dig.run(); // "low_still"
            testbed.runtime.unload(LOW_CLIENT, false);
            testbed.runtime.unload(LOW_SERVER, true);
            dig.run(); // "no_cust"
        }
        assertEquals(List.of("XTAGHIGHdig", "XTAGHIGHdig", "XTAGLOWdig", "XTAGLOWdig", "none"), wire);
    }
}
