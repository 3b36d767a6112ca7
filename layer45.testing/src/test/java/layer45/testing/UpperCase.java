package layer45.testing;

import static java.nio.charset.StandardCharsets.US_ASCII;

import layer45.api.Chunk;
import layer45.api.Customization;
import layer45.api.Flow;
import layer45.api.Output;
import layer45.api.Verdict;

/**
 * A well-behaved module for the tester's tests: upper-cases what curl sends to port 8000, line by line (a partial
 * line is held until its end arrives), appending a configured suffix to each line; leaves recv alone.
 */
public final class UpperCase implements Customization {

    /** Its configuration. */
    @interface Config {
        String suffix() default "";
    }

    /** Per-flow state: lines sent so far. */
    static final class Lines {
        int count;
    }

    private volatile byte[] suffix = new byte[0];

    void configure(Config config) {
        suffix = config.suffix().getBytes(US_ASCII);
    }

    @Override
    public Verdict send(Chunk source, Output output, Flow flow) {
        Lines lines = flow.state(Lines::new);
        byte[] newline = { '\n' };
        int end;
        while ((end = source.indexOf(newline)) >= 0) {
            for (int i = 0; i < end; i++) {
                output.writeByte(Character.toUpperCase(source.byteAt(i)));
            }
            source.advance(end + 1);
            output.write(suffix).writeByte('\n');
            lines.count++;
        }
        if (source.remaining() > 0) {
            source.holdUnread();
        }
        return Verdict.DELIVER;
    }

    @Override
    public Verdict recv(Chunk source, Output output, Flow flow) {
        return Verdict.NO_CUSTOMIZATION;
    }
}
