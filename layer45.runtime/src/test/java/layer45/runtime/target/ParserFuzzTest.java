package layer45.runtime.target;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import layer45.api.CustomizationService;

/**
 * Feeds random text to every parser: each must either accept it or throw {@link IllegalArgumentException} with
 * a message, and what it accepts must read back the same from its canonical form.
 */
class ParserFuzzTest {

    private static final int RUNS = 20_000;
    private static final long SEED = 0x4c34_35L;
    private static final int MAX_LENGTH = 24;
    /** Characters the syntaxes give meaning to, weighted towards valid input, plus some that are never valid. */
    private static final String ALPHABET = "0123456789012345678901234567890123456789abcdefABCDEF::::....////"
            + "****,,,,----  xyzTCPudpanyé\t\n%[]+_\u0000\uffff\ud83d\ude00１";

    private static final List<String> SEEDS = List.of("10.0.0.0/8", "192.168.1.7", "fd00::/8", "::1",
            "::ffff:10.0.0.0/104", "2001:db8::1:0:0:1/128", "10.8.0.0/13", "53", "53,853", "8000-8100",
            " 80 , 443 ", "*", "dig", "isc-*", "*-worker", "*net*", "python3-long-na", "tcp", "udp,any");

    static Stream<Arguments> parsers() {
        Function<String, Object> target = text -> Target.parse(Map.of(
                CustomizationService.PROTOCOL, text.length() % 3 == 0 ? text : "any",
                CustomizationService.PROCESS, new String[] {text},
                CustomizationService.THREAD, List.of(text, text),
                CustomizationService.REMOTE_ADDRESS, text,
                CustomizationService.REMOTE_PORT, text,
                CustomizationService.LOCAL_ADDRESS, new Object[] {text},
                CustomizationService.LOCAL_PORT, List.of(text)));
        Function<String, Object> names = NamePattern::parse;
        Function<String, Object> addresses = AddressPrefix::parse;
        Function<String, Object> ports = PortSet::parse;
        return Stream.of(
                Arguments.of("NamePattern", names, (Function<Object, Object>) p -> NamePattern.parse(p.toString())),
                Arguments.of("AddressPrefix", addresses,
                        (Function<Object, Object>) p -> AddressPrefix.parse(p.toString())),
                Arguments.of("PortSet", ports, (Function<Object, Object>) p -> PortSet.parse(p.toString())),
                Arguments.of("Target", target, (Function<Object, Object>) p -> p));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("parsers")
    void onlyEverThrowsIllegalArgumentException(String name, Function<String, Object> parser,
            Function<Object, Object> reparse) {
        Random random = new Random(SEED);
        int accepted = 0;
        for (int run = 0; run < RUNS; run++) {
            String text = randomText(random);
            Object parsed;
            try {
                parsed = parser.apply(text);
            } catch (IllegalArgumentException e) {
                assertFalse(e.getMessage() == null || e.getMessage().isBlank(), () -> "no message for " + text);
                assertFalse(e.getMessage().contains("\n"), () -> "message of two lines for " + text);
                continue;
            } catch (RuntimeException | Error e) {
                fail(name + " threw " + e + " for " + escape(text), e);
                return;
            }
            accepted++;
            assertEquals(parsed, reparse.apply(parsed), () -> "canonical form does not read back for " + text);
        }
        // The alphabet is chosen so that a share of inputs are valid, or the round trip would test nothing.
        int minimum = RUNS / 1000;
        assertTrue(accepted > minimum, name + " accepted only " + accepted + " of " + RUNS);
    }

    /** @return random characters, or half the time a valid value with a few characters changed */
    private static String randomText(Random random) {
        if (random.nextBoolean()) {
            int length = random.nextInt(MAX_LENGTH + 1);
            StringBuilder out = new StringBuilder(length);
            for (int i = 0; i < length; i++) {
                out.append(randomChar(random));
            }
            return out.toString();
        }
        StringBuilder out = new StringBuilder(SEEDS.get(random.nextInt(SEEDS.size())));
        for (int edits = random.nextInt(4); edits > 0; edits--) {
            int at = random.nextInt(out.length() + 1);
            switch (random.nextInt(3)) {
                case 0 -> out.insert(at, randomChar(random));
                case 1 -> out.deleteCharAt(Math.min(at, out.length() - 1));
                default -> out.replace(at, Math.min(at + 1, out.length()), String.valueOf(randomChar(random)));
            }
            if (out.isEmpty()) {
                break;
            }
        }
        return out.toString();
    }

    private static char randomChar(Random random) {
        return ALPHABET.charAt(random.nextInt(ALPHABET.length()));
    }

    private static String escape(String text) {
        StringBuilder out = new StringBuilder("\"");
        text.chars().forEach(c -> out.append(c < 0x20 || c > 0x7e ? String.format("\\u%04x", c) : (char) c));
        return out.append('"').toString();
    }
}
