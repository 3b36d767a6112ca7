package layer45.customizations.dnspriority;

import layer45.api.Customization;
import layer45.api.CustomizationService;
import layer45.api.Transport;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.metatype.annotations.Designate;

/**
 * Tags the DNS queries of {@code dig} with {@code XTAGHIGH} ({@code dns_client_high_priority}). Its default priority
 * puts it before the low client, so it is the one that tags when both are loaded.
 */
// The service must be named: DS only registers interfaces the annotated class itself implements.
@Component(name = "dns-client-high-priority", service = Customization.class)
@Designate(ocd = PriorityClient.Config.class)
@CustomizationService(process = "dig", protocol = Transport.UDP, remote_port = "53", priority = 100)
public final class HighPriorityClient extends PriorityClient {

    /** Creates the module. */
    public HighPriorityClient() {
        super(PriorityTag.HIGH);
    }
}
