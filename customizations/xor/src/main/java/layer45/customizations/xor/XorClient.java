package layer45.customizations.xor;

import layer45.api.Customization;
import layer45.api.CustomizationService;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.metatype.annotations.Designate;

/** The client side of the original {@code sample_python_client_qd}: the application talks to port 65432. */
// The service must be named: DS only registers interfaces the annotated class itself implements.
@Component(name = "xor-client", service = Customization.class)
@Designate(ocd = Xor.Config.class)
@CustomizationService(remote_port = "65432")
public final class XorClient extends Xor {
}
