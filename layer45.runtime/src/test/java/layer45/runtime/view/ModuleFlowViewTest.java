package layer45.runtime.view;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import layer45.api.FlowInfo;
import layer45.api.Initiator;
import layer45.api.NetworkProtocol;
import layer45.api.ProcessOwner;
import layer45.api.Transport;

/** The flow as one module sees it, and the home of the module's per-flow state. */
class ModuleFlowViewTest {

    static final ViewOwner OWNER = new StrictOwner("state-test");

    static final FlowInfo INFO = new FlowInfo(Transport.UDP, NetworkProtocol.of(InetAddress.getLoopbackAddress()),
            new InetSocketAddress(InetAddress.getLoopbackAddress(), 5353),
            new InetSocketAddress(InetAddress.getLoopbackAddress(), 53), Initiator.LOCAL,
            new ProcessOwner(10, 10, "dig", "dig", 1000));

    ModuleFlowView view;

    @BeforeEach
    void lend() {
        view = new ModuleFlowView(OWNER, 77, INFO);
        view.lend();
    }

    /** A per-flow state that counts how often it is closed, and may fail to close. */
    static final class Framing implements AutoCloseable {
        final List<String> closes = new ArrayList<>();
        final IOException failure;

        Framing(IOException failure) {
            this.failure = failure;
        }

        Framing() {
            this(null);
        }

        @Override
        public void close() throws IOException {
            closes.add("closed");
            if (failure != null) {
                throw failure;
            }
        }
    }

    @Test
    void idAndInfoAreTheFlowsFacts() {
        assertEquals(77, view.id());
        assertSame(INFO, view.info());
    }

    @Test
    void stateIsCreatedOnFirstUseAndThenReturnedAsIs() {
        AtomicInteger created = new AtomicInteger();
        StringBuilder first = view.state(() -> {
            created.incrementAndGet();
            return new StringBuilder("s");
        });
        StringBuilder second = view.state(() -> {
            created.incrementAndGet();
            return new StringBuilder("other");
        });
        assertSame(first, second);
        assertEquals(1, created.get(), "the supplier runs once");
        assertEquals("s", second.toString());
    }

    @Test
    void stateSurvivesBetweenCalls() {
        Framing framing = view.state(Framing::new);
        view.endCall();
        view.lend();
        assertSame(framing, view.state(Framing::new));
    }

    @Test
    void aSupplierReturningNullIsRefusedWithAClearMessageAndNothingIsStored() {
        NullPointerException e = assertThrows(NullPointerException.class, () -> view.state(() -> null));
        assertTrue(e.getMessage().contains("state supplier returned null"), e.getMessage());
        assertEquals("created later", view.state(() -> "created later"), "the next call can still create it");
    }

    @Test
    void askingForAnotherTypeFailsAtTheCallSite() {
        view.state(() -> Integer.valueOf(5));
        ClassCastException e = assertThrows(ClassCastException.class, () -> {
            String wrong = view.state(() -> "text");
            throw new AssertionError("returned " + wrong);
        });
        assertTrue(e.getMessage().contains("Integer") && e.getMessage().contains("String"), e.getMessage());
        Integer right = view.state(() -> 0);
        assertEquals(5, right, "the state is unchanged");
    }

    @Test
    void closeStateClosesAnAutoCloseableStateOnceAndForgetsIt() {
        Framing framing = view.state(Framing::new);
        view.endCall();
        assertNull(view.closeState(), "nothing went wrong");
        assertEquals(List.of("closed"), framing.closes);
        assertNull(view.closeState(), "nothing left to close");
        assertEquals(List.of("closed"), framing.closes, "closed once");

        view.lend();
        AtomicInteger created = new AtomicInteger();
        Framing fresh = view.state(() -> {
            created.incrementAndGet();
            return new Framing();
        });
        assertNotSame(framing, fresh, "a new state after the old one was closed");
        assertEquals(1, created.get());
    }

    @Test
    void closeStateReturnsWhatCloseThrewInsteadOfThrowingIt() {
        IOException failure = new IOException("socket gone");
        Framing framing = view.state(() -> new Framing(failure));
        assertSame(failure, view.closeState());
        assertEquals(1, framing.closes.size());
        assertNull(view.closeState(), "forgotten even though closing failed");
    }

    @Test
    void closeStateReturnsErrorsAndRuntimeExceptionsToo() {
        IllegalStateException runtime = new IllegalStateException("bad");
        view.state(() -> (AutoCloseable) () -> {
            throw runtime;
        });
        assertSame(runtime, view.closeState());

        StackOverflowError error = new StackOverflowError("deep");
        view.state(() -> (AutoCloseable) () -> {
            throw error;
        });
        assertSame(error, view.closeState());
    }

    @Test
    void closeStateForgetsAStateThatIsNotCloseable() {
        Object plain = view.state(Object::new);
        assertNull(view.closeState());
        assertNotSame(plain, view.state(Object::new));
    }

    @Test
    void closeStateWithoutAStateDoesNothing() {
        assertNull(view.closeState());
    }
}
