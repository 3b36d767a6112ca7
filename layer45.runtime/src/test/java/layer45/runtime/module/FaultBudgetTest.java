package layer45.runtime.module;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** How many faults a module may have in a sliding window before it is deactivated. */
class FaultBudgetTest {

    static final long WINDOW = 60_000;

    @ParameterizedTest(name = "budget {0}")
    @ValueSource(ints = {1, 2, 3, 10, 100})
    void aBudgetOfNToleratesNFaultsInTheWindowAndTheNextExceedsIt(int budget) {
        FaultBudget faults = new FaultBudget(budget, WINDOW);
        long now = 1_000_000;
        for (int i = 0; i < budget; i++) {
            assertFalse(faults.record(now + i), "fault " + (i + 1) + " of " + budget);
        }
        assertTrue(faults.record(now + budget), "fault " + (budget + 1) + " exceeds the budget");
        assertTrue(faults.record(now + budget + 1), "and so does every further fault in the window");
    }

    @ParameterizedTest(name = "budget {0}")
    @ValueSource(ints = {1, 2, 3, 10})
    void faultsAllAtTheSameMomentCount(int budget) {
        FaultBudget faults = new FaultBudget(budget, WINDOW);
        for (int i = 0; i < budget; i++) {
            assertFalse(faults.record(5000));
        }
        assertTrue(faults.record(5000));
    }

    @ParameterizedTest(name = "budget {0}")
    @ValueSource(ints = {1, 2, 3, 10})
    void faultsSpreadWiderThanTheWindowNeverExceedTheBudget(int budget) {
        FaultBudget faults = new FaultBudget(budget, WINDOW);
        // budget + 1 consecutive faults always span more than the window
        long interval = WINDOW / budget + 1;
        long now = 0;
        for (int i = 0; i < 1000; i++) {
            assertFalse(faults.record(now), "fault " + i);
            now += interval;
        }
    }

    @Test
    void theWindowIncludesItsEnd() {
        FaultBudget faults = new FaultBudget(1, 1000);
        assertFalse(faults.record(0));
        assertTrue(faults.record(1000), "exactly one window apart is within the window");

        FaultBudget spaced = new FaultBudget(1, 1000);
        assertFalse(spaced.record(0));
        assertFalse(spaced.record(1001), "one millisecond more is outside");
    }

    @Test
    void aBurstAfterAQuietPeriodIsJudgedOnItsOwn() {
        FaultBudget faults = new FaultBudget(3, 1000);
        assertFalse(faults.record(0));
        assertFalse(faults.record(10));
        assertFalse(faults.record(20));
        // long quiet, then a burst of three: old faults have left the window
        assertFalse(faults.record(10_000));
        assertFalse(faults.record(10_001));
        assertFalse(faults.record(10_002));
        assertTrue(faults.record(10_003));
    }

    @Test
    void aBudgetOfZeroIsExceededAtTheFirstFault() {
        FaultBudget faults = new FaultBudget(0, WINDOW);
        assertTrue(faults.record(123));
    }

    @Test
    void resetForgetsEveryFault() {
        FaultBudget faults = new FaultBudget(2, WINDOW);
        assertFalse(faults.record(100));
        assertFalse(faults.record(200));
        faults.reset();
        assertEquals(0, faults.inWindow(300));
        assertFalse(faults.record(300), "a full budget again after reset");
        assertFalse(faults.record(400));
        assertTrue(faults.record(500));
    }

    @Test
    void resetAfterExceedingGivesTheModuleAFreshBudget() {
        FaultBudget faults = new FaultBudget(1, WINDOW);
        assertFalse(faults.record(0));
        assertTrue(faults.record(1));
        faults.reset();
        assertFalse(faults.record(2));
        assertEquals(1, faults.inWindow(2));
    }

    @Test
    void inWindowCountsTheRecentFaults() {
        FaultBudget faults = new FaultBudget(5, 250);
        assertEquals(0, faults.inWindow(0));
        faults.record(0);
        faults.record(100);
        faults.record(200);
        assertEquals(3, faults.inWindow(200));
        assertEquals(3, faults.inWindow(250), "250 ms after the first is still inside");
        assertEquals(2, faults.inWindow(251), "the first has left the window");
        assertEquals(2, faults.inWindow(350));
        assertEquals(1, faults.inWindow(351));
        assertEquals(1, faults.inWindow(450));
        assertEquals(0, faults.inWindow(451));
    }

    @Test
    void inWindowCountsAtMostTheLastBudgetPlusOneFaults() {
        FaultBudget faults = new FaultBudget(2, WINDOW);
        for (int i = 0; i < 10; i++) {
            faults.record(i);
        }
        assertEquals(3, faults.inWindow(10), "only the last budget + 1 are remembered, enough to judge");
    }
}
