package layer45.customizations.bulktag;

import layer45.api.Chunk;
import layer45.api.Customization;
import layer45.api.CustomizationService;
import layer45.api.Flow;
import layer45.api.Output;
import layer45.api.Transport;
import layer45.api.Verdict;
import layer45.customizations.bulktag.stream.PeriodicTags;
import layer45.customizations.bulktag.stream.TaggingModule;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.metatype.annotations.Designate;

/**
 * The receiver ({@code bulk_client}): on the client's receive path, strips the tags wherever the chunks cut them.
 *
 * <p>Data bytes are delivered at once; a tag cut by the end of a chunk is checked as far as it goes and held until
 * the rest arrives. A byte that is not the tag where the tag belongs, or a stream that ends inside a tag, is a
 * protocol error that aborts the flow. What the client sends passes.
 */
// The service must be named: DS only registers interfaces the annotated class itself implements.
@Component(name = "bulk-tag-client", service = Customization.class)
@Designate(ocd = TaggingModule.Config.class)
@CustomizationService(protocol = Transport.TCP, remote_port = "8000")
public final class BulkTagClient extends TaggingModule {

    @Override
    public Verdict send(Chunk source, Output output, Flow flow) {
        return Verdict.NO_CUSTOMIZATION;
    }

    @Override
    public Verdict recv(Chunk source, Output output, Flow flow) {
        PeriodicTags tags = started(flow.state(PeriodicTags::new));
        if (!tags.tagsMatch(source)) {
            return output.deliver(-EPROTO);
        }
        int available = tags.dataIn(source.remaining());
        int data = Math.min(available, output.maxLength());
        if (data > 0) {
            tags.strip(source, output, data);
        }
        if (source.remaining() == 0 || tags.skipCompleteTag(source)) {
            return Verdict.DELIVER;
        }
        if (data < available) {
            source.holdUnread(); // more than the output limit: the rest goes with the next chunk
        } else if (source.endOfStream()) {
            return output.deliver(-EPROTO); // the stream ended inside a tag
        } else {
            source.holdUnread(tags.tagLeft()); // part of a tag: call again once the rest is there
        }
        return Verdict.DELIVER;
    }
}
