package layer45.customizations.dnspriority;

import layer45.api.Customization;
import layer45.api.CustomizationService;
import layer45.api.Transport;

import org.osgi.service.component.annotations.Component;

/**
 * Strips {@code XTAGLOW} tags from the queries {@code dnsmasq} receives and leaves any other query to the next
 * module ({@code dns_server_low_priority}).
 */
// The service must be named: DS only registers interfaces the annotated class itself implements.
@Component(name = "dns-server-low-priority", service = Customization.class)
@CustomizationService(process = "dnsmasq", protocol = Transport.UDP, local_port = "53", priority = 200)
public final class LowPriorityServer extends PriorityServer {

    /** Creates the module. */
    public LowPriorityServer() {
        super(PriorityTag.LOW);
    }
}
