package layer45.agent.protocol;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A command from the orchestrator: {@code {"id":"...","op":"install",...}} with the fields its {@link Op} names.
 * The id makes it idempotent: a device that got it before acknowledges it again without doing it twice.
 *
 * @param id unique per command (and per target: a group command has one id for all its devices)
 * @param op what to do
 * @param fields the other fields
 */
public record Command(String id, Op op, Map<String, Object> fields) {

    /** The longest command id. */
    public static final int MAX_ID = 128;

    /**
     * @param id its id
     * @param op what to do
     * @param fields its fields, in order
     * @return the command
     */
    public static Command of(String id, Op op, Object... fields) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i + 1 < fields.length; i += 2) {
            map.put((String) fields[i], fields[i + 1]);
        }
        return new Command(id, op, map);
    }

    /**
     * @param payload a message's bytes (UTF-8 JSON)
     * @return the command
     * @throws MalformedMessage if it is not a command
     */
    public static Command decode(byte[] payload) throws MalformedMessage {
        return fromJson(Json.parse(new String(payload, StandardCharsets.UTF_8)));
    }

    /**
     * @param value a parsed JSON value (see {@link Json#parse})
     * @return the command it holds
     * @throws MalformedMessage if it is not a command
     */
    public static Command fromJson(Object value) throws MalformedMessage {
        if (!(value instanceof Map<?, ?> map)) {
            throw new MalformedMessage("a command is a JSON object");
        }
        Map<String, Object> fields = new LinkedHashMap<>();
        map.forEach((key, field) -> fields.put((String) key, field));
        if (!(fields.remove("id") instanceof String id) || id.isEmpty() || id.length() > MAX_ID) {
            throw new MalformedMessage("a command needs an id, a string of 1 to " + MAX_ID + " characters");
        }
        if (!(fields.remove("op") instanceof String op)) {
            throw new MalformedMessage("command " + id + " has no op");
        }
        return new Command(id, Op.of(op), fields);
    }

    /** @return the command as a message's bytes */
    public byte[] encode() {
        return Json.write(toJson()).getBytes(StandardCharsets.UTF_8);
    }

    /** @return the command as a JSON object, for {@link Json#write} */
    public Map<String, Object> toJson() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("id", id);
        map.put("op", op.text());
        map.putAll(fields);
        return map;
    }

    /**
     * @param key a field
     * @return its text
     * @throws MalformedMessage if it is missing or not a string
     */
    public String text(String key) throws MalformedMessage {
        if (fields.get(key) instanceof String text && !text.isEmpty()) {
            return text;
        }
        throw new MalformedMessage("command " + id + " (" + op.text() + ") needs the field '" + key + "' as text");
    }

    /**
     * @param key a field
     * @return its whole number
     * @throws MalformedMessage if it is missing or not a whole number
     */
    public long number(String key) throws MalformedMessage {
        if (fields.get(key) instanceof Long number) {
            return number;
        }
        throw new MalformedMessage("command " + id + " (" + op.text() + ") needs the field '" + key + "' as a"
                + " whole number");
    }

    /**
     * @param key a field holding base64
     * @return its bytes
     * @throws MalformedMessage if it is missing or not base64
     */
    public byte[] bytes(String key) throws MalformedMessage {
        try {
            return Base64.getDecoder().decode(text(key));
        } catch (IllegalArgumentException e) {
            throw new MalformedMessage("command " + id + ": the field '" + key + "' is not base64: " + e.getMessage());
        }
    }

    /**
     * @param key a field holding an object of strings
     * @return its entries, empty if it is missing
     * @throws MalformedMessage if it is not an object of plain values
     */
    public Map<String, String> strings(String key) throws MalformedMessage {
        Object value = fields.get(key);
        Map<String, String> strings = new LinkedHashMap<>();
        if (value == null) {
            return strings;
        }
        if (!(value instanceof Map<?, ?> map)) {
            throw new MalformedMessage("command " + id + ": the field '" + key + "' must be an object");
        }
        for (Map.Entry<?, ?> entry : map.entrySet()) {
            if (entry.getValue() instanceof Map || entry.getValue() instanceof java.util.List) {
                throw new MalformedMessage("command " + id + ": " + key + "." + entry.getKey() + " must be a plain"
                        + " value");
            }
            strings.put(String.valueOf(entry.getKey()), String.valueOf(entry.getValue()));
        }
        return strings;
    }
}
