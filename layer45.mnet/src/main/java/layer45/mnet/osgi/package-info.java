/**
 * The stack in OSGi: {@link layer45.mnet.osgi.NetStackComponent} builds it from configuration ({@code layer45.net},
 * filled from {@code net.*} in the runtime's configuration file), binds it to the runtime's
 * {@link layer45.api.spi.FlowTap}, plugs in {@link layer45.mnet.NetworkProtocolHandler} services, and registers
 * {@link layer45.mnet.NetStack}.
 */
package layer45.mnet.osgi;
