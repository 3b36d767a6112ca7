/**
 * TCP (RFC 9293) in the stack.
 *
 * <ul>
 *   <li>{@link layer45.mnet.socket.tcp.TcpLayer}: the transport the network layers hand segments to; finds the
 *       connection, opens connections for listeners, answers the rest with RST, runs every timer from one
 *       {@link layer45.mnet.socket.tcp.TimerQueue}, and keeps the buffer memory budget.</li>
 *   <li>{@link layer45.mnet.socket.tcp.TcpConnection}: one connection's control block and state machine, with its
 *       options, loss recovery and timers; {@link layer45.mnet.socket.tcp.TcpListener}: a passive open.</li>
 *   <li>The user's side: {@link layer45.mnet.socket.tcp.TcpStream} (read, write, finish, close, abort),
 *       {@link layer45.mnet.socket.tcp.TcpHandler} (what the user hears) and
 *       {@link layer45.mnet.socket.tcp.TcpAcceptor}; {@link layer45.mnet.socket.tcp.TappedStream} puts the
 *       customization chain between a connection and its user.</li>
 *   <li>The parts below the state machine: modular sequence arithmetic
 *       ({@link layer45.mnet.socket.tcp.SeqNumber}), the send and receive buffers (the latter reassembles
 *       out-of-order segments and reports SACK blocks), the sender's {@link layer45.mnet.socket.tcp.SackScoreboard},
 *       the retransmission timer's estimator (RFC 6298), pluggable congestion control (NewReno and CUBIC) and
 *       initial sequence numbers (RFC 6528).</li>
 * </ul>
 *
 * <p>Everything here is used by the stack's loop thread only (except the runtime's aborts, handed over through a
 * queue), allocates its memory when a connection opens and nothing per segment, and answers hostile input with
 * counters rather than exceptions.
 */
package layer45.mnet.socket.tcp;
