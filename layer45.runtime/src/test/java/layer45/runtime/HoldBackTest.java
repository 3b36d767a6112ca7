package layer45.runtime;

import static layer45.runtime.RuntimeFixture.bytes;
import static layer45.runtime.RuntimeFixture.text;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import layer45.api.Chunk;
import layer45.api.Output;
import layer45.api.Verdict;
import layer45.api.spi.Direction;
import layer45.api.spi.Outcome;
import layer45.runtime.driver.DriverFlow;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Modules that reassemble frames hold bytes back across chunks, in the runtime's memory, not their own. */
class HoldBackTest {

    private final RuntimeFixture fixture = new RuntimeFixture();

    @AfterEach
    void close() {
        fixture.close();
    }

    /** Frames are a length byte and that many bytes; delivers payloads, holds partial frames. */
    static Verdict unframe(Chunk in, Output out) {
        while (in.remaining() > 0) {
            int length = in.byteAt(0) & 0xff;
            if (in.remaining() < 1 + length) {
                in.holdUnread(1 + length);
                break;
            }
            in.advance(1);
            out.transferFrom(in, length);
        }
        return Verdict.DELIVER;
    }

    @Test
    void framesSplitAnywhereAreReassembledWhateverTheChunking() {
        ScriptedModule module = new ScriptedModule(ScriptedModule.NO_CUSTOMIZATION, (in, out, f) -> unframe(in, out));
        fixture.load("framer", module);
        Random random = new Random(45); // includes empty frames, whose transfer ends exactly at the chunk's end
        for (int round = 0; round < 50; round++) {
            ByteArrayOutputStream wire = new ByteArrayOutputStream();
            ByteArrayOutputStream payloads = new ByteArrayOutputStream();
            for (int f = 0; f < 20; f++) {
                byte[] payload = new byte[random.nextInt(200)];
                random.nextBytes(payload);
                wire.write(payload.length);
                wire.writeBytes(payload);
                payloads.writeBytes(payload);
            }
            byte[] all = wire.toByteArray();
            try (DriverFlow flow = fixture.tcp()) {
                for (int at = 0; at < all.length;) {
                    int n = Math.min(all.length - at, 1 + random.nextInt(300));
                    byte[] chunk = java.util.Arrays.copyOfRange(all, at, at + n);
                    flow.recv(chunk, random.nextInt(n + 1)); // in one or two segments
                    at += n;
                }
                assertArrayEquals(payloads.toByteArray(), flow.app());
                assertEquals(0, flow.lastHeld());
            }
        }
    }

    @Test
    void bytesTransferredFromHeldBytesAreDeliveredIntactWhileTheModuleHoldsAgain() {
        // Passes all but the last 300 bytes of every chunk (by reference: long transfers are not copied) and holds
        // those 300: from the second chunk on, the transfer starts in the held bytes that holding again replaces.
        fixture.load("lagging", new ScriptedModule(ScriptedModule.NO_CUSTOMIZATION, (in, out, f) -> {
            out.transferFrom(in, Math.max(0, in.remaining() - 300));
            in.holdUnread();
            return Verdict.DELIVER;
        }));
        Random random = new Random(8);
        byte[] stream = new byte[20_000];
        random.nextBytes(stream);
        try (DriverFlow flow = fixture.tcp()) {
            for (int at = 0; at < stream.length;) {
                int n = Math.min(stream.length - at, 200 + random.nextInt(1500));
                flow.recv(java.util.Arrays.copyOfRange(stream, at, at + n), random.nextInt(n + 1));
                at += n;
            }
            assertEquals(300, flow.lastHeld());
            assertArrayEquals(java.util.Arrays.copyOf(stream, stream.length - 300), flow.app());
        }
    }

    @Test
    void aModuleAskingForNBytesIsNotCalledUntilThereAreN() {
        ScriptedModule module = new ScriptedModule(ScriptedModule.NO_CUSTOMIZATION, (in, out, f) -> unframe(in, out));
        fixture.load("framer", module);
        try (DriverFlow flow = fixture.tcp()) {
            flow.recv(new byte[] { 100, 1, 2 }); // a frame of 100 bytes begins
            assertEquals(Outcome.HELD, flow.lastOutcome());
            assertEquals(3, flow.lastHeld());
            int calls = module.recvCalls.get();
            for (int i = 0; i < 9; i++) {
                flow.recv(new byte[10]);
                assertEquals(Outcome.HELD, flow.lastOutcome());
            }
            assertEquals(calls, module.recvCalls.get(), "waiting for 101 bytes, the module was not called");
            flow.recv(new byte[8]); // 3 + 90 + 8 = 101
            assertEquals(Outcome.CUSTOMIZED, flow.lastOutcome());
            assertEquals(100, flow.app().length);
        }
    }

    @Test
    void atTheEndOfTheStreamTheHolderIsToldAndWhatItStillHoldsIsDiscardedAndCounted() {
        List<Boolean> ends = new ArrayList<>();
        fixture.load("framer", new ScriptedModule(ScriptedModule.NO_CUSTOMIZATION, (in, out, f) -> {
            ends.add(in.endOfStream());
            return unframe(in, out);
        }));
        try (DriverFlow flow = fixture.tcp()) {
            flow.recv(new byte[] { 5, 'a', 'b' });
            flow.endOfStream(Direction.RECV);
            assertEquals(List.of(false, true), ends);
            assertEquals(0, flow.lastHeld());
        }
        assertEquals(3, fixture.runtime.module("framer").recv.heldDiscarded);
        assertEquals(3, fixture.runtime.stats().recv.heldDiscarded);
    }

    @Test
    void bytesHeldByAModuleThatLeavesPassOnUnchanged() {
        fixture.load("framer", new ScriptedModule(ScriptedModule.NO_CUSTOMIZATION, (in, out, f) -> unframe(in, out)));
        try (DriverFlow flow = fixture.tcp()) {
            flow.recv(new byte[] { 5, 'a', 'b' });
            fixture.runtime.unload("framer", true);
            assertEquals("\u0005abcd", text(flow.recv(bytes("cd"))));
        }
    }

    @Test
    void holdingMoreThanTheHoldLimitIsAFault() {
        fixture.load("hoarder", new ScriptedModule(ScriptedModule.NO_CUSTOMIZATION, (in, out, f) -> {
            in.holdUnread();
            return Verdict.DROP;
        }));
        try (DriverFlow flow = fixture.tcp()) {
            for (int i = 0; i < 5 && flow.lastOutcome() != Outcome.ABORTED; i++) {
                flow.recv(new byte[100_000]);
            }
            assertEquals(Outcome.ABORTED, flow.lastOutcome());
            assertTrue(flow.lastAbortReason().contains("hold limit of 262144 bytes"), flow.lastAbortReason());
        }
    }

    @Test
    void datagramsCannotBeHeld() {
        fixture.load("m", new ScriptedModule((in, out, f) -> {
            in.holdUnread();
            return Verdict.DROP;
        }, ScriptedModule.NO_CUSTOMIZATION));
        try (DriverFlow flow = fixture.udp()) {
            flow.send(bytes("datagram"));
            assertEquals(Outcome.ABORTED, flow.lastOutcome());
            assertTrue(flow.lastAbortReason().contains("datagram"), flow.lastAbortReason());
        }
    }

    @Test
    void skippingAFlowWhileHoldingDeliversTheHeldBytesUnchanged() {
        fixture.load("m", new ScriptedModule(ScriptedModule.NO_CUSTOMIZATION, (in, out, f) -> {
            if (in.startsWith(bytes("stop"))) {
                return Verdict.SKIP_FLOW;
            }
            in.holdUnread();
            return Verdict.DROP;
        }));
        try (DriverFlow flow = fixture.tcp()) {
            flow.recv(bytes("stop-")); // held? no: starts with stop -> skip
            assertEquals("stop-", text(flow.app()));
        }
        try (DriverFlow flow = fixture.tcp()) {
            flow.recv(bytes("abc"));
            assertEquals(Outcome.HELD, flow.lastOutcome());
        }
    }
}
