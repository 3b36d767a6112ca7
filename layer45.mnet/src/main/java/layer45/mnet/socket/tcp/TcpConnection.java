package layer45.mnet.socket.tcp;

import java.nio.ByteBuffer;

import layer45.mnet.TcpConnectionStatus;
import layer45.mnet.iface.NetworkLayer;
import layer45.mnet.wire.IpAddress;
import layer45.mnet.wire.IpEndpoint;
import layer45.mnet.wire.IpProtocol;
import layer45.mnet.wire.TcpOptions;
import layer45.mnet.wire.TcpPacket;

/**
 * One TCP connection: its control block and the RFC 9293 state machine, with MSS, window scaling and timestamps
 * (RFC 7323), selective acknowledgments (RFC 2018, recovery after RFC 6675), retransmission timeouts (RFC 6298),
 * fast retransmit and NewReno recovery (RFC 5681, RFC 6582) with a pluggable {@link CongestionControl}, delayed ACKs,
 * zero-window probes, keep-alive, and RST/SYN/ACK checks hardened per RFC 5961.
 *
 * <p>Its user reads and writes through {@link #read}, {@link #write}, {@link #shutdownOutput}, {@link #close} and
 * {@link #abort}, and hears about it through its {@link TcpHandler}. The receive window is the free space of the
 * receive buffer: a user that reads slowly slows the sender down.
 *
 * <p>Loop thread only; nothing is allocated per segment.
 */
public final class TcpConnection implements TcpStream {

    static final long NEVER = Long.MAX_VALUE;
    private static final int SACK_RANGES = 16;
    private static final int RECEIVE_RANGES = 32;
    /** Challenge ACKs a connection sends per second at most (RFC 5961 section 7). */
    static final int CHALLENGES_PER_SECOND = 10;
    /** Duplicate ACKs (or segments' worth of SACKed data) that mean loss (RFC 5681's DupThresh). */
    private static final int DUP_THRESHOLD = 3;
    /**
     * What a connection in TIME_WAIT holds instead of its buffers: nothing to send, nothing to read, and never
     * written (TIME_WAIT takes no data), so one pair serves every connection of every stack.
     */
    private static final SendBuffer NO_SEND_BUFFER = new SendBuffer(1, false);
    private static final ReceiveBuffer NO_RECEIVE_BUFFER = new ReceiveBuffer(1, 0, false);

    private final TcpLayer layer;
    private final TcpSettings settings;
    final NetworkLayer network;
    final long localHigh;
    final long localLow;
    final int localPort;
    final long remoteHigh;
    final long remoteLow;
    final int remotePort;
    private final long id;
    private TcpHandler handler;
    /** What the handler is given: the connection itself, or the connection seen through the customization chain. */
    private TcpStream face = this;
    /** The listener a passive open came through, until the connection is accepted. */
    TcpListener listener;
    /** The relay's handler for a connection accepted through a held SYN ({@link TcpConnectRequest#accept}). */
    TcpHandler forwardedTo;
    /** Whether the connection goes to its handler without the customization chain (a relay runs it itself). */
    boolean untapped;
    /**
     * Whether the connection's application is a program in the stack's runtime (a socket of the API) rather than the
     * endpoint beyond the device: customizations then see what the stack's side writes as sent.
     */
    boolean applicationInStack;
    /** The runtime's flow for an untapped connection, as its relay reports it; 0 for none. */
    private volatile long runtimeFlowId;

    private TcpState state;

    // Send sequence space (RFC 9293 section 3.3.1)
    private final int iss;
    private int sndUna;
    private int sndNxt;
    /** The highest sequence number sent; above {@link #sndNxt} after a timeout rewound it. */
    private int sndMax;
    private int sndWnd;
    private int sndWl1;
    private int sndWl2;
    private int maxSndWnd;
    private int sndShift;
    private SendBuffer sendBuffer;
    /** The sequence number after the last byte the application queued; the FIN's, once {@link #finQueued}. */
    private int writeSeq;
    /** Bytes the user queued, and bytes received in order: for operators. */
    private long bytesWritten;
    private long bytesReceived;
    private boolean finQueued;

    // Receive sequence space
    private int irs;
    private int rcvNxt;
    private int rcvShift;
    /** Whether both sides offered window scaling (RFC 7323 section 2.2): only then are windows shifted. */
    private boolean scaling;
    private ReceiveBuffer receiveBuffer;
    /** The right edge of the window last advertised: never moved left (RFC 9293 section 3.8.6.2.2). */
    private int rcvEdge;
    private boolean finReceived;
    private boolean finPending;
    private int finPendingSeq;
    private boolean readClosed;

    // Options
    private final int receiveMss;
    private int sendMss;
    private boolean sackOk;
    private boolean timestampsOk;
    private final int tsOffset;
    private int tsRecent;
    private int lastAckSent;

    // Loss recovery and congestion
    private final RttEstimator rtt;
    private final CongestionControl cc;
    private final SackScoreboard scoreboard = new SackScoreboard(SACK_RANGES);
    private int dupAcks;
    private boolean inRecovery;
    private boolean recoverSet;
    private int recover;
    private int inflation;
    private int recoveryRetransmitted;
    private int retransmitNext;
    /** Whether the segment at {@link #sndUna} was retransmitted in this recovery, when {@link #sndMax} was this. */
    private boolean unaRetransmitted;
    private int unaRetransmitMark;
    private long rttTimedAt = -1;
    private int rttTimedSeq;
    private int retries;

    // Timers, on the stack's clock; NEVER when off
    private long rtoAt = NEVER;
    private long ackAt = NEVER;
    private long persistAt = NEVER;
    /** The persist timer found the window too small for a full segment for a while: send what it takes. */
    private boolean swsOverride;
    private long keepAliveAt = NEVER;
    private long closeAt = NEVER;
    /** When the current second of challenge ACKs began, and how many were sent in it. */
    private long challengeSecond = Long.MIN_VALUE / 2;
    private int challenges;
    private long lastReceived;
    private long lastSent;
    private int probes;
    /** Zero-window probes sent since the peer last said anything. */
    private int windowProbes;

    // Pending acknowledgment and what the handler is to hear
    private boolean ackNow;
    private int segmentsUnacked;
    private boolean tellOpened;
    private boolean tellReadable;
    private boolean tellWritable;
    private String closeReason;
    private boolean told;

    /** Index in the layer's timer queue, or -1. */
    int timerIndex = -1;
    /** Whether the layer has it queued for output. */
    boolean dirty;
    /** Buffer bytes reserved from the layer's memory budget. */
    long reserved;
    /** Whether it counts in its listener's half-open connections. */
    boolean halfOpen;

    TcpConnection(TcpLayer layer, long id, NetworkLayer network, long localHigh, long localLow, int localPort,
            long remoteHigh, long remoteLow, int remotePort, int iss, int tsOffset, long now) {
        this.layer = layer;
        this.settings = layer.settings();
        this.id = id;
        this.network = network;
        this.localHigh = localHigh;
        this.localLow = localLow;
        this.localPort = localPort;
        this.remoteHigh = remoteHigh;
        this.remoteLow = remoteLow;
        this.remotePort = remotePort;
        this.iss = iss;
        this.sndUna = iss;
        this.sndNxt = iss;
        this.sndMax = iss;
        this.writeSeq = iss + 1;
        this.tsOffset = tsOffset;
        this.receiveMss = Math.max(536, network.maxTransportLength() - TcpPacket.MIN_HEADER_LENGTH);
        this.sendMss = 536; // RFC 9293 section 3.7.1: the default until the peer says otherwise
        this.rcvShift = Math.max(0, settings.receiveWindowScale());
        this.rtt = new RttEstimator(settings.minRto().toNanos(), settings.maxRto().toNanos(),
                settings.initialRto().toNanos());
        this.cc = CongestionControls.byName(settings.congestionControl()).create();
        this.lastReceived = now;
        this.lastSent = now;
    }

    // ---------------------------------------------------------------------------------------------------------
    // Opening
    // ---------------------------------------------------------------------------------------------------------

    /** Active open: allocates the buffers and sends SYN. */
    void openActive(TcpHandler handler, SendBuffer send, ReceiveBuffer receive, long now) {
        this.handler = handler;
        this.sendBuffer = send;
        this.receiveBuffer = receive;
        this.state = TcpState.SYN_SENT;
        this.sndWnd = 1; // lets the SYN out; the peer's SYN-ACK sets the real window
        armRto(now);
    }

    /**
     * Passive open: a SYN came to a listener. Records the peer's options; the SYN-ACK goes out at the next transmit.
     */
    void openPassive(TcpPacket syn, TcpOptions options, long now) {
        this.state = TcpState.SYN_RECEIVED;
        this.irs = syn.seqNumber();
        this.rcvNxt = irs + 1;
        this.sndWnd = syn.window(); // never scaled in a SYN
        this.sndWl1 = irs;
        this.sndWl2 = iss;
        this.maxSndWnd = sndWnd;
        takeSynOptions(options);
        if (timestampsOk) {
            tsRecent = options.tsVal();
        }
        rcvEdge = rcvNxt + synWindow(); // what the SYN-ACK advertises, before buffers exist
        armRto(now);
    }

    /** @return the window a SYN or SYN-ACK advertises: never scaled (RFC 7323 section 2.2) */
    private int synWindow() {
        return Math.min(65535, receiveBuffer == null ? settings.receiveBuffer() : receiveBuffer.window());
    }

    private void takeSynOptions(TcpOptions options) {
        int peerMss = options.mss() > 0 ? options.mss() : 536;
        sendMss = Math.max(64, Math.min(peerMss, network.maxTransportLength() - TcpPacket.MIN_HEADER_LENGTH));
        scaling = options.windowScale() >= 0 && settings.receiveWindowScale() >= 0;
        sndShift = scaling ? Math.min(options.windowScale(), 14) : 0;
        if (!scaling) {
            rcvShift = 0;
        }
        sackOk = settings.sack() && options.sackPermitted();
        timestampsOk = settings.timestamps() && options.hasTimestamps();
    }

    private void established(long now) {
        state = TcpState.ESTABLISHED;
        retries = 0;
        lastReceived = now;
        cc.init(dataMss(), now);
        armKeepAlive(now);
        tellOpened = true;
        layer.count(TcpEvent.CONNECTIONS_OPENED);
        if (listener != null) {
            listener.established(this);
        }
    }

    /** Gives a passively opened connection its buffers, once it is established and its memory was reserved. */
    void attachBuffers(SendBuffer send, ReceiveBuffer receive) {
        this.sendBuffer = send;
        this.receiveBuffer = receive;
    }

    /**
     * Gives up the send buffer once the connection is CLOSED or in TIME_WAIT, for the layer to reuse: nothing can be
     * written or sent any more. In TIME_WAIT the shared stand-in takes its place; the stand-in is never given up, as
     * it holds one byte and serves every connection of every stack.
     *
     * @return the buffer, or {@code null} if there is none, it is the stand-in, or the connection is not closed
     */
    SendBuffer releaseSendBuffer() {
        if (!holdsNoMoreData() || sendBuffer == NO_SEND_BUFFER) {
            return null;
        }
        SendBuffer b = sendBuffer;
        sendBuffer = state == TcpState.TIME_WAIT ? NO_SEND_BUFFER : null;
        return b;
    }

    /**
     * Gives up the receive buffer once the connection is CLOSED or in TIME_WAIT and nothing in it is left to read,
     * for the layer to reuse; a buffer with unread bytes stays, for the user to read. In TIME_WAIT the shared stand-in
     * takes its place, and it is never given up.
     *
     * @return the buffer, or {@code null} if there is none, it is the stand-in, it holds unread bytes, or the
     *         connection is not closed
     */
    ReceiveBuffer releaseReceiveBuffer() {
        if (!holdsNoMoreData() || receiveBuffer == null || receiveBuffer == NO_RECEIVE_BUFFER
                || receiveBuffer.readable() > 0) {
            return null;
        }
        ReceiveBuffer b = receiveBuffer;
        receiveBuffer = state == TcpState.TIME_WAIT ? NO_RECEIVE_BUFFER : null;
        return b;
    }

    /** @return whether the connection is CLOSED or in TIME_WAIT: it sends and takes no data any more */
    private boolean holdsNoMoreData() {
        return state == TcpState.CLOSED || state == TcpState.TIME_WAIT;
    }

    /**
     * Records the customization runtime's flow of a connection whose user runs the chain itself (a relay), for
     * operators. Any thread.
     *
     * @param id the runtime's flow id
     */
    public void runtimeFlowId(long id) {
        this.runtimeFlowId = id;
    }

    /** @return the stack's end of the connection */
    public java.net.InetSocketAddress stackEndpoint() {
        return new java.net.InetSocketAddress(network.toInetAddress(localHigh, localLow), localPort);
    }

    /** @return the network layer the connection runs over */
    public layer45.mnet.iface.NetworkLayer network() {
        return network;
    }

    /** @return the end beyond the device: the application in the namespace */
    public java.net.InetSocketAddress deviceEndpoint() {
        return new java.net.InetSocketAddress(network.toInetAddress(remoteHigh, remoteLow), remotePort);
    }

    /** @param handler who hears about the connection from now on (an accepting service) */
    public void handler(TcpHandler handler) {
        handler(handler, this);
    }

    /**
     * @param handler who hears about the connection from now on
     * @param face what it is given to read and write through
     */
    public void handler(TcpHandler handler, TcpStream face) {
        this.handler = handler;
        this.face = face;
        if (state.synchronized_() || state == TcpState.CLOSED) {
            tellOpened = true;
            if (readable() > 0 || finReceived) {
                tellReadable = true;
            }
            layer.markDirty(this);
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // The user's side
    // ---------------------------------------------------------------------------------------------------------

    /** @return the connection's identifier in this stack */
    @Override
    public long id() {
        return id;
    }

    /** @return the state */
    public TcpState state() {
        return state;
    }

    /** @return bytes received in order and not read yet */
    @Override
    public int readable() {
        return receiveBuffer == null ? 0 : receiveBuffer.readable();
    }

    /** @return whether the peer finished sending and everything it sent was read */
    @Override
    public boolean finished() {
        return finReceived && readable() == 0;
    }

    /**
     * Reads received bytes; the window opens by as much.
     *
     * @param dst where to put them, from its position
     * @return bytes read
     */
    @Override
    public int read(ByteBuffer dst) {
        if (readable() == 0) {
            return 0;
        }
        int n = receiveBuffer.read(dst);
        if (n > 0) {
            windowOpened();
        }
        return n;
    }

    /**
     * Copies received bytes without reading them.
     *
     * @param offset where to start, in bytes after the first unread byte
     * @param dst the destination
     * @param dstIndex the absolute index in it
     * @param length how many, at most {@link #readable()} less {@code offset}
     */
    public void peek(int offset, ByteBuffer dst, int dstIndex, int length) {
        if (receiveBuffer != null) { // gone once closed with nothing left to read
            receiveBuffer.copyReadable(offset, dst, dstIndex, length);
        }
    }

    /** @param n bytes to read without copying them anywhere (after {@link #peek}) */
    @Override
    public void consume(int n) {
        if (n > 0) {
            receiveBuffer.consume(n);
            windowOpened();
        }
    }

    private void windowOpened() {
        int window = receiveBuffer.window();
        int growth = rcvNxt + window - rcvEdge;
        // Receiver-side silly window avoidance (RFC 9293 section 3.8.6.2.2): announce growth in large steps only.
        if (growth >= Math.min(receiveBuffer.capacity() / 2, 2 * receiveMss) || rcvEdge == rcvNxt && window > 0) {
            ackNow = true;
            layer.markDirty(this);
        }
    }

    /** @return bytes {@link #write} would take now */
    @Override
    public int writable() {
        return sendBuffer == null || finQueued || !state.sendsData() ? 0 : sendBuffer.free();
    }

    /**
     * Queues bytes to send.
     *
     * @param src the bytes, from its position; the position moves past what was taken
     * @return bytes taken: less than offered when the send buffer is full, 0 when the connection cannot send
     */
    @Override
    public int write(ByteBuffer src) {
        if (writable() == 0) {
            return 0;
        }
        int n = sendBuffer.write(src);
        writeSeq += n;
        bytesWritten += n;
        if (n > 0) {
            layer.markDirty(this);
        }
        return n;
    }

    /** Finishes sending: a FIN follows the queued bytes (RFC 9293's CLOSE while the peer may still send). */
    @Override
    public void shutdownOutput() {
        if (finQueued) {
            return;
        }
        switch (state) {
            case SYN_SENT -> {
                abortQuietly("closed before it was established");
                return;
            }
            case SYN_RECEIVED, ESTABLISHED -> state = state == TcpState.ESTABLISHED ? TcpState.FIN_WAIT_1 : state;
            case CLOSE_WAIT -> state = TcpState.LAST_ACK;
            default -> {
                return;
            }
        }
        finQueued = true;
        layer.markDirty(this);
    }

    /**
     * Closes both directions: sends what is queued, then FIN. Unread data, or data arriving later, resets the
     * connection instead, as Linux does, so the peer learns that it was not read.
     */
    @Override
    public void close() {
        if (state == TcpState.CLOSED) {
            return;
        }
        if (readable() > 0) {
            abort("closed with unread data");
            return;
        }
        readClosed = true;
        shutdownOutput();
        if (state == TcpState.FIN_WAIT_2) {
            closeAt = layer.now() + settings.finWait2Timeout().toNanos();
            layer.timersChanged(this);
        }
    }

    /**
     * Resets the connection: RST to the peer, and the handler hears {@code closed} with the reason.
     *
     * @param reason why, for logs
     */
    @Override
    public void abort(String reason) {
        if (state == TcpState.CLOSED) {
            return;
        }
        if (state != TcpState.SYN_SENT && state != TcpState.TIME_WAIT) {
            layer.sendReset(this, sndMax);
        }
        layer.count(TcpEvent.CONNECTIONS_ABORTED);
        enterClosed(reason);
    }

    /**
     * The attempt to connect failed: an ICMP error said the destination cannot be reached. No RST: nothing answered.
     *
     * @param why what the error said
     */
    void unreachable(layer45.mnet.iface.Unreachable why) {
        abortQuietly("connection failed: " + why.words());
    }

    private void abortQuietly(String reason) {
        layer.count(TcpEvent.CONNECTIONS_ABORTED);
        enterClosed(reason);
    }

    // ---------------------------------------------------------------------------------------------------------
    // Segment arrives (RFC 9293 section 3.10.7)
    // ---------------------------------------------------------------------------------------------------------

    /**
     * Processes one segment for this connection.
     *
     * @param seg the segment, checked and checksummed
     * @param options its options, parsed
     * @param now the stack's clock
     */
    void receive(TcpPacket seg, TcpOptions options, long now) {
        lastReceived = now;
        probes = 0;
        windowProbes = 0;
        if (state == TcpState.SYN_SENT) {
            receiveInSynSent(seg, options, now);
        } else {
            receiveSynchronized(seg, options, now);
        }
        if (state != TcpState.CLOSED) {
            armKeepAlive(now);
            layer.timersChanged(this);
        }
    }

    private void receiveInSynSent(TcpPacket seg, TcpOptions options, long now) {
        int ack = seg.ackNumber();
        boolean ackAcceptable = seg.ack() && SeqNumber.gt(ack, iss) && SeqNumber.le(ack, sndMax);
        if (seg.ack() && !ackAcceptable) {
            if (!seg.rst()) {
                layer.sendBareReset(this, ack);
            }
            return;
        }
        if (seg.rst()) {
            if (ackAcceptable) {
                layer.count(TcpEvent.RESETS_RECEIVED);
                abortQuietly("connection refused");
            }
            return;
        }
        if (!seg.syn()) {
            return;
        }
        irs = seg.seqNumber();
        rcvNxt = irs + 1;
        takeSynOptions(options);
        if (timestampsOk) {
            tsRecent = options.tsVal();
        }
        rcvEdge = rcvNxt + synWindow();
        if (ackAcceptable) {
            sndUna = ack;
            sndWnd = seg.window(); // a SYN-ACK's window is not scaled either (RFC 7323 section 2.2)
            sndWl1 = seg.seqNumber();
            sndWl2 = ack;
            maxSndWnd = sndWnd;
            sampleRtt(options, ack, now);
            stopRto();
            established(now);
            ackNow = true;
            if (seg.payloadLength() > 0 || seg.fin()) {
                receiveText(seg, 1, now);
            }
        } else {
            // Simultaneous open (RFC 9293 figure 7): answer with SYN-ACK from the same ISS.
            state = TcpState.SYN_RECEIVED;
            sndWnd = seg.window();
            sndWl1 = seg.seqNumber();
            sndWl2 = iss;
            maxSndWnd = sndWnd;
            sndNxt = iss;
            armRto(now);
        }
    }

    private void receiveSynchronized(TcpPacket seg, TcpOptions options, long now) {
        int seq = seg.seqNumber();
        int payload = seg.payloadLength();
        int segLength = payload + (seg.syn() ? 1 : 0) + (seg.fin() ? 1 : 0);
        int window = rcvEdge - rcvNxt;
        if (window < 0) {
            window = 0;
        }

        // PAWS (RFC 7323 section 5.3), with Linux's tolerance of one tick: a peer's millisecond clock makes a segment
        // reordered behind a later one look one tick old, and dropping it only costs a retransmission.
        if (timestampsOk && options.hasTimestamps() && !seg.rst() && segLength > 0
                && tsRecent - options.tsVal() > 1) {
            layer.count(TcpEvent.PAWS_REJECTED);
            sendAckNow(now);
            return;
        }

        // The peer's SYN-ACK in SYN_RECEIVED after a simultaneous open (RFC 9293 figure 8, line 6): its SYN is the
        // one we have already, and what counts is what follows it, starting at RCV.NXT (its ACK, any data).
        boolean oldSynAck = state == TcpState.SYN_RECEIVED && seg.syn() && seg.ack() && seq == irs;

        // First: is the segment in the window?
        if (!acceptable(oldSynAck ? seq + 1 : seq, oldSynAck ? segLength - 1 : segLength, window)) {
            if (state == TcpState.TIME_WAIT && seg.fin()) {
                restartTimeWait(now);
            }
            if (!seg.rst()) {
                layer.count(TcpEvent.OUT_OF_WINDOW);
                sendAckNow(now);
            }
            return;
        }
        if (timestampsOk && options.hasTimestamps() && SeqNumber.le(seq, lastAckSent)
                && SeqNumber.ge(options.tsVal(), tsRecent)) {
            tsRecent = options.tsVal();
        }

        // Second: RST (RFC 5961 section 3.2); ignored in TIME_WAIT (RFC 1337)
        if (seg.rst()) {
            if (state == TcpState.TIME_WAIT) {
                return;
            }
            if (seq == rcvNxt) {
                layer.count(TcpEvent.RESETS_RECEIVED);
                abortQuietly(state == TcpState.SYN_RECEIVED ? "connection refused" : "connection reset by peer");
            } else {
                challenge(now);
            }
            return;
        }

        // Fourth: SYN (RFC 5961 section 4)
        if (seg.syn() && !oldSynAck) {
            if (state == TcpState.SYN_RECEIVED && seq == irs) {
                sndNxt = iss; // our SYN-ACK was lost: send it again
                return;
            }
            challenge(now);
            return;
        }

        // Fifth: ACK
        if (!seg.ack()) {
            return;
        }
        int ack = seg.ackNumber();
        if (state == TcpState.SYN_RECEIVED) {
            if (SeqNumber.gt(ack, sndUna) && SeqNumber.le(ack, sndMax)) {
                sndWnd = seg.syn() ? seg.window() : seg.window() << sndShift; // a SYN's window is never scaled
                sndWl1 = seq;
                sndWl2 = ack;
                maxSndWnd = Math.max(maxSndWnd, sndWnd);
                sndUna = ack;
                sampleRtt(options, ack, now);
                stopRto();
                if (listener != null && !layer.establishPassive(this)) {
                    return; // refused for memory or backlog: reset and gone
                } // else a simultaneous open: an active open, its buffers were there from the start
                established(now);
                if (finQueued) {
                    state = TcpState.FIN_WAIT_1;
                }
            } else {
                layer.sendBareReset(this, ack);
                return;
            }
        } else if (!processAck(seg, options, ack, now)) {
            return;
        }
        if (state == TcpState.CLOSED) {
            return;
        }

        // Seventh and eighth: text and FIN
        receiveText(seg, SeqNumber.diff(seq, rcvNxt), now); // negative: the segment starts with bytes we have
    }

    /**
     * Sends a challenge ACK (RFC 5961), at most {@link #CHALLENGES_PER_SECOND} a second per connection (section 7):
     * a flood of forged segments cannot make the stack flood the peer. The limit is the connection's own, so that
     * one connection's count tells an off-path attacker nothing about another's (CVE-2016-5696 came from a global
     * limit).
     */
    private void challenge(long now) {
        if (now - challengeSecond >= 1_000_000_000L) {
            challengeSecond = now;
            challenges = 0;
        }
        if (challenges < CHALLENGES_PER_SECOND) {
            challenges++;
            layer.count(TcpEvent.CHALLENGE_ACKS);
            sendAckNow(now);
        } else {
            layer.count(TcpEvent.CHALLENGE_ACKS_LIMITED);
        }
    }

    private boolean acceptable(int seq, int segLength, int window) {
        if (segLength == 0) {
            return window == 0 ? seq == rcvNxt : SeqNumber.inWindow(seq, rcvNxt, window);
        }
        if (window == 0) {
            return seq == rcvNxt; // RFC 9293: keep ACKs and RSTs flowing; the data is trimmed away below
        }
        return SeqNumber.inWindow(seq, rcvNxt, window) || SeqNumber.inWindow(seq + segLength - 1, rcvNxt, window);
    }

    /** @return false if the segment is to be dropped after the ACK check */
    private boolean processAck(TcpPacket seg, TcpOptions options, int ack, long now) {
        if (SeqNumber.gt(ack, sndMax)) {
            layer.count(TcpEvent.ACK_UNSENT_DATA);
            sendAckNow(now);
            return false;
        }
        if (SeqNumber.lt(ack, sndUna - maxSndWnd)) {
            sendAckNow(now); // RFC 5961 section 5.2: far too old
            return false;
        }
        int window = seg.window() << sndShift;
        int flightBefore = sndMax - sndUna;
        int unaBefore = sndUna;
        int newlySacked = 0;
        if (sackOk && options.sackBlockCount() > 0) {
            for (int i = 0; i < options.sackBlockCount(); i++) {
                newlySacked += scoreboard.add(options.sackLeft(i), options.sackRight(i), SeqNumber.max(ack, sndUna),
                        sndMax);
            }
        }
        if (SeqNumber.gt(ack, sndUna)) {
            newAck(ack, flightBefore, options, now);
        }
        // A duplicate ACK: with SACK, any ACK that selectively acknowledges bytes not acknowledged before, whether it
        // carries data, moves the window or acknowledges new data too (RFC 6675 section 2), so that a peer sending
        // data of its own still signals loss; without SACK, RFC 5681's pure duplicate.
        boolean duplicate = sackOk
                ? newlySacked > 0
                : ack == sndUna && seg.payloadLength() == 0 && !seg.fin() && window == sndWnd;
        if (duplicate && sndMax != sndUna) {
            duplicateAck(flightBefore, now);
        }
        if (inRecovery && unaRetransmitted && SeqNumber.lt(sndUna, retransmitNext)
                && scoreboard.sackedAbove(unaRetransmitMark) > (DUP_THRESHOLD - 1) * dataMss()) {
            // Lost retransmission: more than DupThresh segments sent after the first hole's retransmission were
            // SACKed while the hole stayed open (as RACK, RFC 8985, infers). Send it again now rather than wait for
            // the retransmission timer; the lost copy leaves the pipe as this one enters it.
            int inPipe = recoveryRetransmitted;
            retransmitAt(sndUna, now);
            recoveryRetransmitted = inPipe;
            layer.markDirty(this);
        }
        // The send window (RFC 9293 3.10.7.4): only from an ACK at or above SND.UNA, since the usable window is
        // counted from SND.UNA; and always from one that moves SND.UNA (as Linux does), or a retransmitted segment,
        // old sequence number and new ACK, would move SND.UNA on under a window meant for an older one: the usable
        // window would then reach past the peer's right edge.
        if (SeqNumber.ge(ack, unaBefore) && (SeqNumber.gt(ack, unaBefore) || SeqNumber.lt(sndWl1, seg.seqNumber())
                || sndWl1 == seg.seqNumber() && SeqNumber.le(sndWl2, ack))) {
            boolean opened = sndWnd == 0 && window > 0;
            sndWnd = window;
            sndWl1 = seg.seqNumber();
            sndWl2 = ack;
            maxSndWnd = Math.max(maxSndWnd, window);
            if (opened) {
                persistAt = NEVER;
                layer.markDirty(this);
            }
        }
        boolean finAcked = finQueued && sndUna == finSeq() + 1;
        switch (state) {
            case FIN_WAIT_1 -> {
                if (finAcked) {
                    state = TcpState.FIN_WAIT_2;
                    if (readClosed) {
                        closeAt = now + settings.finWait2Timeout().toNanos();
                    }
                }
            }
            case CLOSING -> {
                if (finAcked) {
                    enterTimeWait(now);
                }
            }
            case LAST_ACK -> {
                if (finAcked) {
                    layer.count(TcpEvent.CONNECTIONS_CLOSED);
                    enterClosed("closed");
                    return false;
                }
            }
            case TIME_WAIT -> {
                if (seg.fin()) {
                    restartTimeWait(now);
                    sendAckNow(now);
                }
                return false;
            }
            default -> {
            }
        }
        return true;
    }

    private void newAck(int ack, int flightBefore, TcpOptions options, long now) {
        int acked = ack - sndUna;
        int dataAcked = (SeqNumber.lt(ack, writeSeq) ? ack : writeSeq) - dataStart(); // not the SYN, not the FIN
        sndUna = ack;
        if (SeqNumber.lt(sndNxt, sndUna)) {
            sndNxt = sndUna; // acknowledged while rewound after a timeout
        }
        if (dataAcked > 0) {
            sendBuffer.discard(dataAcked);
            tellWritable = true;
        }
        scoreboard.ackedTo(ack);
        retries = 0;
        long sample = sampleRtt(options, ack, now);
        if (inRecovery) {
            if (SeqNumber.ge(ack, recover)) {
                inRecovery = false;
                unaRetransmitted = false;
                inflation = 0;
                recoveryRetransmitted = 0;
                cc.onRecoveryEnd(now);
            } else {
                // Partial ACK (RFC 6582 section 3.2 step 5): the next hole was lost too.
                inflation = Math.max(0, inflation - acked) + dataMss();
                recoveryRetransmitted = Math.max(0, recoveryRetransmitted - acked);
                if (!sackRecovery()) {
                    retransmitAt(sndUna, now);
                } else if (SeqNumber.lt(sndUna, retransmitNext)) {
                    // The next hole was retransmitted already; segments sent from now on tell whether it got lost.
                    unaRetransmitted = true;
                    unaRetransmitMark = sndMax;
                } else {
                    unaRetransmitted = false;
                }
            }
        } else {
            cc.onAck(acked, flightBefore, sample, now);
        }
        dupAcks = 0;
        if (sndUna == sndMax) {
            stopRto();
        } else {
            armRto(now);
        }
        layer.markDirty(this);
    }

    private void duplicateAck(int flightBefore, long now) {
        layer.count(TcpEvent.DUPLICATE_ACKS);
        dupAcks++;
        if (inRecovery) {
            inflation += dataMss();
            layer.markDirty(this);
            return;
        }
        // RFC 6675's IsLost(HighACK + 1): more than (DupThresh - 1) segments' worth SACKed above the first hole.
        boolean lossBySack = sackOk && scoreboard.sackedAbove(sndUna) > (DUP_THRESHOLD - 1) * dataMss();
        if ((dupAcks >= DUP_THRESHOLD || lossBySack) && (!recoverSet || SeqNumber.ge(sndUna, recover))) {
            // Fast retransmit, then recovery (RFC 6582 section 3.2 steps 2-3).
            inRecovery = true;
            recoverSet = true;
            recover = sndMax;
            cc.onCongestionEvent(flightBefore, now);
            inflation = DUP_THRESHOLD * dataMss();
            recoveryRetransmitted = 0;
            retransmitNext = sndUna;
            rttTimedAt = -1; // Karn: the timed segment may be the lost one
            retransmitAt(sndUna, now);
            layer.markDirty(this);
        }
    }

    /** Retransmits one segment's worth of data (or the FIN) at a sequence number, whatever the windows say. */
    private void retransmitAt(int seq, long now) {
        int offset = seq - dataStart();
        int length = Math.min(segmentMss(), sendBuffer.size() - offset);
        boolean fin = finQueued && seq + Math.max(length, 0) == finSeq();
        if (length <= 0 && !fin) {
            return;
        }
        length = Math.max(length, 0);
        sendSegment(seq, length, fin, now);
        markRetransmitted(seq);
        layer.count(TcpEvent.FAST_RETRANSMITS);
        recoveryRetransmitted += length;
        retransmitNext = SeqNumber.max(retransmitNext, seq + length + (fin ? 1 : 0));
    }

    private void markRetransmitted(int seq) {
        if (seq == sndUna) {
            unaRetransmitted = true;
            unaRetransmitMark = sndMax;
        }
    }

    private long sampleRtt(TcpOptions options, int ack, long now) {
        long sample = -1;
        if (timestampsOk && options.hasTimestamps() && options.tsEcr() != 0) {
            int elapsedMillis = tsNow(now) - options.tsEcr();
            if (elapsedMillis >= 0) {
                sample = elapsedMillis * 1_000_000L;
            }
        } else if (rttTimedAt >= 0 && SeqNumber.gt(ack, rttTimedSeq)) {
            sample = now - rttTimedAt;
        }
        if (sample >= 0 && SeqNumber.gt(ack, rttTimedSeq)) {
            rttTimedAt = -1;
        }
        if (sample >= 0) {
            rtt.sample(sample);
        }
        return sample;
    }

    private void receiveText(TcpPacket seg, int startOffset, long now) {
        int payload = seg.payloadLength();
        int skip = startOffset < 0 ? -startOffset : 0;
        int offset = startOffset > 0 ? startOffset : 0;
        int dataStart = seg.syn() ? 1 : 0; // a SYN-ACK's data follows the SYN's sequence number
        if (skip > 0 && dataStart > 0) {
            skip--;
            dataStart = 0;
        }
        int length = payload - skip;
        if (length > 0) {
            if (!state.receivesData() || readClosed) {
                if (readClosed) {
                    abort("data arrived after the application closed the connection");
                }
                return;
            }
            boolean hadHoles = receiveBuffer.outOfOrderBytes() > 0;
            int grew = receiveBuffer.write(offset, seg.buffer(), seg.payloadOffset() + skip, length);
            if (grew < 0) {
                layer.count(TcpEvent.OUT_OF_ORDER_DROPPED);
                ackNow = true;
            } else if (offset > 0) {
                layer.count(TcpEvent.OUT_OF_ORDER_KEPT);
                ackNow = true; // a duplicate ACK with SACK tells the sender at once (RFC 5681 section 4.2)
            } else {
                if (grew > 0) {
                    rcvNxt += grew;
                    bytesReceived += grew;
                    layer.add(TcpEvent.BYTES_RECEIVED, grew);
                    tellReadable = true;
                }
                if (hadHoles) {
                    ackNow = true;
                } else if (++segmentsUnacked >= 2) {
                    ackNow = true;
                } else if (ackAt == NEVER) {
                    ackAt = now + settings.delayedAck().toNanos();
                }
            }
        }
        if (seg.fin()) {
            int fin = seg.seqNumber() + (seg.syn() ? 1 : 0) + payload;
            if (finReceived) {
                ackNow = true; // a retransmitted FIN: our ACK was lost
            } else if (SeqNumber.ge(fin, rcvNxt)) {
                finPending = true;
                finPendingSeq = fin;
            }
        }
        if (finPending && finPendingSeq == rcvNxt && !finReceived) {
            finPending = false;
            finReceived = true;
            rcvNxt++;
            ackNow = true;
            tellReadable = true;
            switch (state) {
                case SYN_RECEIVED, ESTABLISHED -> state = TcpState.CLOSE_WAIT;
                case FIN_WAIT_1 -> {
                    if (sndUna == finSeq() + 1) {
                        enterTimeWait(now);
                    } else {
                        state = TcpState.CLOSING;
                    }
                }
                case FIN_WAIT_2 -> enterTimeWait(now);
                default -> {
                }
            }
        }
        if (ackNow || ackAt != NEVER) {
            layer.markDirty(this);
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // Output
    // ---------------------------------------------------------------------------------------------------------

    /**
     * Sends what the windows allow: the SYN, retransmissions, new data, the FIN, and an ACK when one is due.
     *
     * @param now the stack's clock
     */
    void transmit(long now) {
        switch (state) {
            case CLOSED -> {
                return;
            }
            case SYN_SENT, SYN_RECEIVED -> {
                if (sndNxt == iss) {
                    sendSyn(now);
                } else if (ackNow && state == TcpState.SYN_RECEIVED) {
                    ackNow = false;
                }
                layer.timersChanged(this); // the SYN's retransmission timer, armed by the open or by sendSyn
                return;
            }
            default -> {
            }
        }
        boolean sent = false;
        int mss = segmentMss();
        while (true) {
            if (sackRecovery()) {
                int hole = scoreboard.nextUnsacked(SeqNumber.max(retransmitNext, sndUna));
                if (SeqNumber.lt(hole, scoreboard.highest())) {
                    int length = Math.min(mss, scoreboard.holeEnd(hole) - hole);
                    length = Math.min(length, sendBuffer.size() - (hole - dataStart()));
                    if (length > 0 && congestionAllowance() >= length) {
                        sendSegment(hole, length, false, now);
                        markRetransmitted(hole);
                        layer.count(TcpEvent.FAST_RETRANSMITS);
                        recoveryRetransmitted += length;
                        retransmitNext = hole + length;
                        sent = true;
                        continue;
                    }
                    if (length > 0) {
                        break; // wait for the pipe to drain
                    }
                }
            }
            int offset = sndNxt - dataStart();
            int available = sendBuffer.size() - offset;
            if (available > 0) {
                int peerRoom = sndUna + sndWnd - sndNxt;
                int room = Math.min(peerRoom, congestionAllowance());
                int length = Math.min(Math.min(available, mss), room);
                if (length <= 0) {
                    if (sndWnd == 0 && sndNxt == sndUna && persistAt == NEVER && rtoAt == NEVER) {
                        persistAt = now + rtt.rto(); // zero window: probe it (RFC 9293 section 3.8.6.1)
                    }
                    break;
                }
                // Sender-side silly window avoidance (RFC 9293 section 3.8.6.2.1), without Nagle's delay, for new data
                // only: what a timeout rewound is resent into whatever window there is, or it might never be. With
                // nothing in flight no ACK will come to change that: the persist timer overrides it (RFC 1122
                // 4.2.3.4 (4)), so that a window update lost while the window was small cannot stall the connection.
                boolean retransmission = SeqNumber.lt(sndNxt, sndMax);
                if (!retransmission && length < mss && length < available && length < maxSndWnd / 2 && !swsOverride) {
                    if (sndNxt == sndUna && persistAt == NEVER && rtoAt == NEVER) {
                        persistAt = now + rtt.rto();
                    }
                    break;
                }
                swsOverride = false;
                boolean fin = finQueued && length == available;
                if (sndUna == sndMax && now - lastSent > rtt.rto()) {
                    cc.onIdleRestart(now); // RFC 5681 section 4.1: no ACK clock after an idle period
                }
                if (!retransmission && rttTimedAt < 0 && !timestampsOk) {
                    rttTimedAt = now;
                    rttTimedSeq = sndNxt;
                }
                sendSegment(sndNxt, length, fin, now);
                sndNxt += length + (fin ? 1 : 0);
                sndMax = SeqNumber.max(sndMax, sndNxt);
                if (rtoAt == NEVER) {
                    armRto(now);
                }
                sent = true;
                continue;
            }
            if (finQueued && sndNxt == finSeq()) {
                sendSegment(sndNxt, 0, true, now);
                sndNxt++;
                sndMax = SeqNumber.max(sndMax, sndNxt);
                if (rtoAt == NEVER) {
                    armRto(now);
                }
                sent = true;
                continue;
            }
            break;
        }
        if (!sent && (ackNow || ackAt <= now)) {
            sendSegment(sndMax, 0, false, now);
        }
        swsOverride = false;
        layer.timersChanged(this);
    }

    /** @return whether recovery is driven by the SACK scoreboard (RFC 6675) rather than by NewReno's inflation */
    private boolean sackRecovery() {
        return inRecovery && sackOk && !scoreboard.isEmpty();
    }

    /** @return bytes the congestion window lets out now */
    private int congestionAllowance() {
        if (!inRecovery) {
            // Limited Transmit (RFC 3042, RFC 5681 section 3.2): each of the first two duplicate ACKs lets one new
            // segment out beyond the window, so that a small window still draws the duplicates that reveal a loss.
            int limited = sndNxt == sndMax ? Math.min(dupAcks, DUP_THRESHOLD - 1) * dataMss() : 0;
            return cc.window() + limited - (sndNxt - sndUna);
        }
        if (sackRecovery()) {
            int above = SeqNumber.gt(sndMax, scoreboard.highest()) ? sndMax - scoreboard.highest() : 0;
            return cc.window() - (above + recoveryRetransmitted);
        }
        return Math.max(cc.window() + inflation, dataMss()) - (sndMax - sndUna);
    }

    private void sendSyn(long now) {
        boolean answering = state == TcpState.SYN_RECEIVED;
        SegmentWriter w = layer.writer().begin(localPort, remotePort, iss, answering ? rcvNxt : 0,
                answering ? TcpPacket.SYN | TcpPacket.ACK : TcpPacket.SYN, synWindow());
        w.mss = receiveMss;
        if (answering ? scaling : settings.receiveWindowScale() >= 0) {
            w.windowScale = rcvShift;
        }
        w.sackPermitted = answering ? sackOk : settings.sack();
        if (answering ? timestampsOk : settings.timestamps()) {
            w.timestamps = true;
            w.tsVal = tsNow(now);
            w.tsEcr = answering ? tsRecent : 0;
        }
        if (layer.send(this, w)) {
            lastAckSent = w.ack;
        }
        sndNxt = iss + 1;
        sndMax = SeqNumber.max(sndMax, sndNxt);
        if (rtoAt == NEVER) {
            armRto(now);
        }
        ackNow = false;
    }

    /** Sends one segment carrying an ACK: payload from the send buffer, a FIN, or neither. */
    private void sendSegment(int seq, int length, boolean fin, long now) {
        int window = advertisedWindow();
        SegmentWriter w = layer.writer().begin(localPort, remotePort, seq, rcvNxt,
                TcpPacket.ACK | (fin ? TcpPacket.FIN : 0) | (length > 0 && seq + length == dataEnd() ? TcpPacket.PSH : 0),
                window >>> rcvShift);
        if (timestampsOk) {
            w.timestamps = true;
            w.tsVal = tsNow(now);
            w.tsEcr = tsRecent;
        }
        if (sackOk && receiveBuffer.rangeCount() > 0) {
            int max = timestampsOk ? 3 : 4;
            int[] lefts = layer.sackLefts();
            int[] rights = layer.sackRights();
            int blocks = receiveBuffer.sackBlocks(lefts, rights, max);
            for (int i = 0; i < blocks; i++) {
                w.sackEdges[2 * i] = rcvNxt + lefts[i];
                w.sackEdges[2 * i + 1] = rcvNxt + rights[i];
            }
            w.sackBlocks = blocks;
        }
        if (length > 0) {
            w.payload(sendBuffer, seq - dataStart(), length);
        }
        if (layer.send(this, w)) {
            lastAckSent = rcvNxt;
            rcvEdge = SeqNumber.max(rcvEdge, rcvNxt + window);
            ackNow = false;
            ackAt = NEVER;
            segmentsUnacked = 0;
            if (length > 0) {
                lastSent = now; // data only: what the idle restart measures
                layer.add(TcpEvent.BYTES_SENT, length);
            }
        }
    }

    private void sendAckNow(long now) {
        if (state == TcpState.SYN_RECEIVED || state == TcpState.SYN_SENT) {
            return;
        }
        // The highest sequence number sent: after a timeout rewound sndNxt, the peer may have received past it, and
        // an ACK below its window would be dropped unread.
        sendSegment(sndMax, 0, false, now);
    }

    /** @return the window to advertise, in bytes: the buffer's free space, never moving the right edge left */
    private int advertisedWindow() {
        int window = receiveBuffer.window();
        int promised = rcvEdge - rcvNxt;
        if (promised > window) {
            window = promised; // what we promised stays promised: the right edge never moves left
        }
        int max = 65535 << rcvShift;
        if (window > max) {
            window = max;
        }
        // Round down to the scale's unit: what the peer sees may end up to a unit short of what was promised (RFC
        // 7323 section 2.4 allows it), while the promise itself, rcvEdge, stays where it was. Rounding up instead
        // pushed the edge past the end of the buffer by up to a unit on every ACK that found the buffer short of
        // the promise, without bound: the peer then sent into a window that had no room, and what it sent was cut.
        return window & ~((1 << rcvShift) - 1);
    }

    // ---------------------------------------------------------------------------------------------------------
    // Timers
    // ---------------------------------------------------------------------------------------------------------

    /** @return when {@link #onTimer} next has work, or {@link #NEVER} */
    long deadline() {
        return Math.min(Math.min(rtoAt, ackAt), Math.min(Math.min(persistAt, keepAliveAt), closeAt));
    }

    /**
     * Runs the timers that are due.
     *
     * @param now the stack's clock
     */
    void onTimer(long now) {
        if (closeAt <= now) {
            closeAt = NEVER;
            if (state == TcpState.TIME_WAIT) {
                layer.count(TcpEvent.CONNECTIONS_CLOSED);
                enterClosed("closed");
            } else {
                abort("no FIN from the peer within " + settings.finWait2Timeout().toSeconds() + " s of closing");
            }
            return;
        }
        if (rtoAt <= now) {
            retransmitTimeout(now);
            if (state == TcpState.CLOSED) {
                return;
            }
        }
        if (persistAt <= now) {
            persistAt = NEVER;
            if (sndWnd == 0 && sendBuffer.size() > sndNxt - dataStart()) {
                if (windowProbes >= settings.dataRetries()) {
                    // A peer that keeps its window closed but answers may do so for ever (RFC 9293 3.8.6.1); one
                    // that answers nothing at all is gone.
                    layer.count(TcpEvent.CONNECTIONS_TIMED_OUT);
                    abort("the peer did not answer " + windowProbes + " zero-window probes");
                    return;
                }
                windowProbes++;
                layer.count(TcpEvent.WINDOW_PROBES);
                sendSegment(sndUna - 1, 0, false, now); // an old sequence number: the peer answers with its window
                rtt.backoff();
                persistAt = now + rtt.rto();
            } else if (sndNxt == sndUna && sendBuffer.size() > sndNxt - dataStart()) {
                swsOverride = true; // a window too small for a full segment: transmit sends into it anyway
            }
        }
        if (keepAliveAt <= now) {
            keepAliveAt = NEVER;
            if (probes >= settings.keepAliveProbes()) {
                layer.count(TcpEvent.CONNECTIONS_TIMED_OUT);
                abort("the peer did not answer " + probes + " keep-alive probes");
                return;
            }
            if (sndUna == sndMax && keepsAlive()) {
                probes++;
                layer.count(TcpEvent.KEEPALIVE_PROBES);
                sendSegment(sndUna - 1, 0, false, now);
                keepAliveAt = now + settings.keepAliveInterval().toNanos();
            } else {
                armKeepAlive(now);
                if (keepAliveAt <= now) {
                    // Data in flight and nothing heard for longer than the idle time: the retransmission timer is in
                    // charge. Look again an idle period on, not at once: lastReceived + idle is in the past and would
                    // make the timer fire again at the same instant, for ever.
                    keepAliveAt = now + settings.keepAliveIdle().toNanos();
                }
            }
        }
        if (ackAt <= now) {
            // The delayed ACK is due: transmit sends it. The timer is off either way, so that a device that cannot
            // take the ACK now does not keep the timer due and the loop spinning; the ACK goes with the next output.
            ackAt = NEVER;
            ackNow = true;
        }
        transmit(now);
    }

    private void retransmitTimeout(long now) {
        rtoAt = NEVER;
        layer.count(TcpEvent.RETRANSMIT_TIMEOUTS);
        boolean opening = state == TcpState.SYN_SENT || state == TcpState.SYN_RECEIVED;
        if (++retries > (opening ? settings.synRetries() : settings.dataRetries())) {
            layer.count(TcpEvent.CONNECTIONS_TIMED_OUT);
            if (opening) {
                abortQuietly("connection timed out: no answer to " + retries + " SYNs");
            } else {
                abort("connection timed out: data unacknowledged after " + (retries - 1) + " retransmissions");
            }
            return;
        }
        rtt.backoff();
        if (opening) {
            sndNxt = iss;
            return;
        }
        // RFC 6298 section 5 and RFC 5681 section 3.1: collapse the window and resend from the oldest unacknowledged.
        cc.onRetransmitTimeout(sndMax - sndUna, now);
        inRecovery = false;
        unaRetransmitted = false;
        inflation = 0;
        dupAcks = 0;
        recoveryRetransmitted = 0;
        recoverSet = true;
        recover = sndMax;
        scoreboard.clear();
        rttTimedAt = -1;
        sndNxt = sndUna;
        armRto(now);
    }

    private void armRto(long now) {
        rtoAt = now + rtt.rto();
        persistAt = NEVER;
    }

    private void stopRto() {
        rtoAt = NEVER;
    }

    /**
     * @return whether keep-alive probes the connection in its state: one that waits on the peer with no timer of its
     *         own. FIN_WAIT_2 too: after shutdownOutput() alone it has no timeout, and a peer that vanished would
     *         leave it there for ever.
     */
    private boolean keepsAlive() {
        return state == TcpState.ESTABLISHED || state == TcpState.CLOSE_WAIT || state == TcpState.FIN_WAIT_2;
    }

    private void armKeepAlive(long now) {
        long idle = settings.keepAliveIdle().toNanos();
        keepAliveAt = idle > 0 && keepsAlive() ? lastReceived + idle : NEVER;
    }

    private void enterTimeWait(long now) {
        state = TcpState.TIME_WAIT;
        rtoAt = NEVER;
        persistAt = NEVER;
        keepAliveAt = NEVER;
        if (readable() == 0) {
            // The pair lingers, its memory need not: everything sent was acknowledged (our FIN too) and everything
            // received was read, and TIME_WAIT takes no more data. Otherwise a burst of short connections closed
            // from this side would hold two buffers each for 2 MSL and exhaust the memory limit. The layer takes
            // them for its next connections and leaves the stand-ins in their place.
            layer.releaseBuffers(this);
        }
        restartTimeWait(now);
        tellReadable = true;
        closeReason = "closed"; // the user is done; the pair lingers in TIME_WAIT without it
    }

    private void restartTimeWait(long now) {
        closeAt = now + settings.timeWait().toNanos();
        layer.timersChanged(this);
    }

    private void enterClosed(String reason) {
        state = TcpState.CLOSED;
        rtoAt = NEVER;
        ackAt = NEVER;
        persistAt = NEVER;
        keepAliveAt = NEVER;
        closeAt = NEVER;
        closeReason = reason;
        layer.closed(this);
    }

    // ---------------------------------------------------------------------------------------------------------
    // Handler notifications, after processing
    // ---------------------------------------------------------------------------------------------------------

    /** Tells the handler what happened since the last call; the layer calls it once processing is done. */
    void tellHandler() {
        TcpHandler h = handler;
        if (h == null || told) {
            return;
        }
        if (tellOpened) {
            tellOpened = false;
            h.opened(face);
        }
        if (tellReadable && state != TcpState.CLOSED) {
            tellReadable = false;
            h.readable(face);
        }
        if (tellWritable && writable() > 0) {
            tellWritable = false;
            h.writable(face);
        }
        if ((state == TcpState.CLOSED || state == TcpState.TIME_WAIT) && !told) {
            told = true;
            h.closed(face, closeReason);
        }
    }

    /** @return the connection described for operators; the application is on the device's side (remote here) */
    TcpConnectionStatus status() {
        String remote = address(remoteHigh, remoteLow, remotePort);
        String local = address(localHigh, localLow, localPort);
        return new TcpConnectionStatus(network.protocol().name(), applicationInStack ? local : remote,
                applicationInStack ? remote : local, state.name(),
                face instanceof TappedStream tapped ? tapped.flowId() : runtimeFlowId,
                applicationInStack ? bytesWritten : bytesReceived, applicationInStack ? bytesReceived : bytesWritten,
                sendBuffer == null ? 0 : sendBuffer.size(), readable(), cc.window(),
                rtt.hasSample() ? rtt.srtt() / 1000 : -1);
    }

    private String address(long high, long low, int port) {
        // the short form operators know from UDP's flows ([fd45::2]:40000), not Java's full one
        return new IpEndpoint(IpAddress.of(network.toInetAddress(high, low)), port).toString();
    }

    /** Tells the handler about readable bytes again at the next flush (a customization's last bytes wait). */
    void tellReadableAgain() {
        tellReadable = true;
        layer.markDirty(this);
    }

    /** @return the handler, or {@code null} before one was given */
    TcpHandler handler() {
        return handler;
    }

    /** @return the next sequence number expected from the peer */
    int receiveNext() {
        return rcvNxt;
    }

    /**
     * @param seq a new SYN's sequence number
     * @return whether it may reopen this pair from TIME_WAIT: above everything the old connection received
     */
    boolean acceptsNewSyn(int seq) {
        return SeqNumber.gt(seq, rcvNxt);
    }

    /** Ends TIME_WAIT early: a new connection takes the pair. */
    void endTimeWait() {
        layer.count(TcpEvent.CONNECTIONS_CLOSED);
        enterClosed("closed");
    }

    // ---------------------------------------------------------------------------------------------------------
    // Sequence space helpers
    // ---------------------------------------------------------------------------------------------------------

    /** @return the sequence number of the send buffer's first byte */
    private int dataStart() {
        return writeSeq - sendBuffer.size();
    }

    /** @return the sequence number after the last queued byte */
    private int dataEnd() {
        return writeSeq;
    }

    /** @return the FIN's sequence number, once {@link #finQueued}: nothing is queued after it */
    private int finSeq() {
        return writeSeq;
    }

    /**
     * @return the payload bytes a segment sent now carries at most: {@link #dataMss()} less the SACK option it will
     *         carry, so that header, options and data never pass the peer's MSS and the path's MTU (RFC 6691)
     */
    private int segmentMss() {
        int blocks = sackOk && receiveBuffer != null ? Math.min(receiveBuffer.rangeCount(), timestampsOk ? 3 : 4) : 0;
        return blocks == 0 ? dataMss() : dataMss() - (TcpOptions.encodedLength(-1, -1, false, blocks, timestampsOk)
                - TcpOptions.encodedLength(-1, -1, false, 0, timestampsOk));
    }

    /** @return the payload bytes a full segment carries: the MSS less the options every segment has */
    private int dataMss() {
        return sendMss - (timestampsOk ? 12 : 0);
    }

    private int tsNow(long now) {
        return (int) (now / 1_000_000L) + tsOffset;
    }

    @Override
    public String toString() {
        return "TCP " + network.toInetAddress(localHigh, localLow).getHostAddress() + ":" + localPort + " <-> "
                + network.toInetAddress(remoteHigh, remoteLow).getHostAddress() + ":" + remotePort + " " + state
                + " snd una/nxt/max " + (sndUna - iss) + "/" + (sndNxt - iss) + "/" + (sndMax - iss) + " wnd " + sndWnd
                + " cwnd " + cc.window() + " ssthresh " + cc.slowStartThreshold() + (inRecovery ? " recovering" : "")
                + " queued " + (sendBuffer == null ? 0 : sendBuffer.size()) + " rcv nxt " + (rcvNxt - irs) + " edge "
                + (rcvEdge - rcvNxt) + " unread " + readable() + " rto " + rtt.rto() / 1_000_000 + " ms x" + retries;
    }

    /** @return the transport protocol number, for the flow table */
    static int protocol() {
        return IpProtocol.TCP;
    }
}
