package layer45.mnet.phy;

import java.util.Objects;

/**
 * How to build a {@link MemoryLink}.
 *
 * @param name a short name for logs and counters; the ends are named {@code memory <name> a} and {@code ... b}
 * @param mtu the largest packet either end sends or receives, in bytes; between {@link DeviceCapabilities#MIN_MTU}
 *        and {@link DeviceCapabilities#MAX_MTU}
 * @param capacity how many packets may wait in each direction before a transmit is dropped; each direction
 *        preallocates {@code capacity × mtu} bytes
 */
public record MemoryLinkOptions(String name, int mtu, int capacity) {

    /** The most bytes one direction may preallocate ({@code capacity × mtu}): 1 GiB. */
    public static final long MAX_BYTES_PER_DIRECTION = 1L << 30;

    /**
     * @throws IllegalArgumentException if the name is blank, the MTU is outside the device range, the capacity is
     *         not positive, or {@code capacity × mtu} exceeds {@value #MAX_BYTES_PER_DIRECTION} bytes
     */
    public MemoryLinkOptions {
        Objects.requireNonNull(name, "name");
        if (name.isBlank()) {
            throw new IllegalArgumentException("memory link name is blank: give the link a short name for logs");
        }
        if (mtu < DeviceCapabilities.MIN_MTU || mtu > DeviceCapabilities.MAX_MTU) {
            throw new IllegalArgumentException("MTU " + mtu + " of memory link " + name + " is outside "
                    + DeviceCapabilities.MIN_MTU + ".." + DeviceCapabilities.MAX_MTU);
        }
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity " + capacity + " of memory link " + name
                    + " must be at least 1 packet per direction");
        }
        if ((long) capacity * mtu > MAX_BYTES_PER_DIRECTION) {
            throw new IllegalArgumentException("memory link " + name + " would preallocate " + (long) capacity * mtu
                    + " bytes per direction (capacity " + capacity + " × MTU " + mtu + "); lower the capacity or "
                    + "the MTU to stay within " + MAX_BYTES_PER_DIRECTION + " bytes");
        }
    }

    /**
     * @param name the link's name
     * @return options with an Ethernet-sized MTU of 1500 bytes and room for 256 packets per direction
     */
    public static MemoryLinkOptions defaults(String name) {
        return new MemoryLinkOptions(name, 1500, 256);
    }
}
