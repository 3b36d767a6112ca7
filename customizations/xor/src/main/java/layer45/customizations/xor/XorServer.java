package layer45.customizations.xor;

import layer45.api.Customization;
import layer45.api.CustomizationService;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.metatype.annotations.Designate;

/** The server side of the original {@code sample_python_server_qd}: the application serves port 65432. */
// The service must be named: DS only registers interfaces the annotated class itself implements.
@Component(name = "xor-server", service = Customization.class)
@Designate(ocd = Xor.Config.class)
@CustomizationService(local_port = "65432")
public final class XorServer extends Xor {
}
