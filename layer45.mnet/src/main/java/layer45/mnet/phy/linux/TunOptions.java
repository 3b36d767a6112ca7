package layer45.mnet.phy.linux;

import java.nio.charset.StandardCharsets;

import layer45.mnet.phy.DeviceCapabilities;

/**
 * How to open a {@link TunDevice}.
 *
 * @param name the interface name: at most 15 bytes of printable ASCII without {@code /}, {@code :} or spaces (the
 *        kernel's {@code dev_valid_name}); one {@code %d} lets the kernel pick a free number ({@code l45t%d}
 *        becomes {@code l45t0}, {@code l45t1}, ...)
 * @param mtu the largest packet the stack sends or takes, in bytes; set the link's own MTU to the same value with
 *        {@link LinkConfigurator#setMtu} (the kernel gives a new TUN device 1500)
 */
public record TunOptions(String name, int mtu) {

    /** The MTU the kernel gives a new TUN device. */
    public static final int DEFAULT_MTU = 1500;

    /** @throws IllegalArgumentException if the name is not a valid interface name or the MTU is out of range */
    public TunOptions {
        checkInterfaceName(name, true);
        if (mtu < DeviceCapabilities.MIN_MTU || mtu > DeviceCapabilities.MAX_MTU) {
            throw new IllegalArgumentException("TUN MTU " + mtu + " for " + name + " is outside "
                    + DeviceCapabilities.MIN_MTU + ".." + DeviceCapabilities.MAX_MTU
                    + " (IPv6 needs at least 1280; a Linux TUN device takes at most 65520)");
        }
    }

    /**
     * Checks an interface name as the kernel would ({@code net/core/dev.c}: {@code dev_valid_name}, and
     * {@code dev_alloc_name} for a {@code %d} pattern).
     *
     * @param name the name
     * @param patternAllowed whether one {@code %d} may stand for a number the kernel picks
     * @throws IllegalArgumentException saying what is wrong with the name
     */
    static void checkInterfaceName(String name, boolean patternAllowed) {
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException("interface name is empty: give a name such as l45t%d or tun0");
        }
        int bytes = name.getBytes(StandardCharsets.UTF_8).length;
        if (bytes >= Libc.IFNAMSIZ) {
            throw new IllegalArgumentException("interface name \"" + name + "\" is " + bytes
                    + " bytes long; Linux allows at most " + (Libc.IFNAMSIZ - 1));
        }
        if (name.equals(".") || name.equals("..")) {
            throw new IllegalArgumentException("interface name \"" + name + "\" is reserved: pick another name");
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c <= ' ' || c >= 0x7F || c == '/' || c == ':') {
                throw new IllegalArgumentException("interface name \"" + name + "\" has the character '" + c
                        + "' at " + i + "; use printable ASCII without '/', ':' or spaces");
            }
        }
        int percent = name.indexOf('%');
        if (percent >= 0) {
            boolean onePattern = name.startsWith("%d", percent) && name.indexOf('%', percent + 1) < 0;
            if (!patternAllowed || !onePattern) {
                throw new IllegalArgumentException("interface name \"" + name + "\" has a '%' "
                        + (patternAllowed ? "that is not a single %d (the kernel fills in one number)"
                                : "but here the name must be an existing interface's"));
            }
        }
    }
}
