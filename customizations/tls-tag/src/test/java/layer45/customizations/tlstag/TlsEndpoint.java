package layer45.customizations.tlstag;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLEngineResult.Status;
import javax.net.ssl.SSLException;

/** One end of a TLS connection driven by hand: the JDK's SSLEngine, what it has to send, and what it received. */
final class TlsEndpoint {

    private final SSLEngine engine;
    private final ByteBuffer toSend;
    private ByteBuffer netIn = ByteBuffer.allocate(1 << 16);
    private final ByteBuffer appIn;
    private final ByteArrayOutputStream received = new ByteArrayOutputStream();
    private boolean closing;

    /**
     * @param engine the engine, in client or server mode
     * @param appData what the application sends once the handshake allows
     */
    TlsEndpoint(SSLEngine engine, byte[] appData) throws SSLException {
        engine.beginHandshake();
        this.engine = engine;
        this.toSend = ByteBuffer.wrap(appData);
        this.appIn = ByteBuffer.allocate(engine.getSession().getApplicationBufferSize());
    }

    /** @return the TLS bytes the engine has to send now: handshake messages, application data, alerts */
    byte[] produce() throws SSLException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteBuffer net = ByteBuffer.allocate(engine.getSession().getPacketBufferSize());
        for (int i = 0; i < 10_000; i++) {
            runTasks();
            HandshakeStatus status = engine.getHandshakeStatus();
            boolean handshaking = status != HandshakeStatus.NOT_HANDSHAKING && status != HandshakeStatus.FINISHED;
            boolean work = handshaking ? status == HandshakeStatus.NEED_WRAP
                    : toSend.hasRemaining() || closing && !engine.isOutboundDone();
            if (!work) {
                break;
            }
            net.clear();
            SSLEngineResult result = engine.wrap(toSend, net);
            out.write(net.array(), 0, net.position());
            if (result.getStatus() == Status.CLOSED || result.bytesProduced() == 0) {
                break;
            }
        }
        return out.toByteArray();
    }

    /** Starts closing: the next {@link #produce()} sends close_notify. */
    void close() {
        engine.closeOutbound();
        closing = true;
    }

    /** @param bytes TLS bytes from the peer, as the network delivered them */
    void consume(byte[] bytes) throws SSLException {
        if (netIn.remaining() < bytes.length) {
            netIn = ByteBuffer.allocate(netIn.position() + bytes.length).put(netIn.flip());
        }
        netIn.put(bytes).flip();
        for (int i = 0; i < 10_000 && netIn.hasRemaining(); i++) {
            runTasks();
            SSLEngineResult result = engine.unwrap(netIn, appIn);
            received.write(appIn.array(), 0, appIn.position());
            appIn.clear();
            if (result.getStatus() != Status.OK || result.bytesConsumed() == 0 && result.bytesProduced() == 0) {
                break;
            }
        }
        netIn.compact();
    }

    private void runTasks() {
        for (Runnable task; (task = engine.getDelegatedTask()) != null;) {
            task.run();
        }
    }

    /** @return the application data received so far */
    byte[] received() {
        return received.toByteArray();
    }

    /** @return whether the peer's close_notify arrived */
    boolean inboundDone() {
        return engine.isInboundDone();
    }

    /** @return the protocol the handshake agreed on */
    String protocol() {
        return engine.getSession().getProtocol();
    }
}
