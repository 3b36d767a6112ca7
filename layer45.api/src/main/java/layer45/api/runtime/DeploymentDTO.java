package layer45.api.runtime;

/** A customization jar the runtime loaded (or refused) from the autoload folder or an explicit install. */
public class DeploymentDTO {
    /** The jar's path. */
    public String source;
    /** "autoload" (found in the autoload folder) or "insmod" (installed by an operator). */
    public String origin;
    /** Where it stands. */
    public DeploymentState state;
    /** Why it was refused, or "". */
    public String reason;
    /** The installed bundle's id, or -1 when there is no bundle (refused before installing). */
    public long bundleId;
    /** The bundle's symbolic name, or "" if it has none. */
    public String symbolicName;
    /** The bundle's version, or "". */
    public String version;
    /** The jar's size in bytes. */
    public long size;
    /** The jar's SHA-256, in hex. */
    public String sha256;
    /** The layer45 API versions the bundle accepts (its import range of {@code layer45.api}), or "". */
    public String apiRange;
    /** Names of the customization modules it provides. */
    public String[] modules;
    /** When it was installed (or refused), in epoch milliseconds. */
    public long time;
}
