package layer45.mnet.phy;

/**
 * A network device the stack sends and receives whole IP-layer packets through: a TUN device, one end of an
 * in-memory link, or a wrapper around another device (pcap writer, fault injector).
 *
 * <p>Devices lend buffers instead of returning them (smoltcp's RX/TX tokens): {@link #receive} lends the next
 * packet to a handler, {@link #transmit} lends a buffer for the writer to fill. A lent buffer is valid only during
 * the call, so no packet is allocated on the way in or out.
 *
 * <p>Threading: {@link #receive}, {@link #transmit}, {@link #nextArrivalNanos} and {@link #await} are called by
 * one thread at a time, the stack's loop thread. {@link #wakeup} and {@link #close} may be called from any
 * thread. Neither {@code receive} nor {@code transmit} blocks.
 *
 * <p>Errors: a packet that cannot be received or sent is counted by the device and reported as {@code false};
 * devices do not throw for I/O trouble on the hot path (a broken TUN file descriptor is reported once by
 * {@link #await} or {@link #receive} through {@link #failure()}).
 */
public interface Device extends AutoCloseable {

    /** What {@link #nextArrivalNanos()} answers when no packet is scheduled (or the device cannot tell). */
    long NEVER = Long.MAX_VALUE;

    /** @return the device's MTU, medium and offloads; constant for the device's life */
    DeviceCapabilities capabilities();

    /**
     * Whether the device can carry packets of a link protocol at all: a TUN device without packet information
     * carries only IPv4 and IPv6 (it tells them apart by the version nibble), while an in-memory link or a tunnel
     * that writes the number beside each packet carries any. The stack plugs a network protocol in only where the
     * device can carry it. Constant for the device's life; any thread.
     *
     * @param protocol a link protocol number, one of {@link LinkProtocol} or a plugged-in protocol's EtherType
     * @return {@code true} if {@link #transmit} can send such packets and {@link #receive} can tell them apart
     */
    default boolean carries(int protocol) {
        return true;
    }

    /**
     * Lends the next waiting packet to {@code handler}, if there is one. Never blocks.
     *
     * @param handler receives the packet; it may read and modify the buffer, which is valid only during the call
     * @return {@code true} if a packet was handed over, {@code false} if none was waiting
     */
    boolean receive(RxHandler handler);

    /**
     * Sends one packet: lends a buffer of exactly {@code length} bytes (position 0, limit {@code length},
     * big-endian) to {@code writer}, then sends what it wrote. Never blocks.
     *
     * @param protocol the packet's link protocol, one of {@link LinkProtocol}
     * @param length the packet's length in bytes, at most {@link DeviceCapabilities#mtu()}
     * @param writer fills the buffer; called at most once, and not at all when the device cannot take the packet
     * @return {@code true} if the packet was sent (or queued for sending), {@code false} if it was dropped and
     *         counted: the device is full or closed, or does not carry {@code protocol}
     * @throws IllegalArgumentException if {@code length} is not between 1 and the MTU: the stack must fragment
     */
    boolean transmit(int protocol, int length, TxWriter writer);

    /**
     * For devices that schedule arrivals themselves (in-memory links with delay): when the next packet becomes
     * receivable, on the stack's {@link layer45.mnet.time.Clock}. A deterministic driver advances its manual clock
     * to the earliest such instant instead of sleeping.
     *
     * @return the instant in clock nanoseconds; at or before now if a packet is waiting; {@link #NEVER} if none is
     *         scheduled or the device cannot tell (a TUN device)
     */
    long nextArrivalNanos();

    /**
     * Blocks the loop thread until a packet may be waiting, {@link #wakeup()} is called, the device fails, or the
     * timeout passes, whichever comes first. Spurious returns are allowed.
     *
     * @param timeoutNanos the longest wait; 0 returns at once
     * @throws InterruptedException if the loop thread is interrupted
     */
    void await(long timeoutNanos) throws InterruptedException;

    /** Makes a current or the next {@link #await} return at once. Any thread; never blocks. */
    void wakeup();

    /**
     * @return why the device stopped working (its file descriptor failed, say), or {@code null} while it works;
     *         a failed device receives and sends nothing
     */
    String failure();

    /**
     * @return the device's counters by name (packets, bytes, drops by reason), for operators; a wrapper adds its
     *         own to those of the device it wraps. Any thread.
     */
    default java.util.Map<String, Long> countersByName() {
        return java.util.Map.of();
    }

    /** Releases the device (closes a TUN file descriptor, which removes a non-persistent device). Idempotent. */
    @Override
    void close();
}
