package layer45.customizations.tlstag;

import layer45.api.Chunk;
import layer45.api.Customization;
import layer45.api.CustomizationService;
import layer45.api.Flow;
import layer45.api.Output;
import layer45.api.Transport;
import layer45.api.Verdict;
import layer45.customizations.bulktag.stream.TaggingModule;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.metatype.annotations.Designate;

/**
 * The receiver ({@code overhead_test_tls_client}, buffering branch): on the TLS client's receive path, strips the
 * tags and delivers whole TLS records.
 *
 * <p>The tags fall anywhere in the ciphertext, across record headers included. The module reads the records
 * through the tags, delivers each one whole as soon as it is complete and holds the rest back
 * ({@link Chunk#holdUnread(int)}, asking for the bytes that complete the record), so the TLS stack is handed
 * exactly the server's records, never a part of one. Only a record longer than the output limit goes out in
 * pieces. A byte that is not the tag where the tag belongs, bytes that are not a TLS record, or a stream that ends
 * inside a record or a tag, are a protocol error that aborts the flow. What the client sends passes.
 */
// The service must be named: DS only registers interfaces the annotated class itself implements.
@Component(name = "tls-tag-client", service = Customization.class)
@Designate(ocd = TaggingModule.Config.class)
@CustomizationService(protocol = Transport.TCP, remote_port = "443")
public final class TlsTagClient extends TaggingModule {

    @Override
    public Verdict send(Chunk source, Output output, Flow flow) {
        return Verdict.NO_CUSTOMIZATION;
    }

    @Override
    public Verdict recv(Chunk source, Output output, Flow flow) {
        TaggedRecords records = flow.state(TaggedRecords::new);
        started(records.tags);
        if (!records.tags.tagsMatch(source) || !records.deliverWhole(source, output)) {
            return output.deliver(-EPROTO);
        }
        if (source.remaining() == 0 || records.tags.skipCompleteTag(source)) {
            return Verdict.DELIVER;
        }
        if (source.endOfStream()) {
            return output.deliver(-EPROTO); // the stream ended inside a record or a tag
        }
        source.holdUnread(records.rawNeeded(source));
        return Verdict.DELIVER;
    }
}
