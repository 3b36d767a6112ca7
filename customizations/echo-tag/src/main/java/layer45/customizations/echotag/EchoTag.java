package layer45.customizations.echotag;

import static java.nio.charset.StandardCharsets.US_ASCII;

import layer45.api.Chunk;
import layer45.api.Customization;
import layer45.api.Flow;
import layer45.api.Output;
import layer45.api.Verdict;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * Wraps what the application sends in a start and an end tag, and unwraps what it receives.
 *
 * <p>A TCP stream does not keep the sender's chunk boundaries, so receiving is framing: the module reads frames
 * {@code <start>payload<end>} one after another, holds a partial frame back until the rest arrives
 * ({@link Chunk#holdUnread()}), and delivers the payloads. A stream that does not begin with a start tag is not
 * tagged: it passes unchanged for the rest of the flow. Bytes that break the framing after that are a protocol
 * error and abort the flow (rule 4). A datagram is one frame; an untagged one is left to the next module. The
 * payload must not contain the end tag (as in the original).
 */
public abstract class EchoTag implements Customization {

    /** The tags, from the component's configuration. */
    @ObjectClassDefinition(name = "layer45 echo tag", description = "Tags wrapped around each chunk sent")
    public @interface Config {
        /** @return the start tag */
        @AttributeDefinition(name = "Start tag", description = "US-ASCII text written before each chunk sent")
        String start_tag() default "<start>";

        /** @return the end tag */
        @AttributeDefinition(name = "End tag", description = "US-ASCII text written after each chunk sent")
        String end_tag() default "<end>";
    }

    /** The tags in force; replaced whole when the configuration changes, so a call sees one consistent pair. */
    private volatile Tags tags = new Tags("<start>".getBytes(US_ASCII), "<end>".getBytes(US_ASCII));

    /** @param config the tags */
    @Activate
    @Modified
    protected void configure(Config config) {
        if (config.start_tag().isEmpty() || config.end_tag().isEmpty()) {
            throw new IllegalArgumentException("echo tag: start.tag and end.tag must not be empty");
        }
        tags = new Tags(config.start_tag().getBytes(US_ASCII), config.end_tag().getBytes(US_ASCII));
    }

    @Override
    public Verdict send(Chunk source, Output output, Flow flow) {
        Tags t = flow.state(Framing::new).tags(this.tags);
        output.write(t.start);
        output.transferFrom(source, source.remaining());
        output.write(t.end);
        return Verdict.DELIVER;
    }

    @Override
    public Verdict recv(Chunk source, Output output, Flow flow) {
        Framing framing = flow.state(Framing::new);
        Tags t = framing.tags(this.tags);
        if (flow.info().transport().isDatagram()) {
            return unwrapDatagram(source, output, t);
        }
        if (framing.untagged) {
            return Verdict.NO_CUSTOMIZATION;
        }
        if (!framing.started) {
            if (source.remaining() < t.start.length && isPrefix(source, t.start)) {
                source.holdUnread(t.start.length); // too short to tell yet
                return Verdict.DROP;
            }
            if (!source.startsWith(t.start)) {
                framing.untagged = true; // the peer does not tag: leave this stream alone
                return Verdict.NO_CUSTOMIZATION;
            }
            framing.started = true;
        }
        while (source.remaining() > 0) {
            if (!source.startsWith(t.start)) {
                if (source.remaining() < t.start.length && isPrefix(source, t.start)) {
                    source.holdUnread(t.start.length);
                    break;
                }
                return output.deliver(-71); // EPROTO: bytes between frames; the stream is corrupt
            }
            int end = source.indexOf(t.end);
            if (end < 0) {
                source.holdUnread(); // the rest of this frame is still on its way
                break;
            }
            source.advance(t.start.length);
            output.transferFrom(source, end - t.start.length);
            source.advance(t.end.length);
        }
        return Verdict.DELIVER;
    }

    private static Verdict unwrapDatagram(Chunk source, Output output, Tags t) {
        int length = source.length();
        if (length < t.start.length + t.end.length || !source.startsWith(t.start)) {
            return Verdict.TRY_NEXT;
        }
        source.advance(length - t.end.length);
        boolean endsWithTag = source.startsWith(t.end);
        source.revert(length - t.end.length);
        if (!endsWithTag) {
            return Verdict.DROP; // a start tag without its end: a truncated datagram
        }
        source.advance(t.start.length);
        output.transferFrom(source, length - t.start.length - t.end.length);
        return Verdict.DELIVER;
    }

    private static boolean isPrefix(Chunk source, byte[] tag) {
        return source.regionMatches(0, tag, 0, source.remaining());
    }

    private record Tags(byte[] start, byte[] end) {
    }

    /** Per-flow state: the tags the flow started with (they stay for its lifetime) and where its framing is. */
    private static final class Framing {
        private Tags tags;
        private boolean started;
        private boolean untagged;

        Tags tags(Tags current) {
            if (tags == null) {
                tags = current;
            }
            return tags;
        }
    }
}
