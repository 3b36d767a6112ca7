package layer45.customizations.pace;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static layer45.customizations.pace.PaceTestbed.config;
import static layer45.customizations.pace.PaceTestbed.delay;
import static layer45.customizations.pace.PaceTestbed.rate;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
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
import layer45.runtime.driver.DriverFlow;

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

    @AfterEach
    void close() {
        testbed.close();
    }

    private static byte[] bytes(int n) {
        return new byte[n];
    }

    @Test
    void eachChunkSentWaitsTheDelayAndGoesOutUnchanged() {
        testbed.load("pace", delay(100), 1000);
        byte[] response = "HTTP/1.0 200 OK\r\n\r\nhello".getBytes(US_ASCII);
        try (DriverFlow web = testbed.webServer()) {
            assertArrayEquals(response, web.send(response));
            assertEquals(Outcome.ORIGINAL, web.lastOutcome());
            web.send(bytes(4000));
            web.send(bytes(1));
            assertEquals(response.length + 4001, web.applicationSent());
        }
        assertEquals(List.of(MS_100, MS_100, MS_100), testbed.clock.takeWaits());
    }

    @Test
    void whatTheServerReceivesIsNeverDelayed() {
        testbed.load("pace", delay(100), 1000);
        byte[] request = "GET / HTTP/1.0\r\n\r\n".getBytes(US_ASCII);
        try (DriverFlow web = testbed.webServer()) {
            assertArrayEquals(request, web.recv(request));
        }
        assertEquals(List.of(), testbed.clock.takeWaits());
    }

    @Test
    void theBucketLetsABurstThroughThenHoldsTheRate() {
        testbed.load("pace", rate(10_000, 20_000), 1000);
        try (DriverFlow web = testbed.webServer()) {
            web.send(bytes(20_000));
            assertEquals(List.of(), testbed.clock.takeWaits(), "the first 20 000 bytes are the burst");
            web.send(bytes(1000));
            web.send(bytes(1000));
            assertEquals(List.of(MS_100, MS_100), testbed.clock.takeWaits(), "then 1000 bytes per 100 ms");
            testbed.clock.advance(Duration.ofSeconds(60));
            web.send(bytes(20_000));
            web.send(bytes(500));
            assertEquals(List.of(Duration.ofMillis(50)), testbed.clock.takeWaits(), "an idle minute refills one burst");
        }
    }

    @Test
    void everyFlowHasItsOwnBucket() {
        testbed.load("pace", rate(10_000, 1000), 1000);
        try (DriverFlow first = testbed.webServer(); DriverFlow second = testbed.webServer()) {
            first.send(bytes(1000));
            second.send(bytes(1000));
            assertEquals(List.of(), testbed.clock.takeWaits());
            first.send(bytes(1000));
            assertEquals(List.of(MS_100), testbed.clock.takeWaits());
        }
    }

    @Test
    void aDelayLongerThanAQuarterOfTheCallBudgetIsCutToIt() {
        testbed.load("pace", delay(1000), 1000); // deprecate_web_server's 1 s, under the default 1000 ms budget
        try (DriverFlow web = testbed.webServer()) {
            web.send(bytes(100));
            assertEquals(Outcome.ORIGINAL, web.lastOutcome(), "cut, never a fault");
        }
        assertEquals(List.of(MS_250), testbed.clock.takeWaits());
        testbed.callBudget(4000);
        try (DriverFlow web = testbed.webServer()) {
            web.send(bytes(100));
        }
        assertEquals(List.of(Duration.ofSeconds(1)), testbed.clock.takeWaits(), "with 4 s of budget, the full second");
    }

    @Test
    void aRateTheCapCannotHoldWaitsOffItsDebtOverTheFollowingChunks() {
        testbed.load("pace", rate(1000, 1000), 1000);
        try (DriverFlow web = testbed.webServer()) {
            web.send(bytes(2000)); // 1000 bytes over the bucket: 1 s, cut to 250 ms
            for (int i = 0; i < 4; i++) {
                web.send(bytes(1)); // each waits off 250 ms more of the debt, the last only what is left
            }
            assertEquals(List.of(MS_250, MS_250, MS_250, MS_250, Duration.ofMillis(4)), testbed.clock.takeWaits(),
                    "1004 bytes over the burst at 1000 B/s: 1.004 s in all, as the rate asks");
            testbed.clock.advance(Duration.ofSeconds(10));
            web.send(bytes(10));
            assertEquals(List.of(), testbed.clock.takeWaits(), "an idle flow is out of debt");
        }
    }

    @Test
    void noCallEverWaitsLongerThanTheCapWhateverThePaceAndTheChunks() {
        Random random = new Random(8080);
        for (int round = 0; round < 50; round++) {
            long budget = 4 + random.nextInt(3000);
            testbed.callBudget(budget);
            Pace pace = testbed.load("pace-" + round, config(random.nextInt(5000), random.nextInt(100_000),
                    1 + random.nextInt(100_000), false), round);
            try (DriverFlow web = testbed.webServer()) {
                for (int chunk = 0; chunk < 20; chunk++) {
                    web.send(bytes(1 + random.nextInt(70_000)));
                    testbed.clock.advance(Duration.ofMillis(random.nextInt(300)));
                }
            }
            Duration cap = Duration.ofNanos(pace.waitCapNanos());
            assertEquals(Duration.ofMillis(budget).dividedBy(4), cap);
            assertTrue(testbed.clock.takeWaits().stream().allMatch(w -> w.compareTo(cap) <= 0), "round " + round);
            testbed.runtime.unload("pace-" + round, true);
        }
    }

    @Test
    void newParametersReachOpenFlowsAtTheirNextChunk() {
        Pace pace = testbed.load("pace", delay(100), 1000);
        try (DriverFlow web = testbed.webServer()) {
            web.send(bytes(10));
            pace.configure(delay(10));
            web.send(bytes(10));
            pace.configure(delay(0));
            web.send(bytes(10));
        }
        assertEquals(List.of(MS_100, Duration.ofMillis(10)), testbed.clock.takeWaits());
    }

    @Test
    void theFirstPaceModuleInPriorityOrderSetsThePace() {
        // priority_test_stream_single.sh: 1 s at priority 10, 100 ms at priority 20, then 100 ms moved to 5
        testbed.callBudget(4000);
        testbed.load("deprecate-web-server", delay(1000), 10);
        testbed.load("activate-web-server", delay(100), 20);
        try (DriverFlow web = testbed.webServer()) {
            web.send(bytes(1000));
            assertEquals(List.of(Duration.ofSeconds(1)), testbed.clock.takeWaits(), "one module waits, not both");
            testbed.runtime.setPriority("activate-web-server", 5);
            web.send(bytes(1000));
            assertEquals(List.of(MS_100), testbed.clock.takeWaits(), "the open connection follows at its next send");
            testbed.runtime.unload("activate-web-server", true);
            web.send(bytes(1000));
            assertEquals(List.of(Duration.ofSeconds(1)), testbed.clock.takeWaits());
            testbed.runtime.unload("deprecate-web-server", true);
            web.send(bytes(1000));
            assertEquals(List.of(), testbed.clock.takeWaits());
        }
    }

    @Test
    void anInactivePaceModuleDoesNotWait() {
        testbed.load("pace", delay(100), 1000);
        testbed.runtime.setActive("pace", false);
        try (DriverFlow web = testbed.webServer()) {
            web.send(bytes(10));
        }
        assertEquals(List.of(), testbed.clock.takeWaits(), "unlike rate_limit_30_sec, which slept when inactive");
    }

    @Test
    void withPassToNextTheNextModuleDecidesAfterTheWait() {
        testbed.load("pace", config(100, 0, 65536, true), 10);
        testbed.load("upper-case", new UpperCase(), 20);
        try (DriverFlow web = testbed.webServer()) {
            assertEquals("HELLO", new String(web.send("hello".getBytes(US_ASCII)), US_ASCII));
        }
        assertEquals(List.of(MS_100), testbed.clock.takeWaits());
    }

    @Test
    void anInterruptedWaitLetsTheChunkGoAndKeepsTheInterrupt() {
        testbed.load("pace", delay(100), 1000);
        testbed.clock.interruptNextSleep();
        try (DriverFlow web = testbed.webServer()) {
            assertArrayEquals(bytes(10), web.send(bytes(10)));
            assertTrue(Thread.interrupted(), "the interrupt is the thread owner's, so it stays set");
        }
    }

    @Test
    void withoutTheRuntimeServiceTheCapIsAQuarterOfTheDefaultBudget() {
        Pace pace = new Pace(testbed.clock);
        assertEquals(Duration.ofMillis(250), Duration.ofNanos(pace.waitCapNanos()));
        pace.setRuntime(testbed.runtime);
        testbed.callBudget(2000);
        assertEquals(Duration.ofMillis(500), Duration.ofNanos(pace.waitCapNanos()));
        pace.unsetRuntime(testbed.runtime);
        assertEquals(Duration.ofMillis(250), Duration.ofNanos(pace.waitCapNanos()));
    }

    @Test
    void parametersOutOfRangeAreRefusedWithTheirNameAndTheOldPaceStays() {
        Pace pace = testbed.load("pace", delay(100), 1000);
        IllegalArgumentException negative = assertThrows(IllegalArgumentException.class,
                () -> pace.configure(delay(-1)));
        assertTrue(negative.getMessage().contains("delay.ms"), negative.getMessage());
        IllegalArgumentException rate = assertThrows(IllegalArgumentException.class,
                () -> pace.configure(rate(-5, 100)));
        assertTrue(rate.getMessage().contains("rate.bytes.per.s"), rate.getMessage());
        IllegalArgumentException burst = assertThrows(IllegalArgumentException.class,
                () -> pace.configure(rate(1000, 0)));
        assertTrue(burst.getMessage().contains("burst.bytes"), burst.getMessage());
        try (DriverFlow web = testbed.webServer()) {
            web.send(bytes(1));
        }
        assertEquals(List.of(MS_100), testbed.clock.takeWaits());
        assertFalse(Thread.currentThread().isInterrupted());
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
