/**
 * Network devices: the {@link layer45.mnet.phy.Device} contract, and the devices the stack runs on.
 *
 * <p>The medium is always IP: a device carries whole network-layer packets with no link header (a Linux TUN
 * device opened with {@code IFF_NO_PI}), so there is no ARP or neighbour discovery. Real devices (TUN, in
 * {@code layer45.mnet.phy.linux}) and simulated ones implement the same contract, and wrapper devices stack on any
 * of them:
 * <ul>
 * <li>{@link layer45.mnet.phy.MemoryLink}: two devices wired back to back in memory, to connect two stacks in one
 *     process;</li>
 * <li>{@link layer45.mnet.phy.FaultInjectingDevice}: seeded loss, duplication, corruption, reordering, delay and
 *     rate limits on the packets a device receives, visible to a deterministic driver through
 *     {@link layer45.mnet.phy.Device#nextArrivalNanos()};</li>
 * <li>{@link layer45.mnet.phy.PcapWriterDevice}: a capture file of everything a device sends and receives.</li>
 * </ul>
 * A typical test wiring: {@code PcapWriterDevice.wrap(FaultInjectingDevice.wrap(link.b(), faults, clock), file,
 * clock)} gives the stack on end b a lossy link and a capture of what it actually saw.
 */
package layer45.mnet.phy;
