package layer45.mnet.fuzzdemo;

import com.code_intelligence.jazzer.junit.FuzzTest;

/** A target without a bug: fuzzing it must pass. */
final class DemoSafeFuzzTest {
    @FuzzTest(maxDuration = "30s")
    void checksum(byte[] input) {
        int sum = 0;
        for (byte b : input) {
            sum = (sum + (b & 0xff)) % 0xffff;
        }
        if (sum < 0) {
            throw new AssertionError(sum);
        }
    }
}
