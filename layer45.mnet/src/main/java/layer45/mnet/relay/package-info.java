/**
 * The relay: carries the flows the stack terminates on to their real destinations through the host's own sockets
 * (the host kernel is "layer 4 below"), and host ports into servers in the namespace (port forwards).
 *
 * <p>Each relayed flow runs its customization chain on virtual threads of its own, one per direction, not on the
 * stack's loop: a module that is slow or stuck holds only its own flow, and the runtime's watchdog aborts it. The loop
 * only moves bytes between a connection and a {@link layer45.mnet.socket.ByteRing} per direction.
 *
 * <p>Errors reach the program as it expects them: a host connection that is refused becomes a RST, an unreachable
 * destination an ICMP error, a reset on either side a reset on the other.
 *
 * <p>Host identifiers: DNS to the stack's own address goes through the name service ({@link
 * layer45.mnet.relay.ResolvingDatagrams}, {@link layer45.mnet.relay.ResolvingStream}), which answers identifiers'
 * names with virtual addresses; a flow to a virtual address is carried to the identifier's addresses in order
 * ({@link layer45.mnet.relay.FailoverConnector} for TCP, {@link layer45.mnet.relay.FailoverDatagrams} for UDP), and
 * each choice is reported ({@link layer45.mnet.mhost.TranslatedFlow}). The stack terminates the program's flow, so the
 * program keeps seeing the virtual address as its peer: nothing is rewritten in its packets, and the host's socket
 * speaks to the real address with the host kernel's own headers and checksums.
 */
package layer45.mnet.relay;
