package layer45.mnet.osgi;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * The host-identifier table's settings (configuration PID {@code layer45.mhost}). The runtime's configuration file
 * carries them as {@code mhost.<key>} ({@code conf/layer45.conf} documents each one). Identifiers are keys too:
 * {@code host.NAME = ADDRESS ...}, which no definition here can list.
 */
@ObjectClassDefinition(id = "layer45.mhost", name = "layer45 host identifiers",
        description = "Names that map to ordered addresses across network protocols, their file, and the virtual"
                + " addresses programs in a namespace reach them at")
public @interface MhostConfig {

    /** @return the file of identifiers */
    @AttributeDefinition(name = "File", description = "One identifier per line, NAME ADDRESS... (relative to"
            + " layer45.home); re-read when it changes; empty for none")
    String file() default "conf/mhosts";

    /** @return the IPv4 virtual prefix */
    @AttributeDefinition(name = "IPv4 virtual prefix", description = "Where the IPv4 addresses of identifiers in"
            + " a namespace come from; empty for none")
    String prefix4() default "10.46.0.0/16";

    /** @return the IPv6 virtual prefix */
    @AttributeDefinition(name = "IPv6 virtual prefix", description = "Where the IPv6 addresses of identifiers in"
            + " a namespace come from; empty for none")
    String prefix6() default "fd46::/64";

    /** @return the domain */
    @AttributeDefinition(name = "Domain", description = "The stack's DNS answers NAME and NAME.<domain>")
    String domain() default "mhost";

    /** @return the per-address connect timeout */
    @AttributeDefinition(name = "Connect timeout per address (ms)", description = "How long a TCP connection to"
            + " one address of an identifier may take before the next address is tried", min = "10",
            max = "600000")
    int connect_timeout_ms() default 1000;

    /** @return the DNS time to live */
    @AttributeDefinition(name = "DNS time to live (s)", description = "How long programs may cache an"
            + " identifier's virtual address", min = "0", max = "86400")
    int ttl_s() default 10;

    /** @return the file of operators' edits */
    @AttributeDefinition(name = "Edits file", description = "Where identifiers put and removed with l45:mhost are"
            + " kept across restarts (relative to layer45.home); the runtime sets it to mhost.edits in state.dir;"
            + " empty keeps them in memory only")
    String edits() default "";
}
