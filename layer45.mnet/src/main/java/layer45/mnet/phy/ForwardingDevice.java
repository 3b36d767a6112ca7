package layer45.mnet.phy;

/**
 * A wrapper device that passes every call on to the device it wraps: a subclass overrides only what it changes, so
 * the wrappers do not each restate the same delegation.
 *
 * <p>{@link #countersByName()} is not forwarded: a wrapper that reports counters adds its own to those of
 * {@link #inner} (see {@link Device#countersByName()}).
 */
public abstract class ForwardingDevice implements Device {

    /** The wrapped device. */
    protected final Device inner;

    /** @param inner the device to wrap */
    protected ForwardingDevice(Device inner) {
        this.inner = inner;
    }

    @Override
    public DeviceCapabilities capabilities() {
        return inner.capabilities();
    }

    @Override
    public boolean carries(int protocol) {
        return inner.carries(protocol);
    }

    @Override
    public boolean receive(RxHandler handler) {
        return inner.receive(handler);
    }

    @Override
    public boolean transmit(int protocol, int length, TxWriter writer) {
        return inner.transmit(protocol, length, writer);
    }

    @Override
    public long nextArrivalNanos() {
        return inner.nextArrivalNanos();
    }

    @Override
    public void await(long timeoutNanos) throws InterruptedException {
        inner.await(timeoutNanos);
    }

    @Override
    public void wakeup() {
        inner.wakeup();
    }

    @Override
    public String failure() {
        return inner.failure();
    }

    @Override
    public void close() {
        inner.close();
    }
}
