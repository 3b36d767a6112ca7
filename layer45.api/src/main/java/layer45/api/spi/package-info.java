/**
 * The service provider interface between a network stack and the layer45 runtime.
 *
 * <p>A stack (such as {@code layer45.mnet}) terminates flows and hands their bytes to the runtime: it
 * {@linkplain layer45.api.spi.FlowTap#open opens} a {@link layer45.api.spi.TappedFlow} for every flow, passes
 * every chunk through it in each direction, and closes it. The runtime matches the flow against loaded
 * customizations, runs their chains, and gives the bytes to deliver to a {@link layer45.api.spi.ChunkSink}.
 * Customization authors do not need this package.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package layer45.api.spi;
