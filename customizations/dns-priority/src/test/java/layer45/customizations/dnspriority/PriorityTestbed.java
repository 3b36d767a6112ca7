package layer45.customizations.dnspriority;

import static java.nio.charset.StandardCharsets.ISO_8859_1;

import java.util.Arrays;

import layer45.customizations.dnstag.DnsMessages;
import layer45.testing.FlowSpec;
import layer45.testing.ModuleTester;

/**
 * Both ends of the original's testbed in one tester's runtime: the priority modules load on their default targets
 * and priorities (as their annotations declare them), dig's flows run through the clients and dnsmasq's through
 * the servers.
 */
final class PriorityTestbed {

    static final String HIGH_CLIENT = "dns-client-high-priority";
    static final String LOW_CLIENT = "dns-client-low-priority";
    static final String HIGH_SERVER = "dns-server-high-priority";
    static final String LOW_SERVER = "dns-server-low-priority";

    /** What {@code dig www.example.com} sends. */
    static final byte[] QUERY = DnsMessages.query(0x1234, "www.example.com");

    /** A dig process's flow to dnsmasq, as the client's host sees it (each dig is a new process and socket). */
    static final FlowSpec DIG = FlowSpec.udp().from("10.0.0.40", 40000).to("10.0.0.20", 53).process("dig");

    /** dnsmasq's flow with dig, as the server's host sees it. */
    static final FlowSpec DNSMASQ = FlowSpec.udp().local("10.0.0.20", 53).remote("10.0.0.40", 40000).openedByPeer()
            .process("dnsmasq");

    private PriorityTestbed() {
    }

    /** @return the high client (tested) and the low one, as dig's host loads them */
    static ModuleTester clients() {
        return ModuleTester.activate(HighPriorityClient.class).with(LowPriorityClient.class);
    }

    /** @return the high server (tested) and the low one, as dnsmasq's host loads them */
    static ModuleTester servers() {
        return ModuleTester.activate(HighPriorityServer.class).with(LowPriorityServer.class);
    }

    /** @return the query behind {@code tag} padded with NULs to 20 bytes, as a client puts it on the wire */
    static byte[] tagged(String tag) {
        byte[] wire = Arrays.copyOf(tag.getBytes(ISO_8859_1), PriorityTag.LENGTH + QUERY.length);
        System.arraycopy(QUERY, 0, wire, PriorityTag.LENGTH, QUERY.length);
        return wire;
    }

    /** @return the first 20 bytes as text, NULs dropped: the tag a query carries, if any */
    static String tagOf(byte[] wire) {
        return new String(wire, 0, Math.min(PriorityTag.LENGTH, wire.length), ISO_8859_1).replace("\0", "");
    }
}
