/**
 * Network devices: the {@link layer45.mnet.phy.Device} contract, and the devices the stack runs on.
 *
 * <p>The medium is always IP: a device carries whole network-layer packets with no link header (a Linux TUN
 * device opened with {@code IFF_NO_PI}), so there is no ARP or neighbour discovery. Real devices (TUN, in
 * {@code layer45.mnet.phy.linux}) and simulated ones (an in-memory link pair) implement the same contract, and
 * wrapper devices (pcap writer, fault injector) stack on any of them.
 */
package layer45.mnet.phy;
