package layer45.mnet.mhost;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import layer45.mnet.HostAddress;
import layer45.mnet.HostIdentifier;
import layer45.mnet.testing.DnsMessages;
import layer45.mnet.wire.DnsPacket;
import layer45.mnet.wire.DnsResponse;
import org.junit.jupiter.api.Test;

/** The stack's DNS: identifiers answered with their virtual addresses, the domain's other names NXDOMAIN, the rest upstream. */
class NameServiceTest {

    private final HostTable table = new HostTable(MhostSettings.defaults(Path.of("/tmp")));
    private final NameService.Counters counters = new NameService.Counters();
    private final NameService names = new NameService(table, counters);
    private final ByteBuffer out = ByteBuffer.allocate(DnsResponse.MAX_LENGTH);
    private final HostIdentifier srv = table.put("srv", List.of(HostAddress.parse("::1")));

    @Test
    void anIdentifierIsAnsweredBareOrInTheDomain() {
        byte[] a = answer(DnsMessages.query(1, "srv.mhost", DnsPacket.TYPE_A, true));
        assertEquals(DnsResponse.NOERROR, DnsMessages.rcode(a));
        assertEquals(List.of(boxed(srv.virtual4().getAddress())), addresses(a));
        byte[] aaaa = answer(DnsMessages.query(2, "SRV", DnsPacket.TYPE_AAAA, false));
        assertEquals(List.of(boxed(srv.virtual6().getAddress())), addresses(aaaa));
        byte[] any = answer(DnsMessages.query(3, "srv.", DnsPacket.TYPE_ANY, false));
        assertEquals(2, DnsMessages.answers(any));
        assertEquals(3, counters.snapshot().get("answered"));
    }

    @Test
    void otherTypesOfAnIdentifierHaveNoDataAndOtherNamesOfTheDomainDoNotExist() {
        byte[] mx = answer(DnsMessages.query(1, "srv.mhost", 15, false));
        assertEquals(DnsResponse.NOERROR, DnsMessages.rcode(mx));
        assertEquals(0, DnsMessages.answers(mx));
        byte[] missing = answer(DnsMessages.query(2, "nobody.mhost", DnsPacket.TYPE_A, false));
        assertEquals(DnsResponse.NXDOMAIN, DnsMessages.rcode(missing));
        byte[] apex = answer(DnsMessages.query(3, "mhost", DnsPacket.TYPE_A, false));
        assertEquals(DnsResponse.NOERROR, DnsMessages.rcode(apex));
        assertEquals(2, counters.snapshot().get("no-data"));
        assertEquals(1, counters.snapshot().get("nxdomain"));
    }

    @Test
    void otherNamesAndUnreadableQueriesGoUpstreamUntouched() {
        byte[] other = DnsMessages.query(1, "example.org", DnsPacket.TYPE_A, true);
        ByteBuffer message = ByteBuffer.wrap(other);
        assertEquals(NameService.Outcome.UPSTREAM, names.answer(message, out));
        assertEquals(0, out.position());
        assertEquals(0, message.position());
        byte[] tagged = ("XTAG" + new String(other, java.nio.charset.StandardCharsets.ISO_8859_1))
                .getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        assertEquals(NameService.Outcome.UPSTREAM, names.answer(ByteBuffer.wrap(tagged), out));
        assertEquals(NameService.Outcome.UPSTREAM, names.answer(ByteBuffer.wrap(new byte[3]), out));
        assertEquals(1L, counters.snapshot().get("malformed-truncated"));
        assertEquals(1, counters.snapshot().entrySet().stream()
                .filter(e -> e.getKey().startsWith("malformed-") && !e.getKey().equals("malformed-truncated"))
                .mapToLong(java.util.Map.Entry::getValue).sum(), counters.snapshot().toString());
    }

    @Test
    void withoutUpstreamAReadableQueryIsRefusedAndAnUnreadableOneDropped() {
        assertEquals(NameService.Outcome.UPSTREAM, names.answer(ByteBuffer.wrap(
                DnsMessages.query(9, "example.org", DnsPacket.TYPE_A, false)), out));
        assertTrue(names.refuse(out));
        assertEquals(DnsResponse.REFUSED, DnsMessages.rcode(Arrays.copyOf(out.array(), out.position())));
        names.answer(ByteBuffer.wrap(new byte[5]), out.clear());
        assertFalse(names.refuse(out));
        assertEquals(1, counters.snapshot().get("refused"));
        assertEquals(1, counters.snapshot().get("dropped"));
    }

    @Test
    void aRemovedIdentifierIsNoLongerAnswered() {
        table.remove("srv");
        assertEquals(DnsResponse.NXDOMAIN, DnsMessages.rcode(answer(DnsMessages.query(1, "srv.mhost",
                DnsPacket.TYPE_A, false))));
        assertEquals(NameService.Outcome.UPSTREAM, names.answer(ByteBuffer.wrap(DnsMessages.query(1, "srv",
                DnsPacket.TYPE_A, false)), out.clear()));
    }

    @Test
    void aVirtualAddressIsLookedUpBackToItsIdentifierOverIpv4AndIpv6() {
        for (java.net.InetAddress virtual : List.of(srv.virtual4(), srv.virtual6())) {
            byte[] ptr = answer(DnsMessages.query(1, DnsMessages.reverseName(virtual), DnsPacket.TYPE_PTR, true));
            assertEquals(DnsResponse.NOERROR, DnsMessages.rcode(ptr));
            assertEquals(List.of("srv.mhost"), DnsMessages.pointers(ptr), virtual.toString());
        }
        byte[] upper = answer(DnsMessages.query(2, DnsMessages.reverseName(srv.virtual6()).toUpperCase(),
                DnsPacket.TYPE_PTR, false));
        assertEquals(List.of("srv.mhost"), DnsMessages.pointers(upper));
        assertEquals(3, counters.snapshot().get("answered"));
    }

    @Test
    void aFreeVirtualAddressDoesNotExistAndOtherTypesOfAVirtualAddressHaveNoData() throws Exception {
        byte[] free = answer(DnsMessages.query(1, "254.255.46.10.in-addr.arpa", DnsPacket.TYPE_PTR, false));
        assertEquals(DnsResponse.NXDOMAIN, DnsMessages.rcode(free));
        byte[] a = answer(DnsMessages.query(2, DnsMessages.reverseName(srv.virtual4()), DnsPacket.TYPE_A, false));
        assertEquals(DnsResponse.NOERROR, DnsMessages.rcode(a));
        assertEquals(0, DnsMessages.answers(a));
        table.remove("srv");
        byte[] gone = answer(DnsMessages.query(3, DnsMessages.reverseName(srv.virtual4()), DnsPacket.TYPE_PTR,
                false));
        assertEquals(DnsResponse.NXDOMAIN, DnsMessages.rcode(gone));
    }

    @Test
    void reverseLookupsOutsideTheVirtualPrefixesGoUpstream() throws Exception {
        for (String name : List.of(DnsMessages.reverseName(java.net.InetAddress.getByName("127.0.0.1")),
                DnsMessages.reverseName(java.net.InetAddress.getByName("::1")), "46.10.in-addr.arpa",
                "1.0.46.10.in-addr.arpa.example")) {
            assertEquals(NameService.Outcome.UPSTREAM, names.answer(ByteBuffer.wrap(DnsMessages.query(1, name,
                    DnsPacket.TYPE_PTR, false)), out.clear()), name);
        }
    }

    private byte[] answer(byte[] query) {
        out.clear();
        assertEquals(NameService.Outcome.ANSWERED, names.answer(ByteBuffer.wrap(query), out));
        byte[] response = Arrays.copyOf(out.array(), out.position());
        assertArrayEquals(Arrays.copyOfRange(query, 0, 2), Arrays.copyOfRange(response, 0, 2), "the query's id");
        return response;
    }

    private static List<List<Byte>> addresses(byte[] response) {
        return DnsMessages.addresses(response).stream().map(NameServiceTest::boxed).toList();
    }

    private static List<Byte> boxed(byte[] bytes) {
        Byte[] b = new Byte[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            b[i] = bytes[i];
        }
        return List.of(b);
    }
}
