package layer45.mnet.loop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import layer45.mnet.phy.LinkProtocol;
import layer45.mnet.phy.MemoryLink;
import layer45.mnet.phy.MemoryLinkOptions;
import layer45.mnet.testing.PacketInjector;
import layer45.mnet.testing.Packets;
import layer45.mnet.testing.SentPacket;
import layer45.mnet.testing.TestStack;
import layer45.mnet.time.Clock;
import layer45.mnet.wire.Icmpv4Type;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The loop thread that runs a stack: real threads on an in-memory link, every wait bounded. */
class NetLoopTest {

    private static final long WAIT_MILLIS = 10_000;

    private final MemoryLink link = MemoryLink.create(MemoryLinkOptions.defaults("loop"), Clock.SYSTEM);
    private final TestStack stack = new TestStack(link.a(), Clock.SYSTEM, () -> null, false, "10.0.0.1/24");
    private final NetLoop loop = new NetLoop(stack.iface(), Clock.SYSTEM, "mnet-test-loop");
    private final PacketInjector far = new PacketInjector(link.b());

    @AfterEach
    void stopAndClose() {
        loop.stop(WAIT_MILLIS);
        link.close();
    }

    /** Checks a condition every few milliseconds, for up to {@link #WAIT_MILLIS}. */
    private boolean await(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(WAIT_MILLIS);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                return false;
            }
            Thread.sleep(5);
        }
        return true;
    }

    @Test
    void theRunningLoopAnswersPingsAndStopReturnsAfterItsThreadEnded() throws InterruptedException {
        loop.start();
        Thread thread = loop.call(Thread::currentThread);
        List<SentPacket> replies = new ArrayList<>();

        far.inject(LinkProtocol.IPV4, Packets.ipv4Echo("10.0.0.2", "10.0.0.1", 7, 1, new byte[32]));
        assertTrue(await(() -> {
            replies.addAll(far.drain());
            return !replies.isEmpty();
        }), "a reply within " + WAIT_MILLIS + " ms");

        assertEquals(Icmpv4Type.ECHO_REPLY, replies.getFirst().icmpv4().type());
        assertTrue(loop.isRunning());
        assertEquals("mnet-test-loop", thread.getName());
        assertTrue(loop.stop(WAIT_MILLIS));
        assertFalse(thread.isAlive(), "the thread ended before stop returned");
        assertFalse(loop.isRunning());
        assertNull(loop.failure());
    }

    @Test
    void executeAndCallRunTasksOnTheLoopThread() throws InterruptedException {
        loop.start();
        CountDownLatch ran = new CountDownLatch(1);
        AtomicReference<Boolean> executedInLoop = new AtomicReference<>();

        loop.execute(() -> {
            executedInLoop.set(loop.inLoop());
            ran.countDown();
        });

        assertTrue(ran.await(WAIT_MILLIS, TimeUnit.MILLISECONDS));
        assertTrue(executedInLoop.get());
        assertTrue(loop.call(loop::inLoop));
        assertFalse(loop.inLoop(), "the test's thread is not the loop's");
        assertEquals(1L, loop.call(() -> stack.iface().counters().get("interface").get("received") + 1));
    }

    @Test
    void callRethrowsWhatTheTaskThrowsAndTheLoopGoesOn() {
        loop.start();
        loop.execute(() -> {
            throw new IllegalStateException("a failing task");
        });

        IllegalArgumentException thrown = assertThrows(IllegalArgumentException.class, () -> loop.call(() -> {
            throw new IllegalArgumentException("bad question");
        }));

        assertEquals("bad question", thrown.getMessage());
        assertEquals("still here", loop.call(() -> "still here"));
    }

    @Test
    void callRunsOnTheCallerWhenTheLoopIsNotRunning() {
        assertSame(Thread.currentThread(), loop.call(Thread::currentThread), "before start");
        loop.start();
        assertTrue(loop.stop(WAIT_MILLIS));
        assertSame(Thread.currentThread(), loop.call(Thread::currentThread), "after stop");
    }

    @Test
    void aTaskMayStopTheLoopItRunsOn() throws InterruptedException {
        loop.start();
        Thread thread = loop.call(Thread::currentThread);

        loop.execute(() -> loop.stop(WAIT_MILLIS));

        thread.join(WAIT_MILLIS);
        assertFalse(thread.isAlive());
    }

    @Test
    void aDeviceFailureStopsTheLoopWithTheReason() throws InterruptedException {
        loop.start();
        Thread thread = loop.call(Thread::currentThread);

        link.close();

        thread.join(WAIT_MILLIS);
        assertFalse(thread.isAlive(), "the loop ends on its own");
        assertFalse(loop.isRunning());
        assertNotNull(loop.failure());
        assertTrue(loop.failure().contains("link closed"), loop.failure());
        assertSame(Thread.currentThread(), loop.call(Thread::currentThread),
                "questions are answered on the caller's thread, not left waiting for a dead loop");
        assertTrue(loop.stop(WAIT_MILLIS));
    }

    @Test
    void startingTwiceThrows() {
        loop.start();

        IllegalStateException twice = assertThrows(IllegalStateException.class, loop::start);

        assertTrue(twice.getMessage().contains("mnet-test-loop was already started"), twice.getMessage());
    }
}
