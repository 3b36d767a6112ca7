package layer45.agent.protocol;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The control plane's message syntax: JSON (RFC 8259) objects, arrays, strings, whole and decimal numbers, booleans
 * and null, read into {@link Map}, {@link List}, {@link String}, {@link Long} or {@link Double}, {@link Boolean} and
 * {@code null}, and written back the same way.
 *
 * <p>Hand-written rather than a library: no JSON library is a bundle of this runtime today, the messages are a few
 * flat objects, and a reader of network input must be bounded ({@link #MAX_DEPTH}, {@link #MAX_LENGTH}) and fail
 * only with {@link MalformedMessage} (fuzzed by {@code JsonFuzzTest}).
 */
public final class Json {

    /** The deepest nesting read. */
    public static final int MAX_DEPTH = 16;
    /** The longest text read, in characters (a module jar travels base64-encoded inside a command). */
    public static final int MAX_LENGTH = 96 << 20;

    private final String text;
    private int at;

    private Json(String text) {
        this.text = text;
    }

    /**
     * @param text JSON text
     * @return the value it holds
     * @throws MalformedMessage if it is not JSON, nested too deep or too long
     */
    public static Object parse(String text) throws MalformedMessage {
        if (text == null) {
            throw new MalformedMessage("no text");
        }
        if (text.length() > MAX_LENGTH) {
            throw new MalformedMessage("it is " + text.length() + " characters, more than " + MAX_LENGTH);
        }
        Json reader = new Json(text);
        Object value = reader.value(0);
        reader.space();
        if (reader.at != text.length()) {
            throw reader.error("text after the value");
        }
        return value;
    }

    /**
     * @param value a map (string keys), list, string, number, boolean or null, nested
     * @return its JSON text
     * @throws IllegalArgumentException for another type
     */
    public static String write(Object value) {
        StringBuilder out = new StringBuilder();
        write(value, out);
        return out.toString();
    }

    private static void write(Object value, StringBuilder out) {
        switch (value) {
            case null -> out.append("null");
            case String s -> string(s, out);
            case Boolean b -> out.append(b);
            case Long l -> out.append(l);
            case Integer i -> out.append(i);
            case Double d when !d.isNaN() && !d.isInfinite() -> out.append(d);
            case Map<?, ?> map -> {
                out.append('{');
                boolean first = true;
                for (Map.Entry<?, ?> entry : map.entrySet()) {
                    out.append(first ? "" : ",");
                    first = false;
                    string(String.valueOf(entry.getKey()), out);
                    out.append(':');
                    write(entry.getValue(), out);
                }
                out.append('}');
            }
            case List<?> list -> {
                out.append('[');
                for (int i = 0; i < list.size(); i++) {
                    out.append(i == 0 ? "" : ",");
                    write(list.get(i), out);
                }
                out.append(']');
            }
            default -> throw new IllegalArgumentException("JSON has no " + value.getClass().getName() + ": " + value);
        }
    }

    private static void string(String s, StringBuilder out) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }

    private Object value(int depth) throws MalformedMessage {
        if (depth > MAX_DEPTH) {
            throw error("nested deeper than " + MAX_DEPTH);
        }
        space();
        if (at >= text.length()) {
            throw error("the text ends where a value should be");
        }
        char c = text.charAt(at);
        return switch (c) {
            case '{' -> object(depth);
            case '[' -> array(depth);
            case '"' -> string();
            case 't' -> word("true", Boolean.TRUE);
            case 'f' -> word("false", Boolean.FALSE);
            case 'n' -> word("null", null);
            default -> {
                if (c == '-' || (c >= '0' && c <= '9')) {
                    yield number();
                }
                throw error("unexpected '" + c + "'");
            }
        };
    }

    private Map<String, Object> object(int depth) throws MalformedMessage {
        at++;
        Map<String, Object> map = new LinkedHashMap<>();
        space();
        if (peek() == '}') {
            at++;
            return map;
        }
        while (true) {
            space();
            if (peek() != '"') {
                throw error("a key must be a string");
            }
            String key = string();
            space();
            expect(':');
            if (map.containsKey(key)) {
                throw error("the key '" + (key.length() > 40 ? key.substring(0, 40) + "..." : key) + "' appears twice");
            }
            map.put(key, value(depth + 1));
            space();
            char next = peek();
            at++;
            if (next == '}') {
                return map;
            }
            if (next != ',') {
                throw error("expected ',' or '}'");
            }
        }
    }

    private List<Object> array(int depth) throws MalformedMessage {
        at++;
        List<Object> list = new ArrayList<>();
        space();
        if (peek() == ']') {
            at++;
            return list;
        }
        while (true) {
            list.add(value(depth + 1));
            space();
            char next = peek();
            at++;
            if (next == ']') {
                return list;
            }
            if (next != ',') {
                throw error("expected ',' or ']'");
            }
        }
    }

    private String string() throws MalformedMessage {
        at++;
        StringBuilder out = new StringBuilder();
        while (true) {
            if (at >= text.length()) {
                throw error("a string is not closed");
            }
            char c = text.charAt(at++);
            if (c == '"') {
                return out.toString();
            }
            if (c < 0x20) {
                throw error("a control character inside a string");
            }
            if (c != '\\') {
                out.append(c);
                continue;
            }
            char escaped = peek();
            at++;
            switch (escaped) {
                case '"', '\\', '/' -> out.append(escaped);
                case 'b' -> out.append('\b');
                case 'f' -> out.append('\f');
                case 'n' -> out.append('\n');
                case 'r' -> out.append('\r');
                case 't' -> out.append('\t');
                case 'u' -> {
                    if (at + 4 > text.length()) {
                        throw error("a \\u escape is cut short");
                    }
                    int code = 0;
                    for (int i = 0; i < 4; i++) {
                        int digit = Character.digit(text.charAt(at++), 16);
                        if (digit < 0) {
                            throw error("a \\u escape has a non-hex digit");
                        }
                        code = code * 16 + digit;
                    }
                    out.append((char) code);
                }
                default -> throw error("unknown escape '\\" + escaped + "'");
            }
        }
    }

    private Object number() throws MalformedMessage {
        int start = at;
        if (peek() == '-') {
            at++;
        }
        int digits = skipDigits();
        if (digits == 0) {
            throw error("a number without digits");
        }
        boolean decimal = false;
        if (peek() == '.') {
            at++;
            decimal = true;
            if (skipDigits() == 0) {
                throw error("no digits after the decimal point");
            }
        }
        if (peek() == 'e' || peek() == 'E') {
            at++;
            decimal = true;
            if (peek() == '+' || peek() == '-') {
                at++;
            }
            if (skipDigits() == 0) {
                throw error("no digits in the exponent");
            }
        }
        String number = text.substring(start, at);
        try {
            return decimal ? (Object) Double.parseDouble(number) : (Object) Long.parseLong(number);
        } catch (NumberFormatException e) {
            throw error("the number " + (number.length() > 40 ? number.substring(0, 40) + "..." : number)
                    + " is out of range");
        }
    }

    private int skipDigits() {
        int start = at;
        while (at < text.length() && text.charAt(at) >= '0' && text.charAt(at) <= '9') {
            at++;
        }
        return at - start;
    }

    private Object word(String word, Object value) throws MalformedMessage {
        if (!text.startsWith(word, at)) {
            throw error("unexpected '" + text.charAt(at) + "'");
        }
        at += word.length();
        return value;
    }

    private void expect(char c) throws MalformedMessage {
        if (peek() != c) {
            throw error("expected '" + c + "'");
        }
        at++;
    }

    /** @return the next character, or 0 at the end */
    private char peek() {
        return at < text.length() ? text.charAt(at) : 0;
    }

    private void space() {
        while (at < text.length() && " \t\r\n".indexOf(text.charAt(at)) >= 0) {
            at++;
        }
    }

    private MalformedMessage error(String what) {
        return new MalformedMessage(what + " at character " + at);
    }
}
