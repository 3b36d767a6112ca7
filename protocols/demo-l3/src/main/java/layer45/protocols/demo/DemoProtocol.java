package layer45.protocols.demo;

import java.nio.ByteBuffer;
import layer45.mnet.NetworkHeader;
import layer45.mnet.NetworkProtocolHandler;
import layer45.mnet.NetworkProtocolService;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * The demo network protocol ({@value #NAME}, EtherType 0x88B5, IEEE local experimental 1): a 40-byte header
 * ({@link DemoPacket}) of magic, version, transport, hop limit, payload length and 128-bit addresses, in front of
 * UDP or TCP. Transport checksums use the IPv6-style pseudo-header (the interface's default).
 *
 * <p>The stack plugs it into every stack whose device can carry it (an in-memory link, a peer link's tunnel; not a
 * TUN device, which carries only IPv4 and IPv6). Its addresses and routes are the component's properties: the
 * defaults below, or the configuration {@value #PID} ({@code layer45.mnet.addresses}, {@code layer45.mnet.routes}),
 * which restarts the component, so it is unplugged and plugged in again with the new ones.
 */
@Component(service = NetworkProtocolHandler.class, configurationPid = DemoProtocol.PID,
        configurationPolicy = ConfigurationPolicy.OPTIONAL)
@NetworkProtocolService(addresses = "fd4d::1", routes = "fd4d::/16")
@Designate(ocd = DemoProtocol.Config.class)
public final class DemoProtocol implements NetworkProtocolHandler {

    /** The protocol's name, as flows, counters and host identifiers ({@code demo:fd4d::2}) spell it. */
    public static final String NAME = "demo";
    /** The IEEE 802 local experimental EtherType 1. */
    public static final int LINK_PROTOCOL = 0x88B5;
    /** The configuration PID of its addresses and routes. */
    public static final String PID = "layer45.protocol.demo";

    /** The configuration: the same properties as {@link NetworkProtocolService}, documented for metatype. */
    @ObjectClassDefinition(name = "layer45 demo network protocol",
            description = "The stack's own addresses on the demo protocol and the destinations it carries")
    public @interface Config {
        /** @return the stack's own addresses, written as IPv6 */
        @AttributeDefinition(name = "Addresses", description = "The stack's own addresses on demo, such as fd4d::1")
        String[] layer45_mnet_addresses() default "fd4d::1";

        /** @return the destinations carried, as IPv6 prefixes */
        @AttributeDefinition(name = "Routes", description = "The destinations demo carries, such as fd4d::/16")
        String[] layer45_mnet_routes() default "fd4d::/16";
    }

    private final DemoPacket view = new DemoPacket();

    @Override
    public int linkProtocol() {
        return LINK_PROTOCOL;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public int headerLength(NetworkHeader header) {
        return DemoPacket.HEADER_LENGTH;
    }

    @Override
    public String parse(ByteBuffer packet, NetworkHeader header) {
        String problem = view.wrap(packet).check();
        if (problem != null) {
            return problem;
        }
        header.source(view.sourceHigh(), view.sourceLow()).destination(view.destinationHigh(), view.destinationLow())
                .transport(view.transport(), view.hopLimit()).payload(DemoPacket.HEADER_LENGTH, view.payloadLength());
        return null;
    }

    @Override
    public void emit(ByteBuffer packet, NetworkHeader header) {
        DemoPacket.write(packet, header.transportProtocol(), header.hopLimit(), header.payloadLength(),
                header.srcHigh(), header.srcLow(), header.dstHigh(), header.dstLow());
    }
}
