/**
 * The relay: carries the flows the stack terminates on to their real destinations through the host's own sockets
 * (the host kernel is "layer 4 below"), and host ports into servers in the namespace (port forwards).
 *
 * <p>Each relayed flow runs its customization chain on virtual threads of its own, one per direction, not on the
 * stack's loop: a module that is slow or stuck holds only its own flow, and the runtime's watchdog aborts it. The loop
 * only moves bytes between a connection and a {@link layer45.mnet.relay.ByteRing} per direction.
 *
 * <p>Errors reach the program as it expects them: a host connection that is refused becomes a RST, an unreachable
 * destination an ICMP error, a reset on either side a reset on the other.
 */
package layer45.mnet.relay;
