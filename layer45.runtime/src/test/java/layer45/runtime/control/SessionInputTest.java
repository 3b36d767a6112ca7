package layer45.runtime.control;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InterruptedIOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

/** The session input: what the client sends, in order, then the end; bounded, and interruptible for the reader. */
class SessionInputTest {

    private final SessionInput input = new SessionInput();

    @Test
    void bytesFedAreReadInOrderThenTheEndOfFile() throws Exception {
        input.feed("hello ".getBytes(StandardCharsets.US_ASCII));
        input.feed("world".getBytes(StandardCharsets.US_ASCII));
        input.end();
        input.feed("dropped after the end".getBytes(StandardCharsets.US_ASCII));
        assertEquals("hello world", new String(input.readAllBytes(), StandardCharsets.US_ASCII));
        assertEquals(-1, input.read());
    }

    @Test
    void aFullBufferMakesTheFeederWaitUntilTheCommandReads() throws Exception {
        byte[] more = new byte[SessionInput.CAPACITY + 1000];
        for (int i = 0; i < more.length; i++) {
            more[i] = (byte) i;
        }
        CompletableFuture<Void> feeding = CompletableFuture.runAsync(() -> {
            try {
                input.feed(more);
                input.end();
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        });
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (input.available() < SessionInput.CAPACITY && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertEquals(SessionInput.CAPACITY, input.available(), "full, and the rest waits");
        assertTrue(!feeding.isDone());
        assertArrayEquals(more, input.readAllBytes(), "nothing lost, nothing reordered across the ring's end");
        feeding.get(10, TimeUnit.SECONDS);
    }

    @Test
    void anInterruptedReaderStopsWaiting() throws Exception {
        CompletableFuture<Throwable> reading = new CompletableFuture<>();
        Thread reader = Thread.ofPlatform().start(() -> {
            try {
                input.read();
                reading.complete(null);
            } catch (Throwable t) {
                reading.complete(t);
            }
        });
        reader.interrupt();
        Throwable thrown = reading.get(10, TimeUnit.SECONDS);
        assertEquals(InterruptedIOException.class, thrown.getClass());
    }

    @Test
    void closingDropsWhatIsBufferedAndEndsTheInput() throws Exception {
        input.feed(new byte[] { 1, 2, 3 });
        input.close();
        assertEquals(-1, input.read());
        assertThrows(IndexOutOfBoundsException.class, () -> input.read(new byte[2], 1, 2));
    }
}
