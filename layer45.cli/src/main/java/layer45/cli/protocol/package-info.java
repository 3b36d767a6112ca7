/**
 * The control socket's wire format, shared by the runtime (which embeds this package) and the client.
 *
 * <p>A connection carries one command line. Each direction is a sequence of frames: a type byte, a payload length
 * (4 bytes, big-endian, unsigned but at most {@link layer45.cli.protocol.ControlProtocol#MAX_DATA}), then the
 * payload. {@link layer45.cli.protocol.FrameType} lists the frames and who sends them;
 * {@link layer45.cli.protocol.FrameChannel} reads and writes them. The runtime's package
 * {@code layer45.runtime.control} describes the exchange in full.
 *
 * <p>JDK only: no OSGi, no third-party code, so the client runs on a bare JVM.
 */
package layer45.cli.protocol;
