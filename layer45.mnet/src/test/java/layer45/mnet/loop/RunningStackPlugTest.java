package layer45.mnet.loop;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import layer45.mnet.iface.InterfaceConfig;
import layer45.mnet.phy.Device;
import layer45.mnet.phy.ForwardingDevice;
import layer45.mnet.phy.LinkProtocol;
import layer45.mnet.phy.MemoryLink;
import layer45.mnet.phy.MemoryLinkOptions;
import layer45.mnet.socket.udp.UdpSettings;
import layer45.mnet.socket.udp.UdpSocket;
import layer45.mnet.testing.ToyProtocol;
import layer45.mnet.time.Clock;
import layer45.mnet.wire.IpCidr;
import layer45.mnet.wire.Ipv6Address;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A running stack plugs a network protocol in only when its device can carry it, counts why not, and ends the
 * flows over a protocol when it is unplugged.
 */
@Timeout(30)
class RunningStackPlugTest {

    private static final Ipv6Address A = Ipv6Address.parse("fd4d::1");
    private static final Ipv6Address B = Ipv6Address.parse("fd4d::2");
    private static final List<IpCidr> ROUTES = List.of(IpCidr.parse("fd4d::/16"));

    /** A device that carries only IPv4 and IPv6, as a TUN device does. */
    private static final class IpOnlyDevice extends ForwardingDevice {
        IpOnlyDevice(Device inner) {
            super(inner);
        }

        @Override
        public boolean carries(int protocol) {
            return protocol == LinkProtocol.IPV4 || protocol == LinkProtocol.IPV6;
        }
    }

    private static RunningStack start(Device device, String address4, int echoPort) {
        return RunningStack.start(device, new StackOptions(InterfaceConfig.of(List.of(IpCidr.parse(address4))),
                UdpSettings.DEFAULTS, echoPort, device.capabilities().name(), "", List.of()), () -> null,
                Clock.SYSTEM);
    }

    @Test
    void aProtocolIsNotPluggedIntoAStackWhoseDeviceCannotCarryIt() {
        MemoryLink link = MemoryLink.create(MemoryLinkOptions.defaults("tun-like"), Clock.SYSTEM);
        try (RunningStack stack = start(new IpOnlyDevice(link.a()), "10.0.0.1/24", 0)) {
            String why = stack.plug(new ToyProtocol(), List.of(A), ROUTES);

            assertTrue(why.contains("cannot carry link protocol 0x88b5"), why);
            assertEquals(List.of("ipv4", "ipv6"), stack.status().protocols());
            assertEquals(1L, stack.counters().get("protocols").get("not-plugged-device-cannot-carry"));
            assertFalse(stack.carries(LinkProtocol.EXPERIMENTAL_1));
        }
    }

    @Test
    void unpluggingEndsTheFlowsOverTheProtocolAndLeavesTheOthers() throws Exception {
        MemoryLink link = MemoryLink.create(MemoryLinkOptions.defaults("plug"), Clock.SYSTEM);
        ToyProtocol toyA = new ToyProtocol();
        try (RunningStack a = start(link.a(), "10.0.0.1/24", 0); RunningStack b = start(link.b(), "10.0.0.2/24", 7)) {
            assertNull(a.plug(toyA, List.of(A), ROUTES));
            assertNull(b.plug(new ToyProtocol(), List.of(B), ROUTES));
            LinkedBlockingQueue<String> answers = new LinkedBlockingQueue<>();
            UdpSocket client = a.call((iface, udp) -> udp.bind(null, 0, 0, true, 5000, (s, flow, payload) -> {
                byte[] bytes = new byte[payload.remaining()];
                payload.get(payload.position(), bytes);
                answers.add(new String(bytes, UTF_8));
            }));
            boolean sent = a.call((iface, udp) -> client.sendTo(iface.routes().lookup(B), B.high(), B.low(), 7,
                    ByteBuffer.wrap("over toy".getBytes(UTF_8))));
            assertTrue(sent);
            assertEquals("over toy", answers.poll(5, TimeUnit.SECONDS));
            assertEquals(List.of("toy"), a.udpFlows().stream().map(f -> f.network()).toList());

            assertTrue(a.unplug(toyA));

            assertEquals(List.of(), a.udpFlows());
            assertEquals(1L, a.counters().get("protocols").get("flows-ended-by-unplug"));
            assertEquals(1L, a.counters().get("protocols").get("unplugged"));
            assertEquals(List.of("ipv4", "ipv6"), a.status().protocols());
            assertFalse(a.unplug(toyA), "unplugging twice is harmless");
            assertTrue(a.status().running(), "the stack goes on");
        }
    }
}
