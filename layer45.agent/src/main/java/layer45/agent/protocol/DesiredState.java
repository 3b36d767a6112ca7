package layer45.agent.protocol;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * What one device should have applied: the commands the orchestrator issued to it that change its state, oldest first,
 * compacted so that a command superseded by a later one of the same kind on the same thing is left out (a later
 * install or revoke of the same jar; a later deprecate, activate/deactivate or priority of the same module; a later
 * param of the same module with the same keys). Reports and challenges are not state, so they are never in it.
 *
 * <p>The orchestrator publishes it retained on {@link Topics#desired(String)} after each such command, so a device
 * that comes back without its broker session (expired, a broker restarted, a device set up again) applies what it
 * missed, in the order it was issued, with no orchestrator running. The device applies each command it has not
 * applied before (by command id) and acknowledges it as if it had come on its command topic; a device that applied
 * them all does nothing.
 *
 * <p>Message: {@code {"device":"dev1","version":1732270000123,"commands":[{command}, ...]}}.
 *
 * @param device the device it is for
 * @param version increases with each state the orchestrator publishes (the issue time of its newest command)
 * @param commands the commands, oldest first
 */
public record DesiredState(String device, long version, List<Command> commands) {

    /** The most commands one desired state carries; a longer history is compacted first and then cut from the front. */
    public static final int MAX_COMMANDS = 4096;

    /** @throws IllegalArgumentException if the device id is not one {@link Topics#validName} accepts */
    public DesiredState {
        if (!Topics.validName(device)) {
            throw new IllegalArgumentException("a device id is 1 to 64 letters, digits, '.', '_' or '-', not '"
                    + device + "'");
        }
        commands = List.copyOf(commands);
    }

    /**
     * @param device the device
     * @param version the state's version
     * @param history every command issued to the device, oldest first
     * @return the desired state: the history without reports, challenges and superseded commands
     */
    public static DesiredState of(String device, long version, List<Command> history) {
        Map<String, Integer> latest = new LinkedHashMap<>();
        for (int i = 0; i < history.size(); i++) {
            String key = keyOf(history.get(i));
            if (key != null) {
                latest.put(key, i);
            }
        }
        List<Command> kept = new ArrayList<>();
        for (int i = 0; i < history.size(); i++) {
            String key = keyOf(history.get(i));
            if (key != null && latest.get(key) == i) {
                kept.add(history.get(i));
            }
        }
        return new DesiredState(device, version, kept.subList(Math.max(0, kept.size() - MAX_COMMANDS), kept.size()));
    }

    /**
     * @param command a command
     * @return what it sets on a device, so that a later command with the same key supersedes it there; {@code null}
     *         for a report or a challenge, which set nothing
     */
    public static String keyOf(Command command) {
        Object jar = command.fields().get("jar");
        Object module = command.fields().get("module");
        return switch (command.op()) {
            case INSTALL, REVOKE -> "jar " + jar;
            case DEPRECATE -> "deprecate " + module;
            case ACTIVATE, DEACTIVATE -> "active " + module;
            case PRIORITY -> "priority " + module;
            case PARAM -> "param " + module + " " + (command.fields().get("params") instanceof Map<?, ?> params
                    ? new TreeSet<>(params.keySet().stream().map(String::valueOf).toList()) : "");
            case REPORT, CHALLENGE -> null;
        };
    }

    /**
     * @param payload a message's bytes (UTF-8 JSON)
     * @return the desired state
     * @throws MalformedMessage if it is not one (a command in it that is not a command included)
     */
    public static DesiredState decode(byte[] payload) throws MalformedMessage {
        if (!(Json.parse(new String(payload, StandardCharsets.UTF_8)) instanceof Map<?, ?> map)) {
            throw new MalformedMessage("a desired state is a JSON object");
        }
        if (!(map.get("device") instanceof String device) || !Topics.validName(device)) {
            throw new MalformedMessage("a desired state needs the device it is for");
        }
        if (!(map.get("version") instanceof Long version)) {
            throw new MalformedMessage("the desired state of " + device + " has no version (a whole number)");
        }
        if (!(map.get("commands") instanceof List<?> list) || list.size() > MAX_COMMANDS) {
            throw new MalformedMessage("the desired state of " + device + " needs a list of at most " + MAX_COMMANDS
                    + " commands");
        }
        List<Command> commands = new ArrayList<>();
        for (Object command : list) {
            commands.add(Command.fromJson(command));
        }
        return new DesiredState(device, version, commands);
    }

    /** @return the message's bytes */
    public byte[] encode() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("device", device);
        map.put("version", version);
        map.put("commands", commands.stream().map(Command::toJson).toList());
        return Json.write(map).getBytes(StandardCharsets.UTF_8);
    }
}
