/**
 * Linux glue for the stack: a TUN device and netlink sockets (opened in any network namespace) over the Foreign
 * Function and Memory API, link configuration with the {@code ip} command of iproute2, and network namespaces. Private to the bundle, like smoltcp's
 * {@code phy/sys}: nothing outside {@code layer45.mnet} calls the C library.
 *
 * <p>The JVM needs native access for this package: {@code --enable-native-access=ALL-UNNAMED} (bundles and class
 * path code are unnamed modules). {@link layer45.mnet.phy.linux.TunAccess#unavailableReason()} says in one line
 * whether this process can create a TUN device and, if not, how to fix it.
 */
package layer45.mnet.phy.linux;
