package layer45.customizations.bulktag;

import layer45.api.Customization;
import layer45.api.CustomizationService;
import layer45.api.Transport;
import layer45.customizations.bulktag.stream.TagSender;
import layer45.customizations.bulktag.stream.TaggingModule;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.metatype.annotations.Designate;

/**
 * The sender ({@code bulk_server}): on the server's send path, a tag after every interval of the stream it sends;
 * what it receives passes.
 */
// The service must be named: DS only registers interfaces the annotated class itself implements.
@Component(name = "bulk-tag-server", service = Customization.class)
@Designate(ocd = TaggingModule.Config.class)
@CustomizationService(protocol = Transport.TCP, local_port = "8000")
public final class BulkTagServer extends TagSender {
}
