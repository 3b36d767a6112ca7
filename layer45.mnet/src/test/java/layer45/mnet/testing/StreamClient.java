package layer45.mnet.testing;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Random;

import layer45.mnet.socket.tcp.TcpHandler;
import layer45.mnet.socket.tcp.TcpStream;

/**
 * A TCP user for tests: writes a seeded random stream of a given length, then finishes, and digests everything it
 * reads, so both directions can be compared by SHA-256.
 */
public final class StreamClient implements TcpHandler {

    private final long total;
    private final Random random;
    private final MessageDigest sent = sha256();
    private final MessageDigest received = sha256();
    private final ByteBuffer out = ByteBuffer.allocate(16384);
    private final ByteBuffer in = ByteBuffer.allocate(65536);
    /** Everything sent and read, for tests that look for the first difference; null unless asked for. */
    public java.io.ByteArrayOutputStream sentBytes;
    public java.io.ByteArrayOutputStream readBytes;
    private long written;
    private long read;
    private boolean opened;
    private String closedReason;
    private String sentDigest;
    private String receivedDigest;

    /**
     * @param total bytes to send
     * @param seed the stream's seed
     */
    public StreamClient(long total, long seed) {
        this.total = total;
        this.random = new Random(seed);
        out.limit(0);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    @Override
    public void opened(TcpStream c) {
        opened = true;
        writable(c);
    }

    @Override
    public void writable(TcpStream c) {
        while (written < total || out.hasRemaining()) {
            if (!out.hasRemaining()) {
                int n = (int) Math.min(out.capacity(), total - written);
                out.clear().limit(n);
                random.nextBytes(out.array());
                sent.update(out.array(), 0, n);
                if (sentBytes != null) {
                    sentBytes.write(out.array(), 0, n);
                }
                written += n;
            }
            if (c.write(out) == 0) {
                return;
            }
        }
        c.shutdownOutput();
    }

    @Override
    public void readable(TcpStream c) {
        while (c.readable() > 0) {
            in.clear();
            int n = c.read(in);
            received.update(in.array(), 0, n);
            if (readBytes != null) {
                readBytes.write(in.array(), 0, n);
            }
            read += n;
        }
    }

    @Override
    public void closed(TcpStream c, String reason) {
        closedReason = reason;
    }

    /** @return whether the connection was established */
    public boolean opened() {
        return opened;
    }

    /** @return why it closed, or {@code null} while open */
    public String closedReason() {
        return closedReason;
    }

    /** @return bytes read */
    public long read() {
        return read;
    }

    /** @return the SHA-256 of what was sent, once everything was written */
    public String sentDigest() {
        if (sentDigest == null && written == total && !out.hasRemaining()) {
            sentDigest = HexFormat.of().formatHex(sent.digest());
        }
        return sentDigest;
    }

    /** @return the SHA-256 of what was read */
    public String receivedDigest() {
        if (receivedDigest == null) {
            receivedDigest = HexFormat.of().formatHex(received.digest());
        }
        return receivedDigest;
    }
}
