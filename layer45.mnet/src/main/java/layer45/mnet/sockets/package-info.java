/**
 * The sockets of programs inside the runtime ({@link layer45.mnet.HostSockets}): datagram and stream sockets on the
 * stack's own transports that address peers by host identifier, with the host-identifier table's translation and
 * failover ({@link layer45.mnet.mhost.TranslatedFlow} records each choice).
 *
 * <p>Stack state stays on the loop thread: a program's thread hands its work to the loop ({@link LoopAccess}) and
 * waits on its own side, in bounded queues ({@link layer45.mnet.socket.ByteRing} per direction of a connection, a
 * bounded queue of datagrams per socket). The loop never blocks on a program.
 */
package layer45.mnet.sockets;
