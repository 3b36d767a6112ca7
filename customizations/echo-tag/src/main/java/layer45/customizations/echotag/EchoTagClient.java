package layer45.customizations.echotag;

import layer45.api.CustomizationService;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.metatype.annotations.Designate;

/** The client side of the original sample: the application talks to port 65432 (the echo server). */
@Component(name = "echo-tag-client")
@Designate(ocd = EchoTag.Config.class)
@CustomizationService(remote_port = "65432")
public final class EchoTagClient extends EchoTag {
}
