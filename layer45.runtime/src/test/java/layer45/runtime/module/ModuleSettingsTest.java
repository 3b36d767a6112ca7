package layer45.runtime.module;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import layer45.api.CustomizationService;
import layer45.api.Transport;
import layer45.runtime.target.Target;

/** A module's settings: its service properties, overridden by the operator's parameters. */
class ModuleSettingsTest {

    /**
     * The service properties Declarative Services gives a component annotated with {@code @CustomizationService}
     * and nothing else: the annotation's defaults, with enums and arrays as String[], plus DS's own properties.
     */
    static Map<String, Object> annotationDefaults() {
        Map<String, Object> p = new HashMap<>();
        p.put(CustomizationService.PROTOCOL, new String[] {"TCP", "UDP"});
        p.put(CustomizationService.PROCESS, new String[] {"*"});
        p.put(CustomizationService.THREAD, new String[] {"*"});
        p.put(CustomizationService.REMOTE_ADDRESS, new String[0]);
        p.put(CustomizationService.REMOTE_PORT, new String[0]);
        p.put(CustomizationService.LOCAL_ADDRESS, new String[0]);
        p.put(CustomizationService.LOCAL_PORT, new String[0]);
        p.put(CustomizationService.PRIORITY, Integer.valueOf(CustomizationService.DEFAULT_PRIORITY));
        p.put(CustomizationService.ACTIVE, Boolean.TRUE);
        p.put(CustomizationService.APPLY_NOW, Boolean.FALSE);
        p.put("component.name", "org.example.EchoTag");
        p.put("component.id", 12L);
        p.put("service.id", 345L);
        p.put("service.bundleid", 7L);
        p.put("service.scope", "bundle");
        p.put("objectClass", new String[] {"layer45.api.Customization"});
        p.put("start.tag", "<start>");
        return p;
    }

    static Map<String, Object> with(Map<String, Object> base, Object... keysAndValues) {
        Map<String, Object> copy = new HashMap<>(base);
        for (int i = 0; i < keysAndValues.length; i += 2) {
            copy.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return copy;
    }

    static ModuleSettings parse(Map<String, ?> serviceProperties) {
        return ModuleSettings.parse(serviceProperties, Map.of());
    }

    static IllegalArgumentException refused(Map<String, ?> serviceProperties, Map<String, ?> overrides) {
        return assertThrows(IllegalArgumentException.class, () -> ModuleSettings.parse(serviceProperties, overrides));
    }

    // ---- what a plain annotated component gets ----

    @Test
    void theAnnotationDefaultsGiveAModuleForEveryFlow() {
        ModuleSettings s = parse(annotationDefaults());
        assertEquals(Target.ANY, s.target());
        assertEquals(CustomizationService.DEFAULT_PRIORITY, s.priority());
        assertTrue(s.active());
        assertFalse(s.applyNow());
        assertFalse(s.deprecated());
    }

    @Test
    void noPropertiesAtAllGiveTheSameDefaults() {
        ModuleSettings s = parse(Map.of());
        assertEquals(Target.ANY, s.target());
        assertEquals(CustomizationService.DEFAULT_PRIORITY, s.priority());
        assertTrue(s.active());
        assertFalse(s.applyNow());
        assertFalse(s.deprecated());
        assertTrue(s.parameters().isEmpty());
    }

    @Test
    void aTargetedComponentIsParsed() {
        ModuleSettings s = parse(with(annotationDefaults(),
                CustomizationService.PROTOCOL, new String[] {"UDP"},
                CustomizationService.PROCESS, new String[] {"dig"},
                CustomizationService.REMOTE_PORT, new String[] {"53"},
                CustomizationService.PRIORITY, 10,
                CustomizationService.APPLY_NOW, true));
        assertEquals(EnumSet.of(Transport.UDP), s.target().transports());
        assertEquals("dig", s.target().processes().getFirst().toString());
        assertTrue(s.target().remotePorts().matches(53));
        assertFalse(s.target().remotePorts().matches(853));
        assertEquals(10, s.priority());
        assertTrue(s.applyNow());
    }

    @Test
    void componentPropertiesThatAreNotTheRuntimesAreIgnored() {
        ModuleSettings s = parse(annotationDefaults());
        for (String key : s.parameters().keySet()) {
            assertTrue(key.startsWith(CustomizationService.PREFIX_), "only layer45.* parameters are kept: " + key);
        }
        assertFalse(s.parameters().containsKey("start.tag"));
        assertFalse(s.parameters().containsKey("component.name"));
        assertFalse(s.parameters().containsKey("service.id"));
    }

    @Test
    void theParametersShownAreTheOnesApplied() {
        ModuleSettings s = ModuleSettings.parse(annotationDefaults(), Map.of(CustomizationService.PRIORITY, "7"));
        assertEquals("7", s.parameters().get(CustomizationService.PRIORITY), "the override, as given");
        assertEquals(Boolean.TRUE, s.parameters().get(CustomizationService.ACTIVE));
        assertThrows(UnsupportedOperationException.class, () -> s.parameters().put("x", 1));
    }

    // ---- overrides ----

    @Test
    void overridesWinOverServiceProperties() {
        ModuleSettings s = ModuleSettings.parse(annotationDefaults(), Map.of(
                CustomizationService.PRIORITY, 20,
                CustomizationService.ACTIVE, "off",
                CustomizationService.PROTOCOL, "tcp",
                CustomizationService.REMOTE_PORT, "443"));
        assertEquals(20, s.priority());
        assertFalse(s.active());
        assertEquals(EnumSet.of(Transport.TCP), s.target().transports());
        assertTrue(s.target().remotePorts().matches(443));
        assertFalse(s.target().remotePorts().matches(80));
    }

    @Test
    void theOperatorCanDeprecateAModule() {
        ModuleSettings s = ModuleSettings.parse(annotationDefaults(), Map.of(ModuleSettings.DEPRECATED, true));
        assertTrue(s.deprecated());
        assertTrue(ModuleSettings.NAMES.contains(ModuleSettings.DEPRECATED));
    }

    @Test
    void serviceValuesThatAreNullAreIgnored() {
        Map<String, Object> props = with(annotationDefaults(),
                CustomizationService.PRIORITY, null,
                CustomizationService.ACTIVE, null,
                CustomizationService.PROTOCOL, null);
        ModuleSettings s = parse(props);
        assertEquals(CustomizationService.DEFAULT_PRIORITY, s.priority());
        assertTrue(s.active());
        assertEquals(EnumSet.allOf(Transport.class), s.target().transports());
        assertFalse(s.parameters().containsKey(CustomizationService.PRIORITY), "a null value is not a parameter");
    }

    @Test
    void anUnknownOverrideIsRejectedListingTheKnownOnes() {
        IllegalArgumentException e = refused(annotationDefaults(), Map.of("layer45.priorty", 5));
        assertTrue(e.getMessage().contains("layer45.priorty: not a parameter of the runtime"), e.getMessage());
        // the operator's parameters, in their documented order; whether a module is deprecated is not one
        assertTrue(e.getMessage().contains(String.join(", ", ModuleSettings.PARAMETERS)), e.getMessage());
        assertFalse(e.getMessage().contains(ModuleSettings.DEPRECATED), e.getMessage());
    }

    @ParameterizedTest(name = "override {0}")
    @ValueSource(strings = {"service.ranking", "start.tag", "priority", "LAYER45.PRIORITY"})
    void overridesAreLimitedToTheRuntimesParameters(String key) {
        IllegalArgumentException e = refused(annotationDefaults(), Map.of(key, "1"));
        assertTrue(e.getMessage().startsWith(key + ": not a parameter"), e.getMessage());
    }

    @ParameterizedTest(name = "service property {0}")
    @ValueSource(strings = {"layer45.remote.ports", "layer45.proces", "layer45.applyNow", "layer45.priority.x",
            "layer45."})
    void aMisspelledLayer45ServicePropertyIsRejectedSoItCannotWidenTheTarget(String key) {
        IllegalArgumentException e = refused(with(annotationDefaults(), key, new String[] {"53"}), Map.of());
        assertTrue(e.getMessage().contains(key + ": not a parameter of the runtime (misspelled?)"), e.getMessage());
        assertTrue(e.getMessage().contains(CustomizationService.REMOTE_PORT), "lists the known: " + e.getMessage());
    }

    // ---- priority ----

    static Stream<Arguments> acceptedPriorities() {
        return Stream.of(
                Arguments.of(0, 0),
                Arguments.of(65535, 65535),
                Arguments.of(5L, 5),
                Arguments.of((short) 6, 6),
                Arguments.of((byte) 7, 7),
                Arguments.of("8", 8),
                Arguments.of(" 9 ", 9),
                Arguments.of("+10", 10),
                Arguments.of("00011", 11),
                Arguments.of(new String[] {"12"}, 12),
                Arguments.of(new Integer[] {13}, 13),
                Arguments.of(List.of("14"), 14),
                Arguments.of(List.of(15L), 15));
    }

    @ParameterizedTest(name = "priority {0}")
    @MethodSource("acceptedPriorities")
    void priorityAcceptsWholeNumbersInEveryCommonForm(Object value, int expected) {
        assertEquals(expected, parse(with(annotationDefaults(), CustomizationService.PRIORITY, value)).priority());
        assertEquals(expected, ModuleSettings.parse(annotationDefaults(),
                Map.of(CustomizationService.PRIORITY, value)).priority(), "as an override");
    }

    static Stream<Arguments> rejectedPriorities() {
        return Stream.of(
                Arguments.of(-1, "out of range (0-65535)"),
                Arguments.of(65536, "out of range (0-65535)"),
                Arguments.of(Long.MAX_VALUE, "out of range (0-65535)"),
                Arguments.of((1L << 32) + 5, "out of range (0-65535)"),
                Arguments.of("70000", "out of range (0-65535)"),
                Arguments.of("-5", "out of range (0-65535)"),
                Arguments.of("high", "is not a whole number"),
                Arguments.of("", "is not a whole number"),
                Arguments.of("1.5", "is not a whole number"),
                Arguments.of(1.0, "is not a whole number"),
                Arguments.of(Boolean.TRUE, "is not a whole number"),
                Arguments.of(new String[] {"1", "2"}, "is not a whole number"),
                Arguments.of(new String[] {"x"}, "is not a whole number"));
    }

    @ParameterizedTest(name = "priority {0}")
    @MethodSource("rejectedPriorities")
    void priorityRejectsOutOfRangeValuesAndNonNumbers(Object value, String why) {
        IllegalArgumentException e = refused(with(annotationDefaults(), CustomizationService.PRIORITY, value),
                Map.of());
        assertTrue(e.getMessage().startsWith(CustomizationService.PRIORITY + ": "), e.getMessage());
        assertTrue(e.getMessage().contains(why), e.getMessage());
    }

    // ---- booleans ----

    @ParameterizedTest(name = "active {0}")
    @ValueSource(strings = {"true", "TRUE", "True", " yes ", "on", "ON", "1"})
    void booleansAcceptTrueWords(String word) {
        assertTrue(parse(with(annotationDefaults(), CustomizationService.ACTIVE, word)).active());
        assertTrue(ModuleSettings.parse(annotationDefaults(),
                Map.of(CustomizationService.APPLY_NOW, word)).applyNow());
        assertTrue(ModuleSettings.parse(Map.of(), Map.of(ModuleSettings.DEPRECATED, word)).deprecated());
    }

    @ParameterizedTest(name = "active {0}")
    @ValueSource(strings = {"false", "FALSE", "no", "No", "off", " off ", "0"})
    void booleansAcceptFalseWords(String word) {
        assertFalse(parse(with(annotationDefaults(), CustomizationService.ACTIVE, word)).active());
        assertFalse(ModuleSettings.parse(annotationDefaults(),
                Map.of(CustomizationService.APPLY_NOW, word)).applyNow());
    }

    @Test
    void booleansAcceptBooleansAndOneElementArrays() {
        assertFalse(parse(with(annotationDefaults(), CustomizationService.ACTIVE, Boolean.FALSE)).active());
        assertTrue(parse(with(annotationDefaults(), CustomizationService.APPLY_NOW, new Boolean[] {true})).applyNow());
        assertFalse(parse(with(annotationDefaults(), CustomizationService.ACTIVE, new String[] {"off"})).active());
    }

    @ParameterizedTest(name = "active {0}")
    @MethodSource("rejectedBooleans")
    void booleansRejectAnythingElse(Object value) {
        IllegalArgumentException e = refused(with(annotationDefaults(), CustomizationService.ACTIVE, value), Map.of());
        assertTrue(e.getMessage().startsWith(CustomizationService.ACTIVE + ": "), e.getMessage());
        assertTrue(e.getMessage().contains("is not true or false"), e.getMessage());
    }

    static Stream<Arguments> rejectedBooleans() {
        return Stream.of("maybe", "", "2", "enabled", "t", 1, 0L, new String[] {"true", "false"}, List.of("on", "off"))
                .map(value -> Arguments.of(value));
    }

    // ---- everything at once ----

    @Test
    void allProblemsAreReportedTogether() {
        Map<String, Object> props = with(annotationDefaults(),
                CustomizationService.PROTOCOL, new String[] {"SCTP"},
                CustomizationService.PRIORITY, 70000,
                "layer45.remote.ports", new String[] {"53"});
        Map<String, Object> overrides = Map.of(
                CustomizationService.ACTIVE, "perhaps",
                CustomizationService.APPLY_NOW, "sometimes",
                "layer45.colour", "blue");
        IllegalArgumentException e = refused(props, overrides);
        String message = e.getMessage();
        for (String expected : List.of("layer45.colour: not a parameter", "layer45.remote.ports: not a parameter",
                CustomizationService.PROTOCOL + ": ", CustomizationService.PRIORITY + ": 70000 is out of range",
                CustomizationService.ACTIVE + ": 'perhaps'", CustomizationService.APPLY_NOW + ": 'sometimes'")) {
            assertTrue(message.contains(expected), expected + " missing from: " + message);
        }
    }

    @Test
    void withActiveChangesOnlyTheActiveFlag() {
        ModuleSettings s = ModuleSettings.parse(annotationDefaults(), Map.of(CustomizationService.PRIORITY, 3));
        ModuleSettings inactive = s.withActive(false);
        assertFalse(inactive.active());
        assertEquals(s.priority(), inactive.priority());
        assertEquals(s.target(), inactive.target());
        assertEquals(s.parameters(), inactive.parameters());
        assertEquals(s, inactive.withActive(true));
    }

    @Test
    void theKnownNamesAreTheAnnotationsPropertiesAndDeprecated() {
        assertEquals(Set.of(CustomizationService.PROTOCOL, CustomizationService.PROCESS, CustomizationService.THREAD,
                CustomizationService.REMOTE_ADDRESS, CustomizationService.REMOTE_PORT,
                CustomizationService.LOCAL_ADDRESS, CustomizationService.LOCAL_PORT, CustomizationService.PRIORITY,
                CustomizationService.ACTIVE, CustomizationService.APPLY_NOW, ModuleSettings.DEPRECATED),
                ModuleSettings.NAMES);
    }
}
