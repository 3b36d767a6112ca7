package layer45.api.runtime;

import java.util.List;
import java.util.Map;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Loads customization jars into the runtime: the ones an operator installs by path ({@code insmod}), and the ones
 * dropped into the autoload folder, which the runtime watches.
 *
 * <p>Replacing a jar installs the new version next to the old one: its modules take over the names and new flows,
 * while flows attached to the old version finish on it (the old modules are deprecated and the old bundle goes
 * when their last flow closes). A jar that is not a bundle, cannot resolve against this runtime's API, or provides
 * no valid customization is refused with the reason, and nothing else changes.
 */
@ProviderType
public interface DeploymentService {

    /**
     * Installs a customization jar and waits until its modules are live, as {@code insmod} does.
     *
     * <p>Parameters are {@code key=value} pairs given before the modules start: the target and control parameters
     * of {@link layer45.api.CustomizationService} (with or without their {@code layer45.} prefix, such as
     * {@code priority} or {@code remote.port}), and the module's own configuration properties (such as
     * {@code start.tag}). A key may be prefixed with a module name and a colon ({@code echo-tag-client:priority})
     * to set it for one module of a jar that provides several.
     *
     * @param path the jar's path
     * @param parameters the parameters; may be empty
     * @return the deployment, ACTIVE
     * @throws Layer45Exception {@link ErrorCode#INVALID_PARAMETER} (nothing installed), or
     *         {@link ErrorCode#REFUSED} with the reason the jar was refused
     */
    DeploymentDTO install(String path, Map<String, String> parameters);

    /**
     * @return the jars loaded, loading or draining, and the autoload jars refused (until they are replaced or
     *         removed), by source; an {@link #install} that is refused throws, and leaves nothing here
     */
    List<DeploymentDTO> deployments();

    /** @return the autoload folder's absolute path */
    String autoloadDirectory();
}
