package layer45.mnet.phy;

/**
 * What a device can carry and what it does for the stack.
 *
 * <p>Offloads are reserved for {@code IFF_VNET_HDR} (a virtio-net header in front of each packet that carries
 * checksum and segmentation offload requests): a later step can open the TUN device with it and report
 * {@link Offloads#rxChecksumVerified()} or {@link Offloads#txChecksumPartial()}, and the stack will skip the work
 * the device does. Today every device reports {@link Offloads#NONE}.
 *
 * @param mtu the largest packet the device sends or receives, in bytes (IP header included)
 * @param name a short name for logs and counters ({@code tun l45tun0}, {@code memory a})
 * @param offloads the work the device does for the stack
 */
public record DeviceCapabilities(int mtu, String name, Offloads offloads) {

    /** The smallest MTU an IPv6 link may have (RFC 8200, section 5), and so the smallest any device may have. */
    public static final int MIN_MTU = 1280;
    /** The largest MTU a Linux TUN device accepts ({@code drivers/net/tun.c}: {@code MAX_MTU} is 65535, and
     * {@code ip link} refuses more than 65520 for tun because of the header room it reserves). */
    public static final int MAX_MTU = 65520;

    /** @throws IllegalArgumentException if the MTU is outside [{@value #MIN_MTU}, {@value #MAX_MTU}] */
    public DeviceCapabilities {
        if (mtu < MIN_MTU || mtu > MAX_MTU) {
            throw new IllegalArgumentException("MTU " + mtu + " of device " + name + " is outside " + MIN_MTU + ".."
                    + MAX_MTU + " (IPv6 needs at least 1280; a Linux TUN device takes at most 65520)");
        }
        java.util.Objects.requireNonNull(name, "name");
        java.util.Objects.requireNonNull(offloads, "offloads");
    }

    /**
     * Checks the length of a packet offered to {@link Device#transmit}.
     *
     * @param length the packet's length
     * @throws IllegalArgumentException if it is not between 1 and the MTU: the stack must fragment
     */
    public void checkTransmitLength(int length) {
        if (length < 1 || length > mtu) {
            throw new IllegalArgumentException("packet of " + length + " bytes cannot be sent on " + name
                    + ": the length must be 1.." + mtu + " (fragment larger packets)");
        }
    }

    /**
     * Work a device does on the stack's behalf.
     *
     * @param rxChecksumVerified received packets' transport checksums were verified by the device
     * @param txChecksumPartial the device completes transport checksums of sent packets (the stack writes only the
     *        pseudo-header sum)
     * @param txSegmentation the device splits large TCP segments (TSO/GSO)
     */
    public record Offloads(boolean rxChecksumVerified, boolean txChecksumPartial, boolean txSegmentation) {
        /** No offloads: the stack computes and checks every checksum itself. */
        public static final Offloads NONE = new Offloads(false, false, false);
    }
}
