package layer45.customizations.pace;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** A clock that only moves when the module sleeps or a test advances it, and records every wait. */
final class FakeClock implements PaceClock {

    private long now = 1_000_000_000L;
    private final List<Duration> waits = new ArrayList<>();
    private boolean interruptNextSleep;

    @Override
    public long nanoTime() {
        return now;
    }

    @Override
    public void sleep(long nanos) throws InterruptedException {
        if (interruptNextSleep) {
            interruptNextSleep = false;
            throw new InterruptedException("test");
        }
        waits.add(Duration.ofNanos(nanos));
        now += nanos;
    }

    void advance(Duration d) {
        now += d.toNanos();
    }

    void interruptNextSleep() {
        interruptNextSleep = true;
    }

    /** @return the waits so far, and forgets them */
    List<Duration> takeWaits() {
        List<Duration> taken = List.copyOf(waits);
        waits.clear();
        return taken;
    }
}
