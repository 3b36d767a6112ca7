package layer45.mnet.owner;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import org.junit.jupiter.api.Test;

import layer45.api.Transport;

class DiagRequestTest {

    private final ByteBuffer out = ByteBuffer.allocate(DiagRequest.MAX_LENGTH);

    @Test
    void exactTcpLookupPutsTheLocalSideFirst() throws Exception {
        ByteBuffer request = DiagRequest.exact(out, 77, Transport.TCP, at("10.45.0.2", 41234), at("10.45.0.1", 80))
                .order(ByteOrder.nativeOrder());

        assertEquals(72, request.remaining());
        assertEquals(72, request.getInt(0), "nlmsg_len");
        assertEquals(20, request.getShort(4), "SOCK_DIAG_BY_FAMILY");
        assertEquals(DiagRequest.NLM_F_REQUEST, request.getShort(6), "an exact lookup, not a dump");
        assertEquals(77, request.getInt(8), "sequence");
        assertEquals(DiagRequest.AF_INET, request.get(16));
        assertEquals(DiagRequest.IPPROTO_TCP, request.get(17));
        assertEquals(-1, request.getInt(20), "every state");
        assertEquals(41234, Short.toUnsignedInt(request.order(ByteOrder.BIG_ENDIAN).getShort(24)), "sport: local");
        assertEquals(80, request.getShort(26), "dport: remote");
        assertArrayEquals(bytes("10.45.0.2", 16), slice(request, 28, 16), "src: local, IPv4 in the first 4 bytes");
        assertArrayEquals(bytes("10.45.0.1", 16), slice(request, 44, 16));
        assertEquals(0, request.getInt(60), "any interface");
        assertEquals(-1L, request.getLong(64), "INET_DIAG_NOCOOKIE");
    }

    @Test
    void exactUdpLookupPutsThePeerFirstAsUdpDumpOneExpects() throws Exception {
        ByteBuffer request = DiagRequest.exact(out, 1, Transport.UDP, at("fd45::2", 5353), at("fd45::1", 40000))
                .order(ByteOrder.BIG_ENDIAN);

        assertEquals(DiagRequest.AF_INET6, request.get(16));
        assertEquals(DiagRequest.IPPROTO_UDP, request.get(17));
        assertEquals(40000, Short.toUnsignedInt(request.getShort(24)), "sport: the peer's");
        assertEquals(5353, request.getShort(26), "dport: the socket's own");
        assertArrayEquals(bytes("fd45::1", 16), slice(request, 28, 16));
        assertArrayEquals(bytes("fd45::2", 16), slice(request, 44, 16));
    }

    @Test
    void dumpCarriesAPortFilterTheKernelAccepts() {
        ByteBuffer request = DiagRequest.dump(out, 9, DiagRequest.AF_INET6, Transport.UDP, 53, -1)
                .order(ByteOrder.nativeOrder());

        assertEquals(84, request.remaining());
        assertEquals(84, request.getInt(0));
        assertEquals(DiagRequest.NLM_F_REQUEST | DiagRequest.NLM_F_DUMP, request.getShort(6));
        assertEquals(12, request.getShort(72), "attribute length: header and one comparison");
        assertEquals(DiagRequest.INET_DIAG_REQ_BYTECODE, request.getShort(74));
        assertEquals(DiagRequest.BC_S_EQ, request.get(76));
        assertEquals(8, request.get(77), "yes: to the end, keep");
        assertEquals(12, request.getShort(78), "no: past the end, leave out");
        assertEquals(53, request.getShort(82), "the port, in host byte order");
    }

    @Test
    void dumpOfTwoPortsChainsTheComparisons() {
        ByteBuffer request = DiagRequest.dump(out, 9, DiagRequest.AF_INET, Transport.TCP, 80, 41234)
                .order(ByteOrder.nativeOrder());

        assertEquals(92, request.getInt(0));
        assertEquals(20, request.getShort(72));
        assertEquals(DiagRequest.BC_S_EQ, request.get(76));
        assertEquals(8, request.get(77));
        assertEquals(20, request.getShort(78), "no: past the end of the 16-byte program");
        assertEquals(80, request.getShort(82));
        assertEquals(DiagRequest.BC_D_EQ, request.get(84));
        assertEquals(8, request.get(85));
        assertEquals(12, request.getShort(86));
        assertEquals(41234, Short.toUnsignedInt(request.getShort(90)));
    }

    @Test
    void refusesAddressesOfTwoFamilies() {
        IllegalArgumentException mixed = assertThrows(IllegalArgumentException.class,
                () -> DiagRequest.exact(out, 1, Transport.TCP, at("10.45.0.2", 1), at("fd45::1", 2)));
        assertEquals("the addresses 10.45.0.2 and fd45:0:0:0:0:0:0:1 are of different families; a flow has one",
                mixed.getMessage());
    }

    private static InetSocketAddress at(String address, int port) {
        return new InetSocketAddress(address, port);
    }

    private static byte[] bytes(String address, int length) throws Exception {
        return java.util.Arrays.copyOf(InetAddress.getByName(address).getAddress(), length);
    }

    private static byte[] slice(ByteBuffer buffer, int at, int length) {
        byte[] bytes = new byte[length];
        buffer.get(at, bytes);
        return bytes;
    }
}
