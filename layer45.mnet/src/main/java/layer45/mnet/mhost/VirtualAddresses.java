package layer45.mnet.mhost;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import layer45.mnet.wire.IpCidr;
import layer45.mnet.wire.Ipv4Address;
import layer45.mnet.wire.Ipv6Address;

/**
 * Hands out the virtual addresses of host identifiers: host number {@code i} of the IPv4 prefix and host number
 * {@code i} of the IPv6 prefix, the same {@code i} for both, kept while the identifier exists.
 *
 * <p>An identifier's number is a hash of its name, moved on to the next free number on a collision: so it is
 * usually the same after a restart too, and the same for every namespace, because one table serves them all. The
 * network's own address (number 0) and the IPv4 broadcast address are never handed out.
 *
 * <p>Not thread-safe: the table calls it under its lock.
 */
final class VirtualAddresses {

    /** FNV-1a, 64 bits: stable across JVMs, unlike {@link String#hashCode()} it spreads short names well. */
    private static final long FNV_OFFSET = 0xcbf29ce484222325L;
    private static final long FNV_PRIME = 0x100000001b3L;

    private final IpCidr prefix4;
    private final IpCidr prefix6;
    private final int capacity;
    private final Map<String, Integer> numbers = new HashMap<>();
    private final Map<Integer, String> names = new HashMap<>();

    /**
     * @param prefix4 the IPv4 prefix (a network, at most /30), or {@code null} for none
     * @param prefix6 the IPv6 prefix (a network, at most /126), or {@code null} for none
     */
    VirtualAddresses(IpCidr prefix4, IpCidr prefix6) {
        this.prefix4 = prefix4;
        this.prefix6 = prefix6;
        long room = Integer.MAX_VALUE - 1L;
        if (prefix4 != null) {
            room = Math.min(room, (1L << (32 - prefix4.prefixLength())) - 2); // no network, no broadcast
        }
        if (prefix6 != null && 128 - prefix6.prefixLength() < 31) {
            room = Math.min(room, (1L << (128 - prefix6.prefixLength())) - 1); // no network (subnet-router anycast)
        }
        this.capacity = prefix4 == null && prefix6 == null ? 0 : (int) room;
    }

    /** @return how many identifiers can have addresses at once */
    int capacity() {
        return capacity;
    }

    /**
     * @param name an identifier's name
     * @return its number, assigned now if it had none; 0 when every number is taken (or there are no prefixes)
     */
    int assign(String name) {
        Integer existing = numbers.get(name);
        if (existing != null) {
            return existing;
        }
        if (numbers.size() >= capacity) {
            return 0;
        }
        int number = 1 + (int) Long.remainderUnsigned(hash(name), capacity);
        while (names.containsKey(number)) { // ends: fewer numbers are taken than there are
            number = number == capacity ? 1 : number + 1;
        }
        numbers.put(name, number);
        names.put(number, name);
        return number;
    }

    /** @param name an identifier that is gone: its number is free again */
    void release(String name) {
        Integer number = numbers.remove(name);
        if (number != null) {
            names.remove(number);
        }
    }

    /** @return the names that have a number now */
    java.util.Set<String> assigned() {
        return java.util.Set.copyOf(numbers.keySet());
    }

    /**
     * @param number a number from {@link #assign}
     * @return its IPv4 address, or {@code null} without an IPv4 prefix
     */
    InetAddress ipv4(int number) {
        if (prefix4 == null || number == 0) {
            return null;
        }
        return new Ipv4Address(((Ipv4Address) prefix4.address()).bits() + number).toInetAddress();
    }

    /**
     * @param number a number from {@link #assign}
     * @return its IPv6 address, or {@code null} without an IPv6 prefix
     */
    InetAddress ipv6(int number) {
        if (prefix6 == null || number == 0) {
            return null;
        }
        Ipv6Address network = (Ipv6Address) prefix6.address();
        return new Ipv6Address(network.high(), network.low() + number).toInetAddress();
    }

    private static long hash(String name) {
        long h = FNV_OFFSET;
        for (byte b : name.getBytes(StandardCharsets.UTF_8)) {
            h = (h ^ (b & 0xFF)) * FNV_PRIME;
        }
        return h;
    }
}
