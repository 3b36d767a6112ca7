package layer45.customizations.dnstag;

import java.lang.System.Logger.Level;

import layer45.api.Chunk;
import layer45.api.Flow;
import layer45.api.Output;
import layer45.api.Verdict;

/**
 * Per-flow state of the client on a DNS over TCP stream: tags each message inside the stream and fixes its length.
 *
 * <p>A message is not collected before it is passed on: once its length is known the new length and the tag are
 * written, and its bytes then stream through as they arrive, across chunks. Only a length split between two chunks
 * is held back.
 */
final class StreamTagger {

    private static final System.Logger LOG = System.getLogger("layer45.customizations.dnstag");
    private static final int EMSGSIZE = 90;

    /** Bytes of the current message still to pass through; 0 at a message boundary. */
    private int bodyLeft;

    Verdict tag(Chunk source, Output output, byte[] tag, Flow flow) {
        while (source.remaining() > 0) {
            if (bodyLeft > 0) {
                int n = Math.min(bodyLeft, source.remaining());
                output.transferFrom(source, n);
                bodyLeft -= n;
            } else if (source.remaining() < DnsOverTcp.PREFIX_LENGTH) {
                source.holdUnread(DnsOverTcp.PREFIX_LENGTH); // half a length: the other byte is on its way
                break;
            } else {
                int length = DnsOverTcp.messageLength(source);
                if (length > DnsOverTcp.MAX_MESSAGE - tag.length) {
                    long id = flow.id();
                    LOG.log(Level.INFO, () -> "dns-tag-client: a " + length + "-byte DNS message on flow " + id
                            + " is too long to tag (the tagged length must fit 2 bytes); aborting the flow");
                    return output.deliver(-EMSGSIZE);
                }
                source.advance(DnsOverTcp.PREFIX_LENGTH);
                DnsOverTcp.writeLength(output, length + tag.length);
                output.write(tag);
                bodyLeft = length;
            }
        }
        return Verdict.DELIVER;
    }
}
