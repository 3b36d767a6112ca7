package layer45.runtime.view;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import layer45.api.Chunk;
import layer45.api.Flow;
import layer45.api.FlowInfo;
import layer45.api.Initiator;
import layer45.api.NetworkProtocol;
import layer45.api.Output;
import layer45.api.ProcessOwner;
import layer45.api.Transport;

/**
 * Rule 2: the chunk, output and flow views belong to the runtime and work only during the call, on the calling
 * thread. Every public method of {@link Chunk}, {@link Output} and {@link Flow} is covered by reflection, so a
 * method added to the API is checked without changing this test.
 */
class OwnershipRuleTest {

    static final String MODULE = "kept-views-module";

    /** A module on a flow that records every rule-2 report, with the thread that made it. */
    static final class RecordingOwner implements ViewOwner {
        final List<String> problems = new ArrayList<>();
        final List<Thread> threads = new ArrayList<>();

        @Override
        public synchronized void keptViewUsed(String problem) {
            problems.add(problem);
            threads.add(Thread.currentThread());
        }

        @Override
        public String moduleName() {
            return MODULE;
        }

        synchronized List<String> problems() {
            return List.copyOf(problems);
        }
    }

    /** The three views of one module on one flow, as the runtime lends them for a call. */
    static final class Views {
        final RecordingOwner owner = new RecordingOwner();
        final BufferPool pool = new BufferPool();
        final ChunkCursor chunk = new ChunkCursor(owner);
        final OutputBuffer output = new OutputBuffer(owner, pool, chunk);
        final ModuleFlowView flow = new ModuleFlowView(owner, 42, flowInfo());

        void lend() {
            ByteBuffer[] segments = {ByteBuffer.wrap(new byte[] {1, 2, 3}), ByteBuffer.wrap(new byte[] {4, 5})};
            chunk.lend(segments, 2, false, false, 4096);
            output.lend(1 << 20);
            flow.lend();
        }

        void endCall() {
            chunk.endCall();
            output.endCall();
            flow.endCall();
        }

        Object view(Class<?> api) {
            if (api == Chunk.class) {
                return chunk;
            }
            if (api == Output.class) {
                return output;
            }
            if (api == Flow.class) {
                return flow;
            }
            throw new IllegalArgumentException(api.getName());
        }
    }

    static FlowInfo flowInfo() {
        InetAddress loopback = InetAddress.getLoopbackAddress();
        return new FlowInfo(Transport.TCP, NetworkProtocol.of(loopback), new InetSocketAddress(loopback, 40000),
                new InetSocketAddress(loopback, 80), Initiator.LOCAL, ProcessOwner.UNKNOWN);
    }

    /**
     * Arguments a module might pass to {@code method}: each the simplest valid value of its type. A new parameter
     * type fails here, loudly, rather than leaving its method untested.
     */
    static Object[] defaultArguments(Method method, Views views) {
        Class<?>[] types = method.getParameterTypes();
        Object[] args = new Object[types.length];
        for (int i = 0; i < types.length; i++) {
            Class<?> t = types[i];
            if (t == int.class) {
                args[i] = 0;
            } else if (t == long.class) {
                args[i] = 0L;
            } else if (t == boolean.class) {
                args[i] = false;
            } else if (t == byte[].class) {
                args[i] = new byte[1];
            } else if (t == ByteBuffer.class) {
                args[i] = ByteBuffer.allocate(1);
            } else if (t == Chunk.class) {
                args[i] = views.chunk;
            } else if (t == Supplier.class) {
                Supplier<Object> supplier = () -> "state";
                args[i] = supplier;
            } else {
                fail("no default argument for " + t.getName() + " in " + method + "; add one to this test");
            }
        }
        return args;
    }

    static List<Method> apiMethods(Class<?> api) {
        return Arrays.stream(api.getMethods())
                .filter(m -> !Modifier.isStatic(m.getModifiers()))
                .sorted(Comparator.comparing(Method::toString))
                .toList();
    }

    static Stream<Arguments> everyApiMethod() {
        return Stream.of(Chunk.class, Output.class, Flow.class)
                .flatMap(api -> apiMethods(api).stream()
                        .map(m -> Arguments.of(api.getSimpleName() + "." + m.getName()
                                + Arrays.toString(m.getParameterTypes()), api, m)));
    }

    /** Calls {@code method} on the view and returns what it threw, or {@code null}. */
    static Throwable invoke(Views views, Class<?> api, Method method) {
        try {
            method.invoke(views.view(api), defaultArguments(method, views));
            return null;
        } catch (InvocationTargetException e) {
            return e.getCause();
        } catch (IllegalAccessException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void theReflectiveListFindsEveryKnownApiMethod() {
        // Methods added later are covered too (the list is reflective); this only guards against finding none.
        assertTrue(names(Chunk.class).containsAll(Set.of("remaining", "position", "length", "segmentCount", "byteAt",
                "startsWith", "indexOf", "copyFull", "advance", "revert", "holdUnread", "endOfStream")),
                names(Chunk.class).toString());
        assertTrue(apiMethods(Chunk.class).size() >= 15, "three copyFull and two holdUnread overloads");
        assertTrue(names(Output.class).containsAll(Set.of("length", "maxLength", "write", "writeByte", "transferFrom",
                "byteAt", "setByte", "truncate", "deliver")), names(Output.class).toString());
        assertTrue(apiMethods(Output.class).size() >= 11, "three write overloads");
        assertTrue(names(Flow.class).containsAll(Set.of("id", "info", "state")), names(Flow.class).toString());
    }

    private static Set<String> names(Class<?> api) {
        return apiMethods(api).stream().map(Method::getName).collect(Collectors.toSet());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("everyApiMethod")
    void everyMethodWorksDuringTheCallOnTheCallingThread(String name, Class<?> api, Method method) {
        Views views = new Views();
        views.lend();
        Throwable thrown = invoke(views, api, method);
        if (thrown instanceof IllegalStateException e) {
            // Only holding in a datagram flow is refused with this type, and this flow is a stream.
            fail(name + " refused during its call: " + e.getMessage());
        }
        assertTrue(views.owner.problems().isEmpty(), "nothing reported: " + views.owner.problems());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("everyApiMethod")
    void everyMethodThrowsAfterTheCallReturnedAndTheOwnerIsTold(String name, Class<?> api, Method method) {
        Views views = new Views();
        views.lend();
        views.endCall();

        Throwable thrown = invoke(views, api, method);

        IllegalStateException e = assertInstanceOf(IllegalStateException.class, thrown, name);
        assertRule2Message(e, api);
        assertTrue(e.getMessage().contains("after its call returned"), e.getMessage());
        List<String> problems = views.owner.problems();
        assertEquals(1, problems.size(), "told exactly once: " + problems);
        assertTrue(problems.getFirst().contains(api.getSimpleName())
                && problems.getFirst().contains("after its call returned"), problems.getFirst());
        assertEquals(Thread.currentThread(), views.owner.threads.getFirst(), "told on the offending thread");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("everyApiMethod")
    void everyMethodThrowsOnAnotherThreadDuringTheCall(String name, Class<?> api, Method method) throws Exception {
        Views views = new Views();
        views.lend();
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        Thread other = new Thread(() -> thrown.set(invoke(views, api, method)), "kept-view-thief");
        other.start();
        other.join(30_000);
        assertFalse(other.isAlive(), "the other thread finished");

        IllegalStateException e = assertInstanceOf(IllegalStateException.class, thrown.get(), name);
        assertRule2Message(e, api);
        assertTrue(e.getMessage().contains("from another thread") && e.getMessage().contains("kept-view-thief"),
                e.getMessage());
        List<String> problems = views.owner.problems();
        assertEquals(1, problems.size(), "told exactly once: " + problems);
        assertTrue(problems.getFirst().contains("from another thread"), problems.getFirst());
        assertEquals(other, views.owner.threads.getFirst(), "told on the offending thread");

        // The calling thread still owns the views: the misuse elsewhere changed nothing for it.
        assertNull(invokeIllegalState(views, api, method), "the calling thread can still use " + name);
    }

    @Test
    void viewsLentAgainWorkInTheNextCall() {
        Views views = new Views();
        views.lend();
        views.endCall();
        views.lend();
        assertEquals(5, views.chunk.length());
        assertEquals(0, views.output.length());
        assertEquals(42, views.flow.id());
        assertNotNull(views.flow.info());
        assertTrue(views.owner.problems().isEmpty());
    }

    @Test
    void aChunkKeptAndUsedInALaterCallOnTheSameThreadIsFineOnlyWhileLent() {
        // The same objects are lent again for the next call: a kept reference then works again, on purpose,
        // because it is the same module on the same flow. Between calls it does not.
        Views views = new Views();
        views.lend();
        Chunk kept = views.chunk;
        views.endCall();
        IllegalStateException e = assertThrows(IllegalStateException.class,
                kept::remaining);
        assertRule2Message(e, Chunk.class);
        views.lend();
        assertEquals(5, kept.remaining());
    }

    @Test
    void theRuntimeSideMethodsWorkAfterTheCall() {
        Views views = new Views();
        views.lend();
        views.chunk.advance(2);
        views.chunk.holdUnread(3);
        views.output.write(new byte[] {7, 8});
        views.output.deliver(1);
        views.endCall();

        assertEquals(2, views.chunk.holdFrom());
        assertEquals(3, views.chunk.holdWanted());
        assertEquals(2, views.output.written());
        assertTrue(views.output.hasExplicitLength());
        assertEquals(1, views.output.explicitLength());
        assertArrayEquals(new byte[] {7}, OutputBufferTest.delivered(views.output, 1));
        assertNull(views.flow.closeState());
        views.output.release();
        views.chunk.clear();
        assertTrue(views.owner.problems().isEmpty(), "the runtime's own use is not a misuse");
    }

    private static Throwable invokeIllegalState(Views views, Class<?> api, Method method) {
        Throwable t = invoke(views, api, method);
        return t instanceof IllegalStateException ? t : null;
    }

    private static void assertRule2Message(IllegalStateException e, Class<?> api) {
        String message = e.getMessage();
        assertNotNull(message);
        assertTrue(message.contains("'" + MODULE + "'"), "names the module: " + message);
        assertTrue(message.contains("rule 2"), "says rule 2: " + message);
        assertTrue(message.contains(api.getSimpleName()), "names the view: " + message);
    }
}
