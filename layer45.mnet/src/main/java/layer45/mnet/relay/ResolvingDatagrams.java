package layer45.mnet.relay;

import java.io.IOException;
import java.net.PortUnreachableException;
import java.nio.ByteBuffer;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;
import layer45.mnet.mhost.NameService;
import layer45.mnet.wire.DnsResponse;

/**
 * DNS over UDP to the stack's own address, when there is a host-identifier table: the {@link NameService} answers
 * the queries for host identifiers, and every other query goes to the upstream resolver through a connected host
 * socket, as it did before. A thread of its own waits for the upstream's answers, so that both kinds reach the
 * program as soon as they are ready.
 */
final class ResolvingDatagrams implements HostDatagrams {

    private static final System.Logger LOG = System.getLogger("layer45.mnet");
    /** Answers waiting for the program; beyond, an answer is dropped as a full socket buffer would. */
    private static final int QUEUE = 16;
    private static final int MAX_DATAGRAM = 65535;
    private static final ByteBuffer END = ByteBuffer.allocate(0);
    private static final ByteBuffer PORT_UNREACHABLE = ByteBuffer.allocate(0);

    private final NameService names;
    private final HostDatagrams upstream;
    private final BlockingQueue<ByteBuffer> toProgram = new ArrayBlockingQueue<>(QUEUE + 2);
    private final BlockingQueue<ByteBuffer> free = new ArrayBlockingQueue<>(QUEUE);
    private final AtomicInteger allocated = new AtomicInteger();
    /** The name service's response; the sending thread's. */
    private final ByteBuffer answer = ByteBuffer.allocate(DnsResponse.MAX_LENGTH);
    private volatile boolean closed;

    /**
     * @param names the name service for this flow
     * @param upstream the upstream resolver's side, or {@code null} when there is none (other queries are refused)
     */
    ResolvingDatagrams(NameService names, HostDatagrams upstream) {
        this.names = names;
        this.upstream = upstream;
    }

    @Override
    public void open() throws IOException {
        if (upstream != null) {
            upstream.open();
            Thread.ofVirtual().name("layer45-relay-dns-upstream").start(this::pump);
        }
    }

    @Override
    public void send(ByteBuffer datagram) throws IOException {
        answer.clear();
        if (names.answer(datagram, answer) == NameService.Outcome.ANSWERED) {
            deliver(answer.flip());
        } else if (upstream != null) {
            names.relayed();
            upstream.send(datagram);
        } else if (names.refuse(answer.clear())) {
            deliver(answer.flip());
        }
    }

    @Override
    public boolean receive(ByteBuffer into) throws IOException {
        ByteBuffer next;
        try {
            next = toProgram.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
        if (next == END) {
            toProgram.offer(END);
            return false;
        }
        if (next == PORT_UNREACHABLE) {
            throw new PortUnreachableException("the upstream resolver's port is closed");
        }
        into.put(next);
        free.offer(next.clear());
        return true;
    }

    /** Upstream reader: queues the upstream's answers for the program. */
    private void pump() {
        try {
            while (!closed) {
                ByteBuffer buffer = buffer();
                while (buffer == null && !closed) { // the program is slow: wait for it to take an answer
                    buffer = free.poll(100, java.util.concurrent.TimeUnit.MILLISECONDS);
                }
                try {
                    if (buffer == null || !upstream.receive(buffer.clear())) {
                        return;
                    }
                } catch (PortUnreachableException e) {
                    free.offer(buffer);
                    toProgram.offer(PORT_UNREACHABLE);
                    continue;
                }
                toProgram.offer(buffer.flip()); // room: at most QUEUE buffers exist
            }
        } catch (IOException e) {
            if (!closed) {
                LOG.log(System.Logger.Level.DEBUG, "mnet:relay: DNS upstream failed: " + e.getMessage());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            toProgram.offer(END);
        }
    }

    /** Queues a copy of a response for the program, or drops it when too many wait. */
    private void deliver(ByteBuffer response) {
        ByteBuffer copy = buffer();
        if (copy != null) {
            toProgram.offer(copy.clear().put(response).flip());
        }
    }

    /** @return a free buffer, a new one while fewer than {@link #QUEUE} exist, or {@code null} */
    private ByteBuffer buffer() {
        ByteBuffer buffer = free.poll();
        if (buffer == null && allocated.get() < QUEUE && allocated.incrementAndGet() <= QUEUE) {
            return ByteBuffer.allocate(MAX_DATAGRAM);
        }
        return buffer;
    }

    @Override
    public void close() {
        closed = true;
        if (upstream != null) {
            upstream.close();
        }
        toProgram.offer(END);
    }

    @Override
    public String toString() {
        return "the stack's name service" + (upstream == null ? "" : " and " + upstream);
    }
}
