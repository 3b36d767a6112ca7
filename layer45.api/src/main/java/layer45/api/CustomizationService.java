package layer45.api;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.osgi.annotation.bundle.Requirement;
import org.osgi.service.component.annotations.ComponentPropertyType;

/**
 * Declares which flows a {@link Customization} component attaches to, and how it starts: a component property
 * type for Declarative Services.
 *
 * <pre>{@code
 * @Component(name = "dns-tag")
 * @CustomizationService(protocol = Transport.UDP, process = "dig", remote_port = "53", priority = 10)
 * public final class DnsTag implements Customization { ... }
 * }</pre>
 *
 * <p>Every element becomes a service property named {@code layer45.}<i>element</i> (with {@code _} read as
 * {@code .}). They are also the module's parameters: values in the component's configuration (set before the
 * bundle starts, the way {@code insmod} takes {@code module_param}s) override these defaults, and an operator
 * can change them while the module is loaded through the runtime's configuration
 * ({@code layer45.module.}<i>name</i> in Configuration Admin); the runtime applies changes to open flows.
 *
 * <p>A flow matches when every element matches. Every element is a list: several strings, or one string with
 * comma-separated values; an empty list (or an empty string) matches anything.
 * <ul>
 * <li>Protocols are {@code tcp}, {@code udp} or {@code any}, in any case.</li>
 * <li>Names ({@link #process()}, {@link #thread()}) are compared, case-sensitively, with Linux task names, which
 *     the kernel truncates to 15 bytes: {@code my-service-worker} is seen as {@code my-service-work}, so write
 *     the truncated name. A {@code *} at the start and/or end is a wildcard ({@code *} any name, {@code isc-*} a
 *     prefix, {@code *-worker} a suffix, {@code *net*} a part); a {@code *} anywhere else is an error. A flow
 *     whose owner is unknown has empty names and matches only {@code *}.</li>
 * <li>Addresses are IP literals, never host names: CIDR prefixes ({@code 10.0.0.0/8}, {@code fd00::/8}) or
 *     single addresses, without host bits set beyond the prefix. An IPv4 prefix also matches IPv4-mapped IPv6
 *     addresses.</li>
 * <li>Ports are single ports ({@code 53}, 1 to 65535) or inclusive ranges ({@code 8000-8100}).</li>
 * </ul>
 * A value that does not parse, or a {@code layer45.*} property that is not one of these (a misspelling), makes
 * the runtime refuse the module, with the reason, instead of guessing.
 *
 * <p>Using this annotation also makes the bundle require a compatible layer45 runtime, so a customization built
 * for another major API version is refused at resolution, the way a kernel refuses a module with the wrong
 * vermagic.
 */
@ComponentPropertyType
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.TYPE)
@Requirement(namespace = CustomizationService.IMPLEMENTATION_NAMESPACE, name = CustomizationService.RUNTIME,
        version = CustomizationService.RUNTIME_VERSION)
public @interface CustomizationService {

    /** Prefix of every property this annotation defines. */
    String PREFIX_ = "layer45.";

    /** Property {@value}: transports to match, {@code tcp}, {@code udp} or {@code any} (String[]). */
    String PROTOCOL = "layer45.protocol";
    /** Property {@value}: process (tgid) task-name patterns (String[]). */
    String PROCESS = "layer45.process";
    /** Property {@value}: thread (pid) task-name patterns (String[]). */
    String THREAD = "layer45.thread";
    /** Property {@value}: remote address prefixes (String[]). */
    String REMOTE_ADDRESS = "layer45.remote.address";
    /** Property {@value}: remote ports and port ranges (String[]). */
    String REMOTE_PORT = "layer45.remote.port";
    /** Property {@value}: local address prefixes (String[]). */
    String LOCAL_ADDRESS = "layer45.local.address";
    /** Property {@value}: local ports and port ranges (String[]). */
    String LOCAL_PORT = "layer45.local.port";
    /** Property {@value}: chain position, lower first (Integer, 0 to 65535). */
    String PRIORITY = "layer45.priority";
    /** Property {@value}: whether the module customizes when attached (Boolean). */
    String ACTIVE = "layer45.active";
    /** Property {@value}: whether the module also attaches to flows already open (Boolean). */
    String APPLY_NOW = "layer45.apply.now";

    /** Capability namespace of the runtime requirement. */
    String IMPLEMENTATION_NAMESPACE = "osgi.implementation";
    /** Name of the capability the layer45 runtime provides. */
    String RUNTIME = "layer45.runtime";
    /** Version of the runtime capability this API requires. */
    String RUNTIME_VERSION = "1.0.0";

    /** Default chain position: in the middle of the 0..65535 range, so modules can go either side. */
    int DEFAULT_PRIORITY = 1000;

    /** @return transports to attach to; both by default */
    Transport[] protocol() default { Transport.TCP, Transport.UDP };

    /** @return process (tgid) name patterns, such as {@code dig} or {@code python3}; any by default */
    String[] process() default "*";

    /** @return thread (pid) name patterns, such as {@code isc-net-*}; any by default */
    String[] thread() default "*";

    /** @return remote address prefixes; any by default */
    String[] remote_address() default {};

    /** @return remote ports or ranges; any by default */
    String[] remote_port() default {};

    /** @return local address prefixes; any by default */
    String[] local_address() default {};

    /** @return local ports or ranges; any by default */
    String[] local_port() default {};

    /**
     * @return chain position from 0 to 65535: lower runs first, ties run in module-name order
     */
    int priority() default DEFAULT_PRIORITY;

    /**
     * @return whether the module customizes from the start; an inactive module is attached to matching flows
     *         (and counted) but not called until activated
     */
    boolean active() default true;

    /**
     * @return whether the module also attaches to flows already open when it is loaded (the original's
     *         {@code applyNow}); otherwise only to flows opened afterwards
     */
    boolean apply_now() default false;
}
