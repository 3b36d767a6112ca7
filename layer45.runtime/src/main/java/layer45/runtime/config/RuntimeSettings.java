package layer45.runtime.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import layer45.runtime.view.BufferPool;

/**
 * Runtime-wide limits and budgets, with the defaults an operator gets without configuring anything.
 *
 * @param maxChain the most modules attached to one flow (the original's {@code MAX_CUST_ATTACH}, 5)
 * @param callBudgetMillis the longest one module call may take; longer is a fault that aborts the flow
 * @param faultBudget faults a module may have within the fault window; one more deactivates it
 * @param faultWindowMillis the fault window
 * @param outputLimit the most bytes a module may write for one chunk
 * @param holdLimit the most bytes a module may hold back in one direction of a flow
 */
public record RuntimeSettings(int maxChain, long callBudgetMillis, int faultBudget, long faultWindowMillis,
        int outputLimit, int holdLimit) {

    /** Configuration key of {@link #maxChain()}. */
    public static final String MAX_CHAIN = "max.chain";
    /** Configuration key of {@link #callBudgetMillis()}. */
    public static final String CALL_BUDGET_MS = "call.budget.ms";
    /** Configuration key of {@link #faultBudget()}. */
    public static final String FAULT_BUDGET = "fault.budget";
    /** Configuration key of {@link #faultWindowMillis()}, in seconds. */
    public static final String FAULT_WINDOW_S = "fault.window.s";
    /** Configuration key of {@link #outputLimit()}. */
    public static final String OUTPUT_LIMIT = "output.limit";
    /** Configuration key of {@link #holdLimit()}. */
    public static final String HOLD_LIMIT = "hold.limit";

    /** The defaults. */
    public static final RuntimeSettings DEFAULTS = new RuntimeSettings(5, 1000, 10, 60_000, 1 << 20, 256 << 10);

    /** Checks the ranges. */
    public RuntimeSettings {
        List<String> problems = new ArrayList<>();
        range(problems, MAX_CHAIN, maxChain, 1, 64);
        range(problems, CALL_BUDGET_MS, callBudgetMillis, 1, 3_600_000);
        range(problems, FAULT_BUDGET, faultBudget, 0, 10_000);
        range(problems, FAULT_WINDOW_S, faultWindowMillis / 1000, 1, 86_400);
        range(problems, OUTPUT_LIMIT, outputLimit, 1024, BufferPool.MAX_BLOCK);
        range(problems, HOLD_LIMIT, holdLimit, 1024, 64 << 20);
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", problems));
        }
    }

    /**
     * Reads settings from configuration properties; missing keys keep their defaults.
     *
     * @param properties configuration (values as numbers or strings)
     * @return the settings
     * @throws IllegalArgumentException naming every key whose value does not parse or is out of range
     */
    public static RuntimeSettings from(Map<String, ?> properties) {
        List<String> problems = new ArrayList<>();
        long maxChain = Numbers.whole(properties, MAX_CHAIN, DEFAULTS.maxChain, problems);
        long budget = Numbers.whole(properties, CALL_BUDGET_MS, DEFAULTS.callBudgetMillis, problems);
        long faults = Numbers.whole(properties, FAULT_BUDGET, DEFAULTS.faultBudget, problems);
        long window = Numbers.whole(properties, FAULT_WINDOW_S, DEFAULTS.faultWindowMillis / 1000, problems);
        long output = Numbers.whole(properties, OUTPUT_LIMIT, DEFAULTS.outputLimit, problems);
        long hold = Numbers.whole(properties, HOLD_LIMIT, DEFAULTS.holdLimit, problems);
        // Saturate so that "* 1000" cannot wrap a huge number of seconds back into range.
        long windowMillis = Math.clamp(window, Long.MIN_VALUE / 1000, Long.MAX_VALUE / 1000) * 1000;
        RuntimeSettings settings = null;
        try {
            // Keys that did not parse fell back to their defaults, so this reports only the out-of-range ones.
            settings = new RuntimeSettings(clamp(maxChain), budget, clamp(faults), windowMillis, clamp(output),
                    clamp(hold));
        } catch (IllegalArgumentException e) {
            problems.add(e.getMessage());
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", problems));
        }
        return settings;
    }

    /** @return the settings as configuration properties */
    public Map<String, Object> toMap() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put(MAX_CHAIN, maxChain);
        map.put(CALL_BUDGET_MS, callBudgetMillis);
        map.put(FAULT_BUDGET, faultBudget);
        map.put(FAULT_WINDOW_S, faultWindowMillis / 1000);
        map.put(OUTPUT_LIMIT, outputLimit);
        map.put(HOLD_LIMIT, holdLimit);
        return map;
    }

    private static void range(List<String> problems, String key, long value, long min, long max) {
        if (value < min || value > max) {
            problems.add(key + ": " + value + " is out of range (" + min + "-" + max + ")");
        }
    }

    private static int clamp(long value) {
        // Out-of-range values are reported by the constructor; this only keeps the cast from wrapping first.
        return (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, value));
    }
}
