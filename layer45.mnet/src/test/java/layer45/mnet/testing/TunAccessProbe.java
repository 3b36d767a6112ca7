package layer45.mnet.testing;

import org.opentest4j.TestAbortedException;

import layer45.mnet.phy.linux.TunAccess;

/**
 * Prints what {@link TunAccess} answers and whether {@link TestNamespace#assumeTunAvailable()} would skip a test;
 * {@code TunAccessTest} runs it in a JVM without privilege or native access to check the skip path.
 */
public final class TunAccessProbe {

    private TunAccessProbe() {
    }

    /** @param args none */
    public static void main(String[] args) {
        System.out.println("reason: " + TunAccess.unavailableReason());
        try {
            TestNamespace.assumeTunAvailable();
            System.out.println("fixture: runs");
        } catch (TestAbortedException e) {
            System.out.println("fixture: skipped: " + e.getMessage());
        }
    }
}
