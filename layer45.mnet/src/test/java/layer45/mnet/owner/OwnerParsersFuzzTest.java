package layer45.mnet.owner;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import layer45.api.Transport;

/**
 * Fuzzes what the owner lookup reads from the kernel: sock_diag replies (as one datagram to {@link DiagReplies},
 * and as the answer of a scripted kernel to a whole {@link SockDiag} lookup), and the {@code /proc} texts
 * ({@link SyscallLine}, {@link ProcText}). Whatever the bytes, nothing is thrown, every socket read has an
 * address family the lookup knows, and a lookup ends with a socket or a reason.
 *
 * <p>Input: byte 0 picks the target (bits 0-1: a reply datagram, a reply to a lookup, a syscall line, epoll
 * fdinfo text; bit 2: a dump rather than an exact lookup), the rest is the bytes. Netlink messages in the seeds
 * are little-endian, as on x86-64 and arm64. The committed inputs in {@code OwnerParsersFuzzTestInputs/fuzz/} are
 * seeds: valid replies and texts the kernel writes.
 */
class OwnerParsersFuzzTest {

    private static final InetSocketAddress APP = new InetSocketAddress("10.45.0.2", 41234);
    private static final InetSocketAddress PEER = new InetSocketAddress("10.45.0.1", 53);

    @FuzzTest
    void fuzz(byte[] input) {
        if (input.length == 0) {
            return;
        }
        byte[] bytes = Arrays.copyOfRange(input, 1, input.length);
        boolean dump = (input[0] & 4) != 0;
        OwnerCounters counters = new OwnerCounters();
        switch (input[0] & 3) {
            case 0 -> {
                DiagReplies replies = new DiagReplies(5, dump, 8, counters);
                replies.accept(ByteBuffer.wrap(bytes), bytes.length);
                for (DiagSocket socket : replies.sockets()) {
                    assertTrue(socket.family() == DiagRequest.AF_INET || socket.family() == DiagRequest.AF_INET6);
                }
            }
            case 1 -> {
                FakeKernel kernel = new FakeKernel();
                kernel.scripted.add(sequence -> withSequence(bytes, sequence));
                kernel.scripted.add(sequence -> withSequence(bytes, sequence));
                kernel.scripted.add(sequence -> withSequence(bytes, sequence));
                SockDiag diag = new SockDiag(kernel, "fuzz", OwnerLimits.DEFAULTS, counters);
                SockDiag.Outcome outcome = diag.find(dump ? Transport.UDP : Transport.TCP, APP, PEER,
                        Deadline.in(1_000_000_000L));
                assertTrue(outcome.socket() != null || !outcome.reason().isEmpty(), outcome::toString);
            }
            case 2 -> SyscallLine.parse(new String(bytes, StandardCharsets.UTF_8));
            default -> {
                String text = new String(bytes, StandardCharsets.UTF_8);
                ProcText.epollWatches(text, new int[] {5, 7}, 0x22b);
                ProcText.socketInode(text);
                ProcText.namespaceInode(text);
                ProcText.number(text);
            }
        }
    }

    /** Puts the request's sequence number into the first message, so that the bytes answer the lookup. */
    private static byte[] withSequence(byte[] bytes, int sequence) {
        byte[] reply = bytes.clone();
        if (reply.length >= 12) {
            ByteBuffer.wrap(reply).order(java.nio.ByteOrder.LITTLE_ENDIAN).putInt(8, sequence);
        }
        return reply;
    }
}
