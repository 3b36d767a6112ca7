package layer45.testing;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.util.Arrays;

import layer45.api.Verdict;
import layer45.api.spi.Direction;
import layer45.api.spi.Outcome;

/**
 * What one chunk did: the bytes that went on (to the network for send, to the application for recv), what the
 * chain decided, and what the application saw.
 *
 * @param direction the chunk's direction
 * @param where the call, for messages: direction, number and the chunk's place in the stream
 * @param output the bytes delivered for this chunk
 * @param verdict the tested module's verdict, or {@code null} if it was not called for this chunk (another module
 *        decided first, it was accumulating held bytes, or the flow was bypassed or aborted)
 * @param outcome what the runtime did with the chunk
 * @param held bytes held in this direction after the chunk
 * @param applicationBytes bytes the application saw for this chunk: on send its whole write (whatever was sent
 *        instead), on recv the bytes it read
 * @param abortReason why the flow was aborted, or ""
 */
public record Step(Direction direction, String where, byte[] output, Verdict verdict, Outcome outcome, int held,
        long applicationBytes, String abortReason) {

    /** @return the output as UTF-8 text */
    public String text() {
        return new String(output, UTF_8);
    }

    /**
     * @param expected the output expected, as UTF-8 text
     * @return this step
     * @throws AssertionError if the output differs, showing both
     */
    public Step expectOutput(String expected) {
        return expectOutput(expected.getBytes(UTF_8));
    }

    /**
     * @param expected the output expected
     * @return this step
     * @throws AssertionError if the output differs, showing both
     */
    public Step expectOutput(byte[] expected) {
        if (!Arrays.equals(expected, output)) {
            throw new AssertionError(where + ": expected output " + Bytes.show(expected) + " but was "
                    + Bytes.show(output));
        }
        return this;
    }

    /**
     * @param expected the tested module's verdict expected
     * @return this step
     * @throws AssertionError if the module answered something else, or was not called
     */
    public Step expectVerdict(Verdict expected) {
        if (verdict != expected) {
            throw new AssertionError(where + ": expected the module to answer " + expected + " but "
                    + (verdict == null ? "it was not called (outcome " + outcome + ")" : "it answered " + verdict));
        }
        return this;
    }

    /**
     * @param expected what the runtime did with the chunk
     * @return this step
     * @throws AssertionError if it did something else
     */
    public Step expectOutcome(Outcome expected) {
        if (outcome != expected) {
            throw new AssertionError(where + ": expected outcome " + expected + " but was " + outcome
                    + (abortReason.isEmpty() ? "" : " (" + abortReason + ")"));
        }
        return this;
    }

    /**
     * @param expected bytes held in this direction after the chunk
     * @return this step
     * @throws AssertionError if a different number is held
     */
    public Step expectHeld(int expected) {
        if (held != expected) {
            throw new AssertionError(where + ": expected " + expected + " bytes held but " + held + " are");
        }
        return this;
    }

    @Override
    public String toString() {
        return where + ": " + outcome + (verdict == null ? "" : " (" + verdict + ")") + ", " + output.length
                + " bytes out " + Bytes.show(output) + (held > 0 ? ", " + held + " held" : "");
    }
}
