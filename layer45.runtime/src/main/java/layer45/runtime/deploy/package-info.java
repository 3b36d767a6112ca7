/**
 * Loading customization jars: from the autoload folder ({@link layer45.runtime.deploy.AutoloadWatcher}) and by an
 * operator's {@code insmod} ({@link layer45.runtime.deploy.Deployer}, the {@code DeploymentService}).
 *
 * <p>Every deployment runs on one thread, in order. A jar is read and checked first ({@link
 * layer45.runtime.deploy.JarFacts}), installed under a location naming its origin, path and content hash, started,
 * and given a moment to register its customizations; a jar that does not make it is uninstalled again, with the
 * reason kept for {@code lsmod}. A replacing jar is installed next to the one it replaces, whose modules drain. Private
 * to the runtime bundle.
 */
package layer45.runtime.deploy;
