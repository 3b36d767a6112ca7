package layer45.customizations.aesgcm;

import layer45.api.Customization;
import layer45.api.CustomizationService;
import layer45.api.Transport;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.metatype.annotations.Designate;

/** The client's side: the application talks to port 8000 ({@code python3 -m http.server}'s) over TCP. */
// The service must be named: DS only registers interfaces the annotated class itself implements.
@Component(name = "aes-gcm-client", service = Customization.class)
@Designate(ocd = AesGcm.Config.class)
@CustomizationService(protocol = Transport.TCP, remote_port = "8000")
public final class AesGcmClient extends AesGcm {

    /** A client: sends client-to-server records, receives server-to-client ones. */
    public AesGcmClient() {
        super("aes-gcm-client", WireFormat.CLIENT_TO_SERVER, WireFormat.SERVER_TO_CLIENT);
    }
}
