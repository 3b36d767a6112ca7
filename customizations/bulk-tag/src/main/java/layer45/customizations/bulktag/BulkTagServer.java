package layer45.customizations.bulktag;

import layer45.api.Chunk;
import layer45.api.Customization;
import layer45.api.CustomizationService;
import layer45.api.Flow;
import layer45.api.Output;
import layer45.api.Transport;
import layer45.api.Verdict;
import layer45.customizations.bulktag.stream.PeriodicTags;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.metatype.annotations.Designate;

/**
 * The sender ({@code bulk_server}): on the server's send path, a tag after every interval of the stream it sends;
 * what it receives passes.
 */
// The service must be named: DS only registers interfaces the annotated class itself implements.
@Component(name = "bulk-tag-server", service = Customization.class)
@Designate(ocd = BulkTag.Config.class)
@CustomizationService(protocol = Transport.TCP, local_port = "8000")
public final class BulkTagServer extends BulkTag {

    @Override
    public Verdict send(Chunk source, Output output, Flow flow) {
        PeriodicTags tags = flow.state(PeriodicTags::new);
        tags.schedule(schedule());
        tags.insert(source, output);
        if (source.remaining() > 0) {
            source.holdUnread(); // more than the output limit: the rest goes out with the next chunk
        }
        return Verdict.DELIVER;
    }

    @Override
    public Verdict recv(Chunk source, Output output, Flow flow) {
        return Verdict.NO_CUSTOMIZATION;
    }
}
