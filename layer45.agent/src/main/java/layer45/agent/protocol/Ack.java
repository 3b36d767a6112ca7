package layer45.agent.protocol;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A device's answer to a command, on its ack topic:
 * {@code {"id":"...","device":"...","op":"...","result":"done","reason":"...","time":...}}, with the op's details
 * ({@code modules} after an install, {@code response} after a challenge).
 *
 * @param id the command's id
 * @param device the device that answers
 * @param op the command's op, as text ("" if the command could not be read)
 * @param result what happened
 * @param reason why, for people; "" when done
 * @param time when it was applied, epoch milliseconds
 * @param details more fields
 */
public record Ack(String id, String device, String op, Result result, String reason, long time,
        Map<String, Object> details) {

    /** What became of a command. */
    public enum Result {
        /** It was carried out. */
        DONE,
        /** The device was in that state already (or had carried out this command id before). */
        ALREADY,
        /** It was refused: not allowed, or not possible (a bad checksum or signature, an unknown module). */
        REFUSED,
        /** It could not be read. */
        MALFORMED;

        /** @return whether the device is now as the command asked */
        public boolean ok() {
            return this == DONE || this == ALREADY;
        }
    }

    /** @return the ack as a message's bytes */
    public byte[] encode() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("id", id);
        map.put("device", device);
        map.put("op", op);
        map.put("result", result.name().toLowerCase(java.util.Locale.ROOT));
        map.put("reason", reason);
        map.put("time", time);
        map.putAll(details);
        return Json.write(map).getBytes(StandardCharsets.UTF_8);
    }

    /**
     * @param payload a message's bytes
     * @return the ack
     * @throws MalformedMessage if it is not an ack
     */
    public static Ack decode(byte[] payload) throws MalformedMessage {
        if (!(Json.parse(new String(payload, StandardCharsets.UTF_8)) instanceof Map<?, ?> map)) {
            throw new MalformedMessage("an ack is a JSON object");
        }
        Map<String, Object> details = new LinkedHashMap<>();
        map.forEach((key, value) -> details.put((String) key, value));
        String id = text(details.remove("id"));
        String device = text(details.remove("device"));
        String op = text(details.remove("op"));
        String result = text(details.remove("result"));
        String reason = text(details.remove("reason"));
        long time = details.remove("time") instanceof Long t ? t : 0;
        Result parsed;
        try {
            parsed = Result.valueOf(result.toUpperCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new MalformedMessage("an ack's result is done, already, refused or malformed, not '" + result + "'");
        }
        if (id.isEmpty() || device.isEmpty()) {
            throw new MalformedMessage("an ack needs an id and a device");
        }
        return new Ack(id, device, op, parsed, reason, time, details);
    }

    private static String text(Object value) {
        return value instanceof String s ? s : "";
    }
}
