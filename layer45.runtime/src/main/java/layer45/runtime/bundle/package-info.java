/**
 * Facts read from module bundles' descriptors: Declarative Services components and Metatype documents. Shared by
 * the deployer (checking a jar before it starts), the module host (checking a module's own parameters) and the
 * shell (describing them). Private to the runtime bundle.
 */
package layer45.runtime.bundle;
