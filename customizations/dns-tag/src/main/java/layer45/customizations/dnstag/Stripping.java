package layer45.customizations.dnstag;

import java.lang.System.Logger.Level;

import layer45.api.Chunk;
import layer45.api.Flow;
import layer45.api.FlowInfo;
import layer45.api.Output;
import layer45.api.Verdict;

/**
 * Per-flow state of the server: strips the tag from each DNS over TCP message and fixes its length, drops untagged
 * messages, and reports a flow's first untagged query.
 *
 * <p>A tagged message's rest streams through as it arrives, and an untagged one is skipped as it arrives; only the
 * start of a message (its length and tag) is held back until it is complete.
 */
final class Stripping {

    private static final System.Logger LOG = System.getLogger("layer45.customizations.dnstag");
    /** The start of a message that can carry a tag: its length and the tag. */
    private static final int TAGGED_START = DnsOverTcp.PREFIX_LENGTH + DnsTag.LENGTH;

    /** Bytes of the current message still to pass through or skip; 0 at a message boundary. */
    private int bodyLeft;
    /** Whether the current message is untagged, so its bytes are skipped. */
    private boolean skipping;
    private boolean reported;

    Verdict strip(Chunk source, Output output, Flow flow) {
        while (source.remaining() > 0) {
            if (bodyLeft > 0) {
                int n = Math.min(bodyLeft, source.remaining());
                if (skipping) {
                    source.advance(n);
                } else {
                    output.transferFrom(source, n);
                }
                bodyLeft -= n;
                continue;
            }
            if (source.remaining() < DnsOverTcp.PREFIX_LENGTH) {
                source.holdUnread(DnsOverTcp.PREFIX_LENGTH);
                break;
            }
            int length = DnsOverTcp.messageLength(source);
            boolean roomForTag = length >= DnsTag.LENGTH;
            if (roomForTag && source.remaining() < TAGGED_START) {
                source.holdUnread(TAGGED_START); // the tag, or what replaces it, is still on its way
                break;
            }
            source.advance(DnsOverTcp.PREFIX_LENGTH);
            skipping = !roomForTag || !DnsTag.startsWithMagic(source);
            if (skipping) {
                bodyLeft = length;
                untagged(flow);
            } else {
                source.advance(DnsTag.LENGTH);
                bodyLeft = length - DnsTag.LENGTH;
                DnsOverTcp.writeLength(output, bodyLeft);
            }
        }
        return Verdict.DELIVER;
    }

    /** Notes an untagged query being dropped; the first of each flow is logged (the runtime counts the drops). */
    void untagged(Flow flow) {
        if (!reported) {
            reported = true;
            long id = flow.id();
            FlowInfo info = flow.info();
            LOG.log(Level.DEBUG, () -> "dns-tag-server: dropping untagged DNS queries on flow " + id + " (" + info + ")");
        }
    }
}
