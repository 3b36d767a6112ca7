package layer45.agent.internal;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import layer45.agent.protocol.Json;
import layer45.agent.protocol.MalformedMessage;

/**
 * What the agent remembers across restarts: the acks of the last {@value #REMEMBERED} commands it applied (a
 * command seen again is acknowledged again, not applied twice), the jars it revoked, with when, and the version of
 * the last desired state it converged to.
 */
final class AgentState {

    private static final System.Logger LOG = System.getLogger("layer45.agent");

    /** How many applied commands are remembered. */
    static final int REMEMBERED = 4096;

    private final Path file;
    /** Command id to the ack sent, oldest first. */
    private final LinkedHashMap<String, byte[]> applied = new LinkedHashMap<>();
    /** Revoked jar name to {sha256, time}. */
    private final Map<String, Map<String, Object>> revoked = new LinkedHashMap<>();
    /** The version of the last desired state applied, 0 for none. */
    private long desired;

    /** @param file where the state is kept; read now if it exists */
    AgentState(Path file) {
        this.file = file;
        if (file != null && Files.exists(file)) {
            try {
                if (Json.parse(Files.readString(file, StandardCharsets.UTF_8)) instanceof Map<?, ?> map) {
                    if (map.get("applied") instanceof Map<?, ?> acks) {
                        acks.forEach((id, ack) -> applied.put((String) id, String.valueOf(ack)
                                .getBytes(StandardCharsets.UTF_8)));
                    }
                    if (map.get("revoked") instanceof Map<?, ?> jars) {
                        jars.forEach((jar, facts) -> revoked.put((String) jar, facts instanceof Map<?, ?> m
                                ? copy(m) : Map.of()));
                    }
                    if (map.get("desired") instanceof Long version) {
                        desired = version;
                    }
                }
            } catch (IOException | MalformedMessage e) {
                LOG.log(Level.WARNING, "layer45 agent: cannot read its state {0} ({1}); commands it applied before"
                        + " are applied again if they come again", file, e.getMessage());
            }
        }
    }

    private static Map<String, Object> copy(Map<?, ?> map) {
        Map<String, Object> copy = new LinkedHashMap<>();
        map.forEach((k, v) -> copy.put(String.valueOf(k), v));
        return copy;
    }

    /** @return the ack sent for a command id, or {@code null} if it was not applied */
    synchronized byte[] ackOf(String id) {
        return applied.get(id);
    }

    /** Remembers a command applied and its ack. */
    synchronized void applied(String id, byte[] ack) {
        applied.put(id, ack);
        while (applied.size() > REMEMBERED) {
            applied.remove(applied.keySet().iterator().next());
        }
        save();
    }

    synchronized void revoked(String jar, String sha256, long time) {
        revoked.put(jar, Map.of("sha256", sha256, "time", time));
        save();
    }

    synchronized void installed(String jar) {
        if (revoked.remove(jar) != null) {
            save();
        }
    }

    /** @return the version of the last desired state applied, 0 for none */
    synchronized long desired() {
        return desired;
    }

    /** Remembers the version of a desired state applied. */
    synchronized void desired(long version) {
        desired = version;
        save();
    }

    /** @return the revoked jars, as the report lists them */
    synchronized List<Map<String, Object>> revokedJars() {
        List<Map<String, Object>> list = new ArrayList<>();
        revoked.forEach((jar, facts) -> {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("jar", jar);
            entry.putAll(facts);
            list.add(entry);
        });
        return list;
    }

    private void save() {
        if (file == null) {
            return;
        }
        Map<String, Object> acks = new LinkedHashMap<>();
        applied.forEach((id, ack) -> acks.put(id, new String(ack, StandardCharsets.UTF_8)));
        Map<String, Object> state = new LinkedHashMap<>();
        state.put("applied", acks);
        state.put("revoked", new LinkedHashMap<>(revoked));
        state.put("desired", desired);
        try {
            Path temporary = file.resolveSibling(file.getFileName() + ".new");
            Files.writeString(temporary, Json.write(state), StandardCharsets.UTF_8);
            Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            LOG.log(Level.WARNING, "layer45 agent: cannot save its state to {0}: {1}", file, e.getMessage());
        }
    }
}
