package layer45.agent.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

import layer45.agent.protocol.Ack;
import layer45.agent.protocol.Ack.Result;
import layer45.agent.protocol.Challenge;
import layer45.agent.protocol.Command;
import layer45.agent.protocol.DesiredState;
import layer45.agent.protocol.MalformedMessage;
import layer45.agent.protocol.Op;
import layer45.agent.protocol.Topics;
import layer45.api.runtime.CustomizationRuntime;
import layer45.api.runtime.DeploymentDTO;
import layer45.api.runtime.DeploymentService;
import layer45.api.runtime.DeploymentState;
import layer45.api.runtime.FlowDTO;
import layer45.api.runtime.Layer45Exception;
import layer45.api.runtime.ModuleDTO;
import layer45.api.runtime.ModuleState;

/**
 * Applies the orchestrator's commands to this runtime, the device side of the control plane (the original's DCA).
 *
 * <p>Jars go into the runtime's autoload folder as {@code <jar>.jar} (written under a temporary name and renamed),
 * so they are checked (SHA-256 here, signature by the runtime) and loaded as every autoload jar is, and come back
 * at a restart; revoking deletes the file, so the jar's modules drain and it does not come back. Every command is
 * idempotent: a command id applied before gets its first ack again, and a command whose effect is already in place
 * is acknowledged {@link Result#ALREADY}.
 */
final class DeviceAgent {

    /** How long an install or revoke waits for the runtime. */
    static final long SETTLE_MILLIS = 30_000;

    private final String device;
    private final CustomizationRuntime runtime;
    private final DeploymentService deployments;
    private final Supplier<String> taint;
    private final Supplier<List<String>> unsigned;
    private final AgentState state;

    /**
     * @param device this device's id
     * @param runtime the runtime's modules
     * @param deployments the runtime's jars and autoload folder
     * @param taint why the runtime is tainted, or ""
     * @param unsigned the SHA-256 of the loaded unsigned jars
     * @param state what the agent remembers
     */
    DeviceAgent(String device, CustomizationRuntime runtime, DeploymentService deployments, Supplier<String> taint,
            Supplier<List<String>> unsigned, AgentState state) {
        this.device = device;
        this.runtime = runtime;
        this.deployments = deployments;
        this.taint = taint;
        this.unsigned = unsigned;
        this.state = state;
    }

    /**
     * Applies a command once.
     *
     * @param command the command
     * @return the ack to publish (the first one again, for a command applied before)
     */
    byte[] apply(Command command) {
        byte[] before = state.ackOf(command.id());
        if (before != null) {
            return before;
        }
        Ack ack;
        try {
            ack = carryOut(command);
        } catch (MalformedMessage e) {
            ack = ack(command, Result.MALFORMED, e.getMessage(), Map.of());
        } catch (Layer45Exception e) {
            ack = ack(command, Result.REFUSED, e.getMessage(), Map.of());
        }
        byte[] encoded = ack.encode();
        if (command.op() != Op.REPORT && command.op() != Op.CHALLENGE) {
            state.applied(command.id(), encoded);
        }
        return encoded;
    }

    /**
     * Brings the runtime to a desired state: applies, in order, each of its commands not applied before.
     *
     * @param desired the state the orchestrator keeps for this device
     * @return the acks of the commands applied now (none if the state is not newer than the last one applied)
     * @throws MalformedMessage if the state is for another device
     */
    List<byte[]> converge(DesiredState desired) throws MalformedMessage {
        if (!desired.device().equals(device)) {
            throw new MalformedMessage("a desired state for " + desired.device() + " reached " + device);
        }
        if (desired.version() <= state.desired()) {
            return List.of();
        }
        List<byte[]> acks = new ArrayList<>();
        for (Command command : desired.commands()) {
            if (state.ackOf(command.id()) == null) {
                acks.add(apply(command));
            }
        }
        state.desired(desired.version());
        return acks;
    }

    /** @return an ack for a message that is not a command at all */
    byte[] malformed(String reason) {
        return new Ack("", device, "", Result.MALFORMED, reason, System.currentTimeMillis(), Map.of()).encode();
    }

    private Ack carryOut(Command c) throws MalformedMessage {
        return switch (c.op()) {
            case INSTALL -> install(c);
            case REVOKE -> revoke(c);
            case DEPRECATE -> change(c, m -> m.state == ModuleState.DEPRECATED, n -> runtime.deprecate(n));
            case ACTIVATE -> change(c, m -> m.active, n -> runtime.setActive(n, true));
            case DEACTIVATE -> change(c, m -> !m.active, n -> runtime.setActive(n, false));
            case PRIORITY -> {
                int priority = Math.clamp(c.number("priority"), -1, 65536);
                yield change(c, m -> m.priority == priority, n -> runtime.setPriority(n, priority));
            }
            case PARAM -> {
                Map<String, String> params = c.strings("params");
                yield change(c, m -> false, n -> runtime.setParameters(n, params));
            }
            case REPORT -> ack(c, Result.DONE, "", Map.of("report", report()));
            case CHALLENGE -> challenge(c);
        };
    }

    private Ack install(Command c) throws MalformedMessage {
        String jar = jarName(c);
        byte[] bytes = c.bytes("bytes");
        String sha256 = c.text("sha256");
        String actual = Challenge.sha256(bytes);
        if (!actual.equalsIgnoreCase(sha256)) {
            return ack(c, Result.REFUSED, "the jar's SHA-256 is " + actual + ", not the " + sha256 + " the command"
                    + " gives: it was changed on the way, or the command is forged; nothing was installed", Map.of());
        }
        Path target = Path.of(deployments.autoloadDirectory()).resolve(jar + ".jar");
        Optional<DeploymentDTO> loaded = deploymentOf(target);
        if (loaded.isPresent() && loaded.get().state == DeploymentState.ACTIVE
                && loaded.get().sha256.equalsIgnoreCase(sha256)) {
            return ack(c, Result.ALREADY, "", Map.of("modules", List.of(loaded.get().modules)));
        }
        try {
            Files.createDirectories(target.getParent());
            Path temporary = target.resolveSibling("." + jar + ".jar.part");
            Files.write(temporary, bytes);
            Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            return ack(c, Result.REFUSED, "cannot write " + target + ": " + e.getMessage(), Map.of());
        }
        DeploymentDTO settled = awaitSettled(target, sha256);
        if (settled == null) {
            return ack(c, Result.REFUSED, target.getFileName() + " did not load within " + SETTLE_MILLIS + " ms;"
                    + " lsmod on the device tells why", Map.of());
        }
        if (settled.state != DeploymentState.ACTIVE) {
            deleteQuietly(target); // a refused jar must not stay to be retried at every restart
            return ack(c, Result.REFUSED, settled.reason, Map.of());
        }
        state.installed(jar);
        for (Map.Entry<String, String> parameter : c.strings("params").entrySet()) {
            for (String module : settled.modules) {
                runtime.setParameters(module, Map.of(parameter.getKey(), parameter.getValue()));
            }
        }
        return ack(c, Result.DONE, "", Map.of("modules", List.of(settled.modules), "signed",
                !unsigned.get().contains(sha256.toLowerCase(java.util.Locale.ROOT))));
    }

    private Ack revoke(Command c) throws MalformedMessage {
        String jar = jarName(c);
        Path target = Path.of(deployments.autoloadDirectory()).resolve(jar + ".jar");
        Optional<DeploymentDTO> loaded = deploymentOf(target);
        if (!Files.exists(target) && loaded.isEmpty()) {
            return ack(c, Result.ALREADY, jar + " is not installed", Map.of());
        }
        String sha256 = loaded.map(d -> d.sha256).orElse("");
        if (loaded.isPresent()) {
            for (String module : loaded.get().modules) {
                try {
                    runtime.unload(module, true); // as rmmod: at once, its flows go on uncustomized
                } catch (Layer45Exception e) {
                    // already gone
                }
            }
        }
        deleteQuietly(target);
        state.revoked(jar, sha256, System.currentTimeMillis());
        return ack(c, Result.DONE, "", Map.of());
    }

    private Ack change(Command c, java.util.function.Predicate<ModuleDTO> already,
            java.util.function.Consumer<String> apply) throws MalformedMessage {
        String name = c.text("module");
        ModuleDTO module = runtime.module(name);
        if (module == null) {
            return ack(c, Result.REFUSED, "no module named '" + name + "' is loaded on " + device, Map.of());
        }
        if (already.test(module)) {
            return ack(c, Result.ALREADY, "", Map.of());
        }
        apply.accept(name);
        return ack(c, Result.DONE, "", Map.of());
    }

    private Ack challenge(Command c) throws MalformedMessage {
        String jar = jarName(c);
        byte[] nonce;
        try {
            nonce = HexFormat.of().parseHex(c.text("nonce"));
        } catch (IllegalArgumentException e) {
            throw new MalformedMessage("command " + c.id() + ": the nonce is not hex");
        }
        if (nonce.length < 16 || nonce.length > 64) {
            throw new MalformedMessage("command " + c.id() + ": the nonce has " + nonce.length + " bytes, not 16 to 64");
        }
        Path target = Path.of(deployments.autoloadDirectory()).resolve(jar + ".jar");
        Optional<DeploymentDTO> loaded = deploymentOf(target).filter(d -> d.state == DeploymentState.ACTIVE);
        if (loaded.isEmpty()) {
            return ack(c, Result.REFUSED, jar + " is not loaded on " + device, Map.of());
        }
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(target);
        } catch (IOException e) {
            return ack(c, Result.REFUSED, "cannot read " + target + ": " + e.getMessage(), Map.of());
        }
        if (!Challenge.sha256(bytes).equalsIgnoreCase(loaded.get().sha256)) {
            return ack(c, Result.REFUSED, target + " is not the jar that is loaded (changed on disk)", Map.of());
        }
        return ack(c, Result.DONE, "", Map.of("response", Challenge.response(nonce, bytes)));
    }

    /** @return the report: modules by state with counts, times and flows; revoked jars; the taint */
    Map<String, Object> report() {
        Map<String, String> jarOf = new LinkedHashMap<>();
        Map<String, String> shaOf = new LinkedHashMap<>();
        for (DeploymentDTO d : deployments.deployments()) {
            for (String module : d.modules) {
                if (d.state == DeploymentState.ACTIVE) {
                    jarOf.put(module, jarNameOf(d.source));
                    shaOf.put(module, d.sha256);
                }
            }
        }
        Map<String, List<String>> flowsOf = new LinkedHashMap<>();
        for (FlowDTO flow : runtime.flows()) {
            for (String module : flow.modules == null ? new String[0] : flow.modules) {
                flowsOf.computeIfAbsent(module, m -> new ArrayList<>()).add(flow.protocol + " " + flow.local + " "
                        + flow.remote + (flow.processName == null ? "" : " " + flow.processName));
            }
        }
        List<String> unsignedJars = unsigned.get();
        List<Object> installed = new ArrayList<>();
        List<Object> deprecated = new ArrayList<>();
        for (ModuleDTO m : runtime.modules()) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("name", m.name);
            entry.put("jar", jarOf.getOrDefault(m.name, ""));
            entry.put("sha256", shaOf.getOrDefault(m.name, ""));
            entry.put("state", String.valueOf(m.state));
            entry.put("active", m.active);
            entry.put("priority", (long) m.priority);
            entry.put("count", (long) m.usedBy);
            entry.put("loadedAt", m.loadedAt);
            entry.put("deprecatedAt", m.deprecatedAt);
            entry.put("signed", !unsignedJars.contains(shaOf.getOrDefault(m.name, "")));
            entry.put("flows", flowsOf.getOrDefault(m.name, List.of()));
            (m.state == ModuleState.DEPRECATED ? deprecated : installed).add(entry);
        }
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("device", device);
        report.put("time", System.currentTimeMillis());
        report.put("tainted", taint.get());
        report.put("installed", installed);
        report.put("deprecated", deprecated);
        report.put("revoked", state.revokedJars());
        report.put("desired", state.desired());
        return report;
    }

    private static String jarName(Command c) throws MalformedMessage {
        String jar = c.text("jar");
        if (!Topics.validName(jar)) {
            throw new MalformedMessage("command " + c.id() + ": the jar name '" + jar + "' is not 1 to 64 letters,"
                    + " digits, '.', '_' or '-'");
        }
        return jar;
    }

    private static String jarNameOf(String source) {
        String file = Path.of(source).getFileName().toString();
        return file.endsWith(".jar") ? file.substring(0, file.length() - 4) : file;
    }

    private Optional<DeploymentDTO> deploymentOf(Path jar) {
        return deployments.deployments().stream().filter(d -> Path.of(d.source).equals(jar)
                && d.state != DeploymentState.DRAINING).findFirst();
    }

    /** @return the jar's deployment once it loaded or was refused, or {@code null} if it did neither in time */
    private DeploymentDTO awaitSettled(Path jar, String sha256) {
        long deadline = System.nanoTime() + SETTLE_MILLIS * 1_000_000;
        while (System.nanoTime() < deadline) {
            for (DeploymentDTO d : deployments.deployments()) {
                boolean same = Path.of(d.source).equals(jar) && (d.sha256.isEmpty()
                        || d.sha256.equalsIgnoreCase(sha256));
                if (same && (d.state == DeploymentState.ACTIVE || d.state == DeploymentState.REFUSED)) {
                    return d;
                }
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return null;
            }
        }
        return null;
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            // reported by the runtime's autoload when it stays
        }
    }

    private Ack ack(Command c, Result result, String reason, Map<String, Object> details) {
        return new Ack(c.id(), device, c.op().text(), result, reason == null ? "" : reason,
                System.currentTimeMillis(), details);
    }
}
