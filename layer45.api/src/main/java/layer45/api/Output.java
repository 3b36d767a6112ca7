package layer45.api;

import java.nio.ByteBuffer;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Where a {@link Customization} writes the bytes that replace a chunk: the counterpart of the {@code buf} and
 * {@code copy_length} of the original Layer 4.5 buffer.
 *
 * <p>The output is empty at the start of every call and grows as the module writes, up to
 * {@link #maxLength()}. Its memory belongs to the runtime (rule 2): there is no way to reach it except
 * through these methods, and any use after the call returns throws {@link IllegalStateException}.
 *
 * <p>What is delivered is decided by the verdict: {@link Verdict#DELIVER} delivers everything written,
 * {@link #deliver(int)} delivers an explicit copy length. Output written before a module answers
 * {@link Verdict#TRY_NEXT}, {@link Verdict#NO_CUSTOMIZATION} or {@link Verdict#SKIP_FLOW} is discarded.
 */
@ProviderType
public interface Output {

    /** @return the number of bytes written so far */
    int length();

    /** @return the most bytes this output accepts in this call; writing more is a fault */
    int maxLength();

    /**
     * Appends bytes.
     *
     * @param src bytes to append
     * @return this output
     * @throws IllegalStateException if the output would exceed {@link #maxLength()}
     */
    Output write(byte[] src);

    /**
     * Appends {@code length} bytes of {@code src} from {@code offset}.
     *
     * @param src bytes to append from
     * @param offset first index read in {@code src}
     * @param length number of bytes
     * @return this output
     * @throws IndexOutOfBoundsException if {@code offset} and {@code length} do not fit {@code src}
     * @throws IllegalStateException if the output would exceed {@link #maxLength()}
     */
    Output write(byte[] src, int offset, int length);

    /**
     * Appends the remaining bytes of {@code src}, moving its position to its limit.
     *
     * @param src bytes to append
     * @return this output
     * @throws IllegalStateException if the output would exceed {@link #maxLength()}
     */
    Output write(ByteBuffer src);

    /**
     * Appends one byte.
     *
     * @param b the byte, in its low 8 bits
     * @return this output
     * @throws IllegalStateException if the output would exceed {@link #maxLength()}
     */
    Output writeByte(int b);

    /**
     * Appends {@code n} bytes of {@code source} from its position and advances the source past them, or
     * does nothing: the zero-copy way to pass original bytes through. The runtime passes long ranges of a stream on
     * by reference, so a module that inserts or removes a few bytes in a stream (a tag every N bytes) costs about
     * what it writes, not what it passes: prefer it to copying the chunk out and writing the copy back.
     *
     * @param source the chunk of this call
     * @param n bytes to transfer
     * @return {@code true} if {@code n} bytes were transferred; {@code false} (nothing transferred, source
     *         unchanged) if fewer remain
     * @throws IllegalStateException if the output would exceed {@link #maxLength()}
     */
    boolean transferFrom(Chunk source, int n);

    /**
     * Reads back a byte already written.
     *
     * @param index in {@code [0, length())}
     * @return the byte
     * @throws IndexOutOfBoundsException if {@code index} is outside the bytes written
     */
    byte byteAt(int index);

    /**
     * Overwrites a byte already written, such as a length field filled in once the payload is known.
     *
     * @param index in {@code [0, length())}
     * @param b the byte, in its low 8 bits
     * @throws IndexOutOfBoundsException if {@code index} is outside the bytes written
     */
    void setByte(int index, int b);

    /**
     * Forgets the bytes written after the first {@code length}.
     *
     * @param length the new length, in {@code [0, length()]}
     * @throws IllegalArgumentException if {@code length} is negative or more than {@link #length()}
     */
    void truncate(int length);

    /**
     * Sets the copy length explicitly, with the original Layer 4.5 meaning, and returns the verdict to answer.
     * <ul>
     * <li>{@code copyLength > 0}: deliver the first {@code copyLength} bytes written; returns
     *     {@link Verdict#DELIVER}. More than {@link #length()} is out of range: a fault.</li>
     * <li>{@code copyLength == 0}: deliver nothing; returns {@link Verdict#DROP} (rule 3).</li>
     * <li>{@code copyLength < 0}: the module reports an error; returns {@link Verdict#ERROR} (rule 4), and the
     *     value is logged as the module's error code.</li>
     * </ul>
     *
     * @param copyLength the copy length
     * @return the verdict the module must return for the length to take effect
     */
    Verdict deliver(int copyLength);
}
