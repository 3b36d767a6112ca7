package layer45.customizations.xor;

import java.util.HexFormat;

import layer45.api.Chunk;
import layer45.api.Customization;
import layer45.api.Flow;
import layer45.api.Output;
import layer45.api.Verdict;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * XORs every byte of both directions with a repeating key: the original's "qd" sample pair, made stream safe.
 *
 * <p>XOR is its own inverse, so the same module encodes what its application sends and decodes what it receives;
 * with one on each end (or only the client in front of an echo server) the applications see their own bytes. In
 * a TCP flow each direction walks the key on from where its previous chunk stopped, so the result does not depend
 * on how the stream is cut into chunks (the original restarted the key at every call, and its server XORed the
 * application's whole buffer rather than the bytes received). A UDP datagram starts at the key's first byte: a
 * lost or reordered datagram must not shift the key for the next. This hides bytes from a casual look only; it is
 * not encryption.
 */
public abstract class Xor implements Customization {

    /** The key, from the component's configuration. */
    @ObjectClassDefinition(name = "layer45 xor", description = "XORs both directions with a repeating key")
    public @interface Config {
        /** @return the key as hexadecimal bytes */
        @AttributeDefinition(name = "Key", description = "Hexadecimal bytes, repeated over the stream: 10, a5c3")
        String key() default "10";
    }

    /** Bytes XORed per pass through the per-thread scratch buffer. */
    private static final int SCRATCH_SIZE = 8192;
    /** Error code (Linux {@code EMSGSIZE}) for a datagram larger than the output limit. */
    private static final int EMSGSIZE = 90;
    private static final ThreadLocal<byte[]> SCRATCH = ThreadLocal.withInitial(() -> new byte[SCRATCH_SIZE]);

    /** The key in force; replaced whole when the configuration changes. Open flows keep the key they began with. */
    private volatile byte[] key = { 0x10 };

    /** @param config the key */
    @Activate
    @Modified
    protected void configure(Config config) {
        key = parseKey(config.key());
    }

    /**
     * @param hex the key as hexadecimal digits, two per byte
     * @return the key's bytes
     * @throws IllegalArgumentException if {@code hex} is empty or not an even number of hexadecimal digits
     */
    static byte[] parseKey(String hex) {
        String digits = hex.strip();
        try {
            if (!digits.isEmpty()) {
                return HexFormat.of().parseHex(digits);
            }
        } catch (IllegalArgumentException e) {
            // reported below, with what to write instead
        }
        throw new IllegalArgumentException("xor: key '" + hex + "' is not hexadecimal bytes; write an even number"
                + " of hex digits, at least two, such as key=10 or key=a5c3");
    }

    @Override
    public Verdict send(Chunk source, Output output, Flow flow) {
        KeyPositions positions = flow.state(KeyPositions::new);
        positions.send = xor(source, output, positions.key(this.key), positions.send, flow);
        return done(source, output, flow);
    }

    @Override
    public Verdict recv(Chunk source, Output output, Flow flow) {
        KeyPositions positions = flow.state(KeyPositions::new);
        positions.recv = xor(source, output, positions.key(this.key), positions.recv, flow);
        return done(source, output, flow);
    }

    /**
     * XORs as much of the chunk as the output takes.
     *
     * @return the key position after the last byte XORed, or 0 for a datagram
     */
    private static int xor(Chunk source, Output output, byte[] key, int position, Flow flow) {
        byte[] scratch = SCRATCH.get();
        int k = flow.info().transport().isDatagram() ? 0 : position;
        int left = Math.min(source.remaining(), output.maxLength());
        while (left > 0) {
            int n = Math.min(left, scratch.length);
            source.copyFull(scratch, 0, n);
            for (int i = 0; i < n; i++) {
                scratch[i] ^= key[k];
                if (++k == key.length) {
                    k = 0;
                }
            }
            output.write(scratch, 0, n);
            left -= n;
        }
        return flow.info().transport().isDatagram() ? 0 : k;
    }

    private static Verdict done(Chunk source, Output output, Flow flow) {
        if (source.remaining() == 0) {
            return Verdict.DELIVER;
        }
        if (flow.info().transport().isDatagram()) {
            return output.deliver(-EMSGSIZE); // a datagram larger than the output limit cannot be split
        }
        source.holdUnread(); // more than the output limit: the rest goes out with the next chunk
        return Verdict.DELIVER;
    }

    /** Per-flow state: the key the flow began with and how far each direction has walked it. */
    private static final class KeyPositions {
        private byte[] key;
        private int send;
        private int recv;

        byte[] key(byte[] current) {
            if (key == null) {
                key = current;
            }
            return key;
        }
    }
}
