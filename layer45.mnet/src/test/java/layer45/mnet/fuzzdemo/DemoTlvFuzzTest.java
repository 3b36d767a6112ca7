package layer45.mnet.fuzzdemo;

import com.code_intelligence.jazzer.junit.FuzzTest;

/** Fuzzes the throwaway parser; regression mode replays DemoTlvFuzzTestInputs/parse. */
final class DemoTlvFuzzTest {
    @FuzzTest(maxDuration = "30s")
    void parse(byte[] input) {
        DemoTlvParser.parse(input);
    }

    @FuzzTest(maxDuration = "30s")
    void count(byte[] input) {
        if (DemoTlvParser.parse(input) < -1) {
            throw new AssertionError("negative count");
        }
    }
}
