/**
 * TCP's parts below the connection state machine: modular sequence arithmetic ({@link
 * layer45.mnet.socket.tcp.SeqNumber}), the send and receive buffers (the latter reassembles out-of-order segments
 * and reports SACK blocks), the retransmission timer's estimator (RFC 6298), pluggable congestion control (NewReno
 * and CUBIC) and initial sequence numbers (RFC 6528).
 *
 * <p>Everything here is used by the stack's loop thread only, allocates its memory at construction and nothing per
 * segment, and answers hostile input with return codes rather than exceptions.
 */
package layer45.mnet.socket.tcp;
