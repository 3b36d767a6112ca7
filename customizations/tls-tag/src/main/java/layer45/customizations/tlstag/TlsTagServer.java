package layer45.customizations.tlstag;

import layer45.api.Customization;
import layer45.api.CustomizationService;
import layer45.api.Transport;
import layer45.customizations.bulktag.stream.TagSender;
import layer45.customizations.bulktag.stream.TaggingModule;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.metatype.annotations.Designate;

/**
 * The sender ({@code overhead_test_tls_server}): on the TLS server's send path, a tag after every interval of the
 * ciphertext it sends, blind to records; what it receives passes.
 */
// The service must be named: DS only registers interfaces the annotated class itself implements.
@Component(name = "tls-tag-server", service = Customization.class)
@Designate(ocd = TaggingModule.Config.class)
@CustomizationService(protocol = Transport.TCP, local_port = "443")
public final class TlsTagServer extends TagSender {
}
