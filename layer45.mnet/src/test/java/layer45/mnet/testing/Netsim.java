package layer45.mnet.testing;

import java.util.List;
import java.util.function.BooleanSupplier;
import layer45.mnet.iface.Interface;
import layer45.mnet.time.ManualClock;

/**
 * Drives interfaces by hand on a manual clock, as smoltcp's netsim does: poll every interface until none has
 * work, then jump the clock to the earliest deadline (a timer, or a delayed packet's arrival). Deterministic: the
 * same seeds give the same run.
 */
public final class Netsim {

    private final ManualClock clock;
    private final List<Interface> interfaces;

    /**
     * @param clock the clock every device and interface reads
     * @param interfaces the interfaces to drive
     */
    public Netsim(ManualClock clock, Interface... interfaces) {
        this.clock = clock;
        this.interfaces = List.of(interfaces);
    }

    /**
     * Runs until {@code done} holds, nothing is left to do, or {@code maxNanos} of simulated time pass.
     *
     * @param done the condition to reach
     * @param maxNanos the most simulated time to run
     * @return whether {@code done} holds at the end
     */
    public boolean runUntil(BooleanSupplier done, long maxNanos) {
        long end = clock.nanos() + maxNanos;
        for (int rounds = 0; rounds < 10_000_000 && !done.getAsBoolean() && clock.nanos() < end; rounds++) {
            int work = 0;
            for (Interface iface : interfaces) {
                work += iface.poll(64);
            }
            if (work == 0) {
                long next = Long.MAX_VALUE;
                for (Interface iface : interfaces) {
                    next = Math.min(next, iface.pollAt());
                }
                if (next == Long.MAX_VALUE) {
                    break;
                }
                clock.advanceTo(Math.min(end, Math.max(next, clock.nanos() + 1)));
            }
        }
        return done.getAsBoolean();
    }

    /** Runs until nothing is left to do except periodic timers, or for at most {@code maxNanos}. */
    public void settle(long maxNanos) {
        runUntil(() -> false, maxNanos);
    }
}
