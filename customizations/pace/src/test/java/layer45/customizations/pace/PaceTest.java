package layer45.customizations.pace;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static layer45.customizations.pace.PaceTestbed.WEB;
import static layer45.customizations.pace.PaceTestbed.at;
import static layer45.customizations.pace.PaceTestbed.bound;
import static layer45.customizations.pace.PaceTestbed.config;
import static layer45.customizations.pace.PaceTestbed.delay;
import static layer45.customizations.pace.PaceTestbed.rate;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Random;

import layer45.api.Chunk;
import layer45.api.Customization;
import layer45.api.Flow;
import layer45.api.Output;
import layer45.api.Verdict;
import layer45.api.spi.Outcome;
import layer45.testing.ModuleTester;
import layer45.testing.TestFlow;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The web server's sends wait as configured, through the real chain, on a fake clock: no test measures time. Each
 * chunk passes unchanged, and no call ever waits past a quarter of the runtime's call budget.
 */
class PaceTest {

    private static final Duration MS_100 = Duration.ofMillis(100);
    private static final Duration MS_250 = Duration.ofMillis(250);
    private final PaceTestbed testbed = new PaceTestbed();
    private ModuleTester tester;

    @AfterEach
    void close() {
        if (tester != null) {
            tester.close();
        }
    }

    /** @return a tester of one pace module, named "pace", on its default target, bound to the runtime */
    private ModuleTester paced(Pace.Config config) {
        Pace pace = testbed.pace(config);
        tester = bound(ModuleTester.of(pace), pace);
        return tester;
    }

    private static byte[] bytes(int n) {
        return new byte[n];
    }

    private List<Duration> waits() {
        return testbed.clock.takeWaits();
    }

    @Test
    void eachChunkSentWaitsTheDelayAndGoesOutUnchanged() {
        byte[] response = "HTTP/1.0 200 OK\r\n\r\nhello".getBytes(US_ASCII);
        try (TestFlow web = paced(delay(100)).flow(WEB)) {
            web.send(response).expectOutput(response).expectOutcome(Outcome.ORIGINAL)
                    .expectVerdict(Verdict.NO_CUSTOMIZATION);
            web.send(bytes(4000));
            web.send(bytes(1));
            assertEquals(response.length + 4001, web.applicationSent());
        }
        assertEquals(List.of(MS_100, MS_100, MS_100), waits());
    }

    @Test
    void whatTheServerReceivesIsNeverDelayed() {
        byte[] request = "GET / HTTP/1.0\r\n\r\n".getBytes(US_ASCII);
        try (TestFlow web = paced(delay(100)).flow(WEB)) {
            web.recv(request).expectOutput(request).expectVerdict(Verdict.TRY_NEXT);
        }
        assertEquals(List.of(), waits());
    }

    @Test
    void theBucketLetsABurstThroughThenHoldsTheRate() {
        try (TestFlow web = paced(rate(10_000, 20_000)).flow(WEB)) {
            web.send(bytes(20_000));
            assertEquals(List.of(), waits(), "the first 20 000 bytes are the burst");
            web.send(bytes(1000));
            web.send(bytes(1000));
            assertEquals(List.of(MS_100, MS_100), waits(), "then 1000 bytes per 100 ms");
            testbed.clock.advance(Duration.ofSeconds(60));
            web.send(bytes(20_000));
            web.send(bytes(500));
            assertEquals(List.of(Duration.ofMillis(50)), waits(), "an idle minute refills one burst");
        }
    }

    @Test
    void everyFlowHasItsOwnBucket() {
        paced(rate(10_000, 1000));
        try (TestFlow first = tester.flow(WEB); TestFlow second = tester.flow(WEB)) {
            first.send(bytes(1000));
            second.send(bytes(1000));
            assertEquals(List.of(), waits());
            first.send(bytes(1000));
            assertEquals(List.of(MS_100), waits());
        }
    }

    @Test
    void aDelayLongerThanAQuarterOfTheCallBudgetIsCutToIt() {
        paced(delay(1000)); // deprecate_web_server's 1 s, under the default 1000 ms budget
        try (TestFlow web = tester.flow(WEB)) {
            assertEquals(Outcome.ORIGINAL, web.send(bytes(100)).outcome(), "cut, never a fault");
        }
        assertEquals(List.of(MS_250), waits());
        assertEquals(0, tester.moduleInfo().send.faults);
        tester.setting("call.budget.ms", 4000); // an operator raises the budget of the running runtime
        try (TestFlow web = tester.flow(WEB)) {
            web.send(bytes(100));
        }
        assertEquals(List.of(Duration.ofSeconds(1)), waits(), "with 4 s of budget, the full second");
    }

    @Test
    void aRateTheCapCannotHoldWaitsOffItsDebtOverTheFollowingChunks() {
        try (TestFlow web = paced(rate(1000, 1000)).flow(WEB)) {
            web.send(bytes(2000)); // 1000 bytes over the bucket: 1 s, cut to 250 ms
            for (int i = 0; i < 4; i++) {
                web.send(bytes(1)); // each waits off 250 ms more of the debt, the last only what is left
            }
            assertEquals(List.of(MS_250, MS_250, MS_250, MS_250, Duration.ofMillis(4)), waits(),
                    "1004 bytes over the burst at 1000 B/s: 1.004 s in all, as the rate asks");
            testbed.clock.advance(Duration.ofSeconds(10));
            web.send(bytes(10));
            assertEquals(List.of(), waits(), "an idle flow is out of debt");
        }
    }

    @Test
    void noCallEverWaitsLongerThanTheCapWhateverThePaceAndTheChunks() {
        Random random = new Random(8080);
        for (int round = 0; round < 50; round++) {
            long budget = 4 + random.nextInt(3000);
            Pace pace = testbed.pace(config(random.nextInt(5000), random.nextInt(100_000), 1 + random.nextInt(100_000),
                    false));
            try (ModuleTester paced = bound(ModuleTester.of(pace).setting("call.budget.ms", budget), pace)) {
                try (TestFlow web = paced.flow(WEB)) {
                    for (int chunk = 0; chunk < 20; chunk++) {
                        web.send(bytes(1 + random.nextInt(70_000))).expectOutcome(Outcome.ORIGINAL);
                        testbed.clock.advance(Duration.ofMillis(random.nextInt(300)));
                    }
                }
                Duration cap = Duration.ofNanos(pace.waitCapNanos());
                assertEquals(Duration.ofMillis(budget).dividedBy(4), cap);
                assertTrue(waits().stream().allMatch(w -> w.compareTo(cap) <= 0), "round " + round);
            }
        }
    }

    @Test
    void newParametersReachOpenFlowsAtTheirNextChunk() {
        try (TestFlow web = paced(delay(100)).flow(WEB)) {
            web.send(bytes(10));
            tester.configure("delay.ms", 10);
            web.send(bytes(10));
            tester.configure("delay.ms", 0);
            web.send(bytes(10));
        }
        assertEquals(List.of(MS_100, Duration.ofMillis(10)), waits());
    }

    @Test
    void theFirstPaceModuleInPriorityOrderSetsThePace() {
        // priority_test_stream_single.sh: 1 s at priority 10, 100 ms at priority 20, then 100 ms moved to 5
        Pace deprecate = testbed.pace(delay(1000));
        Pace activate = testbed.pace(delay(100));
        tester = bound(ModuleTester.of(deprecate, "deprecate-web-server", at(10))
                .with(activate, "activate-web-server", at(20)).setting("call.budget.ms", 4000), deprecate, activate);
        try (TestFlow web = tester.flow(WEB)) {
            web.send(bytes(1000));
            assertEquals(List.of(Duration.ofSeconds(1)), waits(), "one module waits, not both");
            tester.operator().setPriority("activate-web-server", 5);
            web.send(bytes(1000));
            assertEquals(List.of(MS_100), waits(), "the open connection follows at its next send");
            tester.operator().unload("activate-web-server", true);
            web.send(bytes(1000));
            assertEquals(List.of(Duration.ofSeconds(1)), waits());
            tester.operator().unload("deprecate-web-server", true);
            web.send(bytes(1000)).expectOutcome(Outcome.ORIGINAL).expectVerdict(null);
            assertEquals(List.of(), waits());
        }
    }

    @Test
    void anInactivePaceModuleDoesNotWait() {
        paced(delay(100)).operator().setActive("pace", false);
        try (TestFlow web = tester.flow(WEB)) {
            web.send(bytes(10)).expectVerdict(null); // not even called
        }
        assertEquals(List.of(), waits(), "unlike rate_limit_30_sec, which slept when inactive");
    }

    @Test
    void withPassToNextTheNextModuleDecidesAfterTheWait() {
        Pace pace = testbed.pace(config(100, 0, 65536, true));
        tester = bound(ModuleTester.of(pace, "pace", at(10)).with(new UpperCase(), "upper-case", at(20)), pace);
        try (TestFlow web = tester.flow(WEB)) {
            web.send("hello").expectOutput("HELLO").expectVerdict(Verdict.TRY_NEXT);
        }
        assertEquals(List.of(MS_100), waits());
    }

    @Test
    void anInterruptedWaitLetsTheChunkGoAndKeepsTheInterrupt() {
        paced(delay(100));
        testbed.clock.interruptNextSleep();
        try (TestFlow web = tester.flow(WEB)) {
            web.send(bytes(10)).expectOutput(bytes(10));
            assertTrue(Thread.interrupted(), "the interrupt is the thread owner's, so it stays set");
        }
    }

    @Test
    void withoutTheRuntimeServiceTheCapIsAQuarterOfTheDefaultBudget() {
        Pace pace = testbed.pace(delay(100));
        assertEquals(Duration.ofMillis(250), Duration.ofNanos(pace.waitCapNanos()));
        tester = bound(ModuleTester.of(pace), pace);
        assertEquals(Duration.ofMillis(250), Duration.ofNanos(pace.waitCapNanos()), "the runtime's default budget");
        tester.setting("call.budget.ms", 2000);
        assertEquals(Duration.ofMillis(500), Duration.ofNanos(pace.waitCapNanos()));
        pace.unsetRuntime(tester.operator());
        assertEquals(Duration.ofMillis(250), Duration.ofNanos(pace.waitCapNanos()));
    }

    @Test
    void parametersOutOfRangeAreRefusedWithTheirNameAndTheOldPaceStays() {
        paced(delay(100));
        String negative = refused("delay.ms", -1);
        assertTrue(negative.contains("delay.ms"), negative);
        String rate = refused("rate.bytes.per.s", -5, "burst.bytes", 100);
        assertTrue(rate.contains("rate.bytes.per.s"), rate);
        String burst = refused("rate.bytes.per.s", 1000, "burst.bytes", 0);
        assertTrue(burst.contains("burst.bytes"), burst);
        try (TestFlow web = tester.flow(WEB)) {
            web.send(bytes(1));
        }
        assertEquals(List.of(MS_100), waits());
        assertFalse(Thread.currentThread().isInterrupted());
    }

    /** @return why the module refused the configuration, which DS then keeps out */
    private String refused(Object... namesAndValues) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> tester.configure(namesAndValues));
        return e.getCause().getMessage();
    }

    /** A module that decides for every chunk sent: it upper-cases it. */
    private static final class UpperCase implements Customization {
        @Override
        public Verdict send(Chunk source, Output output, Flow flow) {
            while (source.remaining() > 0) {
                output.writeByte(Character.toUpperCase(source.byteAt(0)));
                source.advance(1);
            }
            return Verdict.DELIVER;
        }

        @Override
        public Verdict recv(Chunk source, Output output, Flow flow) {
            return Verdict.TRY_NEXT;
        }
    }
}
