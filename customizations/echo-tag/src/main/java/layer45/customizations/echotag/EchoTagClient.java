package layer45.customizations.echotag;

import layer45.api.Customization;
import layer45.api.CustomizationService;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.metatype.annotations.Designate;

/** The client side of the original sample: the application talks to port 65432 (the echo server). */
// The service must be named: DS only registers interfaces the annotated class itself implements.
@Component(name = "echo-tag-client", service = Customization.class)
@Designate(ocd = EchoTag.Config.class)
@CustomizationService(remote_port = "65432")
public final class EchoTagClient extends EchoTag {
}
