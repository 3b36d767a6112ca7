package layer45.customizations.aesgcm;

import layer45.api.Customization;
import layer45.api.CustomizationService;
import layer45.api.Transport;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.metatype.annotations.Designate;

/** The server's side: the application serves port 8000 ({@code python3 -m http.server}'s) over TCP. */
// The service must be named: DS only registers interfaces the annotated class itself implements.
@Component(name = "aes-gcm-server", service = Customization.class)
@Designate(ocd = AesGcm.Config.class)
@CustomizationService(protocol = Transport.TCP, local_port = "8000")
public final class AesGcmServer extends AesGcm {

    /** A server: sends server-to-client records, receives client-to-server ones. */
    public AesGcmServer() {
        super("aes-gcm-server", WireFormat.SERVER_TO_CLIENT, WireFormat.CLIENT_TO_SERVER);
    }
}
