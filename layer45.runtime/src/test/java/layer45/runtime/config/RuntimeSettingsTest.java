package layer45.runtime.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import layer45.runtime.view.BufferPool;

/** The runtime-wide limits an operator configures, and what happens when they are wrong. */
class RuntimeSettingsTest {

    @Test
    void theDefaultsAreTheDocumentedOnes() {
        RuntimeSettings d = RuntimeSettings.DEFAULTS;
        assertEquals(5, d.maxChain(), "MAX_CUST_ATTACH of the original");
        assertEquals(1000, d.callBudgetMillis());
        assertEquals(10, d.faultBudget());
        assertEquals(60_000, d.faultWindowMillis());
        assertEquals(1 << 20, d.outputLimit());
        assertEquals(256 << 10, d.holdLimit());
    }

    @Test
    void noConfigurationGivesTheDefaults() {
        assertEquals(RuntimeSettings.DEFAULTS, RuntimeSettings.from(Map.of()));
    }

    @Test
    void unrelatedKeysAreIgnored() {
        assertEquals(RuntimeSettings.DEFAULTS,
                RuntimeSettings.from(Map.of("service.pid", "layer45.runtime", "felix.fileinstall.filename", "x")));
    }

    @Test
    void numbersOfAnyIntegerTypeAreRead() {
        RuntimeSettings s = RuntimeSettings.from(Map.of(
                RuntimeSettings.MAX_CHAIN, 8,
                RuntimeSettings.CALL_BUDGET_MS, 250L,
                RuntimeSettings.FAULT_BUDGET, (short) 3,
                RuntimeSettings.FAULT_WINDOW_S, (byte) 30,
                RuntimeSettings.OUTPUT_LIMIT, 4 << 20,
                RuntimeSettings.HOLD_LIMIT, 2048L));
        assertEquals(new RuntimeSettings(8, 250, 3, 30_000, 4 << 20, 2048), s);
    }

    @Test
    void stringsAreReadAsWholeNumbersIgnoringSurroundingBlanks() {
        RuntimeSettings s = RuntimeSettings.from(Map.of(
                RuntimeSettings.MAX_CHAIN, "8",
                RuntimeSettings.CALL_BUDGET_MS, " 250 ",
                RuntimeSettings.FAULT_BUDGET, "0",
                RuntimeSettings.FAULT_WINDOW_S, "+30",
                RuntimeSettings.OUTPUT_LIMIT, "1024",
                RuntimeSettings.HOLD_LIMIT, "67108864"));
        assertEquals(new RuntimeSettings(8, 250, 0, 30_000, 1024, 64 << 20), s);
    }

    @Test
    void theFaultWindowIsConfiguredInSeconds() {
        assertEquals(86_400_000L, RuntimeSettings.from(Map.of(RuntimeSettings.FAULT_WINDOW_S, 86_400)).faultWindowMillis());
        assertEquals(1000L, RuntimeSettings.from(Map.of(RuntimeSettings.FAULT_WINDOW_S, "1")).faultWindowMillis());
    }

    /** key, lowest accepted, highest accepted. */
    static Stream<Arguments> ranges() {
        return Stream.of(
                Arguments.of(RuntimeSettings.MAX_CHAIN, 1L, 64L),
                Arguments.of(RuntimeSettings.CALL_BUDGET_MS, 1L, 3_600_000L),
                Arguments.of(RuntimeSettings.FAULT_BUDGET, 0L, 10_000L),
                Arguments.of(RuntimeSettings.FAULT_WINDOW_S, 1L, 86_400L),
                Arguments.of(RuntimeSettings.OUTPUT_LIMIT, 1024L, (long) BufferPool.MAX_BLOCK),
                Arguments.of(RuntimeSettings.HOLD_LIMIT, 1024L, 64L << 20));
    }

    @ParameterizedTest(name = "{0} accepts {1} and {2}")
    @MethodSource("ranges")
    void theEndsOfEveryRangeAreAccepted(String key, long min, long max) {
        assertEquals(min, valueOf(RuntimeSettings.from(Map.of(key, min)), key));
        assertEquals(max, valueOf(RuntimeSettings.from(Map.of(key, max)), key));
        assertEquals(max, valueOf(RuntimeSettings.from(Map.of(key, String.valueOf(max))), key));
    }

    @ParameterizedTest(name = "{0} below {1} and above {2}")
    @MethodSource("ranges")
    void valuesJustOutsideEveryRangeAreRejectedNamingTheKey(String key, long min, long max) {
        for (long bad : new long[] {min - 1, max + 1}) {
            for (Object value : List.of(bad, String.valueOf(bad))) {
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                        () -> RuntimeSettings.from(Map.of(key, value)), key + "=" + value);
                assertTrue(e.getMessage().contains(key), e.getMessage());
                assertTrue(e.getMessage().contains(bad + " is out of range (" + min + "-" + max + ")"), e.getMessage());
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("ranges")
    void hugeValuesAreRejectedAndNeverWrapIntoRange(String key, long min, long max) {
        // 2^32 + 5 would be 5 after a cast to int; 2^64/1000 + 60 seconds would be 60 s after * 1000
        for (Object value : List.of(Long.MAX_VALUE, Long.MIN_VALUE, (1L << 32) + 5, "4294967301",
                "18446744073709612", 18_446_744_073_709_612L, "-18446744073709612")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> RuntimeSettings.from(Map.of(key, value)), key + "=" + value);
            assertTrue(e.getMessage().contains(key + ":") && e.getMessage().contains("out of range"), e.getMessage());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("ranges")
    void textThatIsNotAWholeNumberIsRejectedNamingTheKey(String key, long min, long max) {
        for (String text : List.of("", " ", "ten", "1.5", "1e3", "0x10", "5 ms", "9223372036854775808")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> RuntimeSettings.from(Map.of(key, text)), key + "='" + text + "'");
            assertTrue(e.getMessage().contains(key + ": '" + text + "' is not a whole number"), e.getMessage());
        }
    }

    @Test
    void severalBadKeysAreReportedTogether() {
        Map<String, Object> config = new HashMap<>();
        config.put(RuntimeSettings.MAX_CHAIN, 0);
        config.put(RuntimeSettings.HOLD_LIMIT, "1");
        config.put(RuntimeSettings.OUTPUT_LIMIT, Long.MAX_VALUE);
        config.put(RuntimeSettings.CALL_BUDGET_MS, 500); // fine
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> RuntimeSettings.from(config));
        String message = e.getMessage();
        assertTrue(message.contains(RuntimeSettings.MAX_CHAIN + ":"), message);
        assertTrue(message.contains(RuntimeSettings.HOLD_LIMIT + ":"), message);
        assertTrue(message.contains(RuntimeSettings.OUTPUT_LIMIT + ":"), message);
        assertFalse(message.contains(RuntimeSettings.CALL_BUDGET_MS), message);
    }

    @Test
    void unparsableAndOutOfRangeKeysAreReportedTogether() {
        Map<String, Object> config = new HashMap<>();
        config.put(RuntimeSettings.FAULT_BUDGET, "many");
        config.put(RuntimeSettings.FAULT_WINDOW_S, "soon");
        config.put(RuntimeSettings.MAX_CHAIN, 100);
        config.put(RuntimeSettings.HOLD_LIMIT, 10);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> RuntimeSettings.from(config));
        String message = e.getMessage();
        for (String key : List.of(RuntimeSettings.FAULT_BUDGET, RuntimeSettings.FAULT_WINDOW_S,
                RuntimeSettings.MAX_CHAIN, RuntimeSettings.HOLD_LIMIT)) {
            assertTrue(message.contains(key + ":"), key + " missing from: " + message);
        }
    }

    @Test
    void theConstructorChecksTheRangesToo() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new RuntimeSettings(0, 0, -1, 0, 0, 0));
        for (String key : List.of(RuntimeSettings.MAX_CHAIN, RuntimeSettings.CALL_BUDGET_MS,
                RuntimeSettings.FAULT_BUDGET, RuntimeSettings.FAULT_WINDOW_S, RuntimeSettings.OUTPUT_LIMIT,
                RuntimeSettings.HOLD_LIMIT)) {
            assertTrue(e.getMessage().contains(key + ":"), key + " missing from: " + e.getMessage());
        }
    }

    @Test
    void toMapHasEveryKeyWithTheFaultWindowInSeconds() {
        Map<String, Object> map = RuntimeSettings.DEFAULTS.toMap();
        assertEquals(List.of(RuntimeSettings.MAX_CHAIN, RuntimeSettings.CALL_BUDGET_MS, RuntimeSettings.FAULT_BUDGET,
                RuntimeSettings.FAULT_WINDOW_S, RuntimeSettings.OUTPUT_LIMIT, RuntimeSettings.HOLD_LIMIT),
                List.copyOf(map.keySet()));
        assertEquals(60L, map.get(RuntimeSettings.FAULT_WINDOW_S));
        assertEquals(5, map.get(RuntimeSettings.MAX_CHAIN));
    }

    static Stream<RuntimeSettings> settings() {
        return Stream.of(
                RuntimeSettings.DEFAULTS,
                new RuntimeSettings(1, 1, 0, 1000, 1024, 1024),
                new RuntimeSettings(64, 3_600_000, 10_000, 86_400_000, BufferPool.MAX_BLOCK, 64 << 20),
                new RuntimeSettings(7, 20, 2, 5000, 65_536, 4096));
    }

    @ParameterizedTest
    @MethodSource("settings")
    void toMapReadBackWithFromGivesTheSameSettings(RuntimeSettings settings) {
        assertEquals(settings, RuntimeSettings.from(settings.toMap()));
        Map<String, Object> asStrings = new HashMap<>();
        settings.toMap().forEach((k, v) -> asStrings.put(k, v.toString()));
        assertEquals(settings, RuntimeSettings.from(asStrings), "the same as strings, as in a configuration file");
    }

    private static long valueOf(RuntimeSettings s, String key) {
        return ((Number) s.toMap().get(key)).longValue();
    }
}
