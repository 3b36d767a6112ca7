/**
 * The stack in OSGi: {@link layer45.mnet.osgi.NetStackComponent} builds it from configuration ({@code layer45.net},
 * filled from {@code net.*} in the runtime's configuration file), binds it to the runtime's
 * {@link layer45.api.spi.FlowTap} and to the host-identifier table, plugs in
 * {@link layer45.mnet.NetworkProtocolHandler} services, and registers {@link layer45.mnet.NetStack}.
 * {@link layer45.mnet.osgi.MhostComponent} builds the host-identifier table from {@code layer45.mhost} (filled from
 * {@code mhost.*}) and its file, and registers it as {@link layer45.mnet.HostIdentifiers}.
 */
@org.osgi.annotation.bundle.Capability(namespace = "osgi.service",
        attribute = "objectClass:List<String>=\"layer45.mnet.HostIdentifiers,layer45.mnet.mhost.HostTable\"",
        uses = layer45.mnet.HostIdentifiers.class)
package layer45.mnet.osgi;
