package layer45.runtime.flow;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Flows' endpoints as operators read them in {@code l45:sockets}: IPv6 in its short form, as netstat shows it. */
class EndpointFormatTest {

    @ParameterizedTest
    @CsvSource({
        "fd45::fe, 80, '[fd45::fe]:80'",
        "fd45:0:0:0:0:0:0:2, 33946, '[fd45::2]:33946'",
        "::1, 53, '[::1]:53'",
        ":: , 0, '[::]:0'",
        "2001:db8:0:0:1:0:0:1, 443, '[2001:db8::1:0:0:1]:443'",
        "2001:db8:0:1:1:1:1:1, 1, '[2001:db8:0:1:1:1:1:1]:1'",
        "FE80:0:0:0:ABCD:0:0:0, 2, '[fe80::abcd:0:0:0]:2'",
        "10.45.0.2, 41234, '10.45.0.2:41234'"
    })
    void anEndpointIsWrittenInTheShortForm(String address, int port, String expected) {
        assertEquals(expected, FlowTable.format(new InetSocketAddress(InetAddress.ofLiteral(address.strip()), port)));
    }
}
