package layer45.runtime.deploy;

/**
 * Who signed the loaded customization jars, and whether the runtime is tainted: an unsigned jar was loaded since it
 * started (allowed by {@code modules.signature = allow-unsigned}). As with the kernel's taint, it stays after the jar
 * is gone: its code ran in this process. A service of the runtime bundle, for its shell.
 */
public interface ModuleSignatures {

    /** The service property, on the {@code DeploymentService}, that holds {@link #taint()} for other bundles. */
    String TAINT_PROPERTY = "layer45.tainted";
    /** The service property that holds the SHA-256 of every loaded unsigned jar (a String[]). */
    String UNSIGNED_PROPERTY = "layer45.unsigned.sha256";

    /** @return why the runtime is tainted (the first unsigned jar loaded, and when), or "" if it is not */
    String taint();

    /**
     * @param bundleId a module's bundle
     * @return its signer's subject, "" if it is unsigned, or {@code null} if the bundle was not loaded from a jar
     */
    String signer(long bundleId);
}
