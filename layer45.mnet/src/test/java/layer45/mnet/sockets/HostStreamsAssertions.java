package layer45.mnet.sockets;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.function.BooleanSupplier;

/** Waiting for what the stacks do on their own threads, within a bound. */
final class HostStreamsAssertions {

    private HostStreamsAssertions() {
    }

    /** Waits up to 5 s for a condition, then asserts it. */
    static void waitFor(BooleanSupplier condition) throws InterruptedException {
        for (int i = 0; i < 500 && !condition.getAsBoolean(); i++) {
            Thread.sleep(10);
        }
        assertTrue(condition.getAsBoolean(), "the condition did not come true within 5 s");
    }
}
