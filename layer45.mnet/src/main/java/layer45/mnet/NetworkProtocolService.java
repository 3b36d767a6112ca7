package layer45.mnet;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.osgi.service.component.annotations.ComponentPropertyType;

/**
 * Service properties of a {@link NetworkProtocolHandler}: the stack's own addresses on the protocol and the
 * destinations it carries. Put it on the handler's component:
 *
 * <pre>
 * &#64;Component(service = NetworkProtocolHandler.class)
 * &#64;NetworkProtocolService(addresses = "fd4d::1", routes = "fd4d::/16")
 * public final class MyProtocol implements NetworkProtocolHandler { ... }
 * </pre>
 *
 * <p>Addresses and prefixes are written as IPv6: a plugged-in protocol's addresses are 128 bits.
 */
@ComponentPropertyType
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.TYPE)
public @interface NetworkProtocolService {

    /** Prefix of the service property names: {@code layer45.mnet.addresses}, {@code layer45.mnet.routes}. */
    String PREFIX_ = "layer45.mnet.";

    /** @return the stack's own addresses on the protocol, such as {@code fd4d::1} */
    String[] addresses() default {};

    /** @return the destinations the protocol carries, as prefixes such as {@code fd4d::/16} */
    String[] routes() default {};
}
