package layer45.customizations.dnspriority;

import layer45.api.Chunk;
import layer45.api.Customization;
import layer45.api.Flow;
import layer45.api.Output;
import layer45.api.Verdict;

/**
 * A server of the priority pairs: strips its own {@link PriorityTag} from a query datagram and leaves every other
 * datagram to the next module ({@link Verdict#TRY_NEXT}), so both servers can be attached to one socket and the
 * chain routes each query to the module of its tag, in whatever order they sit.
 *
 * <p>A datagram with neither tag passes both; if no module after them decides, it reaches the server unchanged: an
 * untagged query is answered, and a query with another tag (dns-tag's {@code XTAGdig}) arrives with that tag, which
 * the server cannot read. Put dns-tag-server after them to strip other tags and drop untagged queries. A datagram
 * that starts with this module's prefix but is shorter than a tag is dropped, never delivered with its tag.
 * Datagrams only, like the originals: a TCP stream and the answers pass on to the next module.
 */
public abstract class PriorityServer implements Customization {

    private final PriorityTag kind;

    /** @param kind the tag this server strips */
    protected PriorityServer(PriorityTag kind) {
        this.kind = kind;
    }

    @Override
    public Verdict recv(Chunk source, Output output, Flow flow) {
        if (!flow.info().transport().isDatagram() || !kind.starts(source)) {
            return Verdict.TRY_NEXT;
        }
        if (source.remaining() < PriorityTag.LENGTH) {
            return Verdict.DROP; // a tag cut short
        }
        source.advance(PriorityTag.LENGTH);
        output.transferFrom(source, source.remaining());
        return Verdict.DELIVER;
    }

    @Override
    public Verdict send(Chunk source, Output output, Flow flow) {
        return Verdict.TRY_NEXT; // answers are not tagged
    }
}
