package layer45.api;

import java.nio.ByteBuffer;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The original bytes of one chunk, as a read-only cursor: the counterpart of the {@code src_iter} that
 * Layer 4.5 kernel modules received.
 *
 * <p>The bytes may lie in several segments (a TCP receive ring that wrapped, bytes held from the previous call
 * followed by new ones), so a chunk has no backing array to hand out. It can only be read, through
 * {@link #copyFull(byte[]) copyFull} (all or nothing), moved with {@link #advance(int) advance} and
 * {@link #revert(int) revert}, and inspected in place with {@link #byteAt(int) byteAt},
 * {@link #startsWith(byte[]) startsWith}, {@link #regionMatches regionMatches} and
 * {@link #indexOf(byte[]) indexOf} (rules 7 and 8). Moving the
 * position never changes what other modules see: each module is handed the chunk from its start.
 *
 * <p>A chunk belongs to the runtime and is valid only during the {@link Customization} call it was passed to,
 * on the calling thread (rule 2). Any use after that throws {@link IllegalStateException}.
 *
 * <h2>Holding bytes back</h2>
 * Framed protocols (TLS records, length-prefixed messages, the {@code <start>...<end>} frames of the echo tag
 * example) rarely arrive chunk by chunk. A module that has read part of a frame calls {@link #holdUnread()} and
 * returns {@link Verdict#DELIVER} (with the complete frames it did produce) or {@link Verdict#DROP} (nothing
 * yet). The runtime keeps the bytes from the current position to the end in its own buffer and presents them
 * to the same module, at the start of the next chunk in this direction. While a module holds bytes of a
 * direction it owns that direction: the next chunks go to it first. {@link #holdUnread(int)} also says how many
 * bytes the module needs before it wants to be called again. Holding is for byte streams; in a datagram flow
 * it is refused. Bytes still held when the stream ends are offered one last time with
 * {@link #endOfStream()} true, then discarded and counted.
 */
@ProviderType
public interface Chunk {

    /** @return the number of bytes from the current position to the end of the chunk */
    int remaining();

    /** @return how far the position has moved from the start of the chunk in this call */
    int position();

    /** @return the chunk's total length, {@code position() + remaining()} */
    int length();

    /** @return how many separate memory segments the chunk spans (1 when it is linear) */
    int segmentCount();

    /**
     * Reads one byte without moving the position.
     *
     * @param offset offset from the current position, in {@code [0, remaining())}
     * @return the byte
     * @throws IndexOutOfBoundsException if {@code offset} is outside the remaining bytes
     */
    byte byteAt(int offset);

    /**
     * @param prefix bytes to compare with
     * @return whether the remaining bytes begin with {@code prefix}; the position does not move
     */
    boolean startsWith(byte[] prefix);

    /**
     * Compares a range of the remaining bytes with a range of an array, in one call: the bulk form of comparing
     * {@link #byteAt(int) byteAt} by {@code byteAt}, for a tag or a magic number in the middle of the chunk.
     *
     * @param offset offset from the current position of the first byte compared, at least 0
     * @param expected bytes to compare with
     * @param expectedOffset first index of {@code expected} compared
     * @param length number of bytes compared, at least 0
     * @return whether the {@code length} bytes at {@code offset} equal those of {@code expected} at
     *         {@code expectedOffset}; {@code false} if fewer than {@code offset + length} bytes remain. The position
     *         does not move.
     * @throws IndexOutOfBoundsException if {@code offset} is negative, or {@code expectedOffset} and {@code length}
     *         do not fit {@code expected}
     * @since 1.1
     */
    boolean regionMatches(int offset, byte[] expected, int expectedOffset, int length);

    /**
     * @param pattern bytes to look for; not empty
     * @return the offset from the current position of the first occurrence of {@code pattern} in the remaining
     *         bytes, or {@code -1}; the position does not move
     */
    int indexOf(byte[] pattern);

    /**
     * Copies {@code dst.length} bytes and advances past them, or copies nothing ({@code copy_from_iter_full}).
     *
     * @param dst where to copy
     * @return {@code true} if all bytes were copied; {@code false}, with nothing copied and the position
     *         unchanged, if fewer remain
     */
    boolean copyFull(byte[] dst);

    /**
     * Copies {@code length} bytes into {@code dst} at {@code offset} and advances past them, or copies nothing.
     *
     * @param dst where to copy
     * @param offset first index written in {@code dst}
     * @param length how many bytes to copy
     * @return {@code true} if all bytes were copied; {@code false} (nothing copied) if fewer remain
     * @throws IndexOutOfBoundsException if {@code offset} and {@code length} do not fit {@code dst}
     */
    boolean copyFull(byte[] dst, int offset, int length);

    /**
     * Copies {@code dst.remaining()} bytes into {@code dst} and advances past them, or copies nothing.
     *
     * @param dst where to copy; its position moves by the number of bytes copied
     * @return {@code true} if {@code dst} was filled; {@code false} (nothing copied) if fewer bytes remain
     */
    boolean copyFull(ByteBuffer dst);

    /**
     * Moves the position forward without copying ({@code iov_iter_advance}).
     *
     * @param n bytes to skip, in {@code [0, remaining()]}
     * @throws IllegalArgumentException if {@code n} is negative or more than {@link #remaining()}
     */
    void advance(int n);

    /**
     * Moves the position back ({@code iov_iter_revert}).
     *
     * @param n bytes to step back, in {@code [0, position()]}
     * @throws IllegalArgumentException if {@code n} is negative or more than {@link #position()}
     */
    void revert(int n);

    /**
     * Asks the runtime to keep the bytes from the current position to the end and to present them again,
     * followed by new bytes, at the next call in this direction. Takes effect with {@link Verdict#DELIVER} or
     * {@link Verdict#DROP}; with any other verdict it is a fault.
     *
     * @throws IllegalStateException in a datagram flow, where a chunk is delivered or dropped whole
     */
    void holdUnread();

    /**
     * Like {@link #holdUnread()}, and asks not to be called again in this direction until at least
     * {@code minimumNextLength} bytes (held and new together) are available or the stream ends.
     *
     * @param minimumNextLength the chunk length the module needs to make progress, at most the runtime's hold
     *        limit
     * @throws IllegalStateException in a datagram flow
     * @throws IllegalArgumentException if {@code minimumNextLength} is negative or above the hold limit
     */
    void holdUnread(int minimumNextLength);

    /**
     * @return {@code true} if the stream ends after this chunk in this direction: bytes held after this call are
     *         discarded. Always {@code false} for datagrams.
     */
    boolean endOfStream();
}
