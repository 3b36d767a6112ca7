package layer45.customizations.dnspriority;

import layer45.api.Customization;
import layer45.api.CustomizationService;
import layer45.api.Transport;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.metatype.annotations.Designate;

/**
 * Tags the DNS queries of {@code dig} with {@code XTAGLOW} ({@code dns_client_low_priority}). With the high client
 * loaded too it tags only once it runs first (a lower priority number) or the high client is gone or inactive.
 */
// The service must be named: DS only registers interfaces the annotated class itself implements.
@Component(name = "dns-client-low-priority", service = Customization.class)
@Designate(ocd = PriorityClient.Config.class)
@CustomizationService(process = "dig", protocol = Transport.UDP, remote_port = "53", priority = 200)
public final class LowPriorityClient extends PriorityClient {

    /** Creates the module. */
    public LowPriorityClient() {
        super(PriorityTag.LOW);
    }
}
