package layer45.agent.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import layer45.agent.protocol.Ack;
import layer45.agent.protocol.Challenge;
import layer45.agent.protocol.Command;
import layer45.agent.protocol.DesiredState;
import layer45.agent.protocol.Op;
import layer45.api.runtime.CustomizationRuntime;
import layer45.api.runtime.DeploymentDTO;
import layer45.api.runtime.DeploymentService;
import layer45.api.runtime.DeploymentState;
import layer45.api.runtime.ModuleDTO;
import layer45.api.runtime.ModuleState;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The agent's side of each command, against a runtime that loads every jar written to its autoload folder. */
class DeviceAgentTest {

    @TempDir
    Path autoload;

    private final List<String> calls = new ArrayList<>();
    private final ModuleDTO module = module("m1");

    private static ModuleDTO module(String name) {
        ModuleDTO m = new ModuleDTO();
        m.name = name;
        m.state = ModuleState.LIVE;
        m.active = true;
        m.priority = 1000;
        return m;
    }

    /** Every jar in the folder is an ACTIVE deployment providing m1. */
    private DeploymentService deployments() {
        return (DeploymentService) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] { DeploymentService.class }, (proxy, method, args) -> switch (method.getName()) {
                    case "autoloadDirectory" -> autoload.toString();
                    case "deployments" -> {
                        List<DeploymentDTO> list = new ArrayList<>();
                        try (var files = Files.list(autoload)) {
                            for (Path jar : files.filter(f -> f.toString().endsWith(".jar")).toList()) {
                                DeploymentDTO d = new DeploymentDTO();
                                d.source = jar.toString();
                                d.state = DeploymentState.ACTIVE;
                                d.sha256 = Challenge.sha256(Files.readAllBytes(jar));
                                d.modules = new String[] { "m1" };
                                list.add(d);
                            }
                        }
                        yield list;
                    }
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }

    private CustomizationRuntime runtime() {
        return (CustomizationRuntime) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] { CustomizationRuntime.class }, (proxy, method, args) -> {
                    calls.add(method.getName() + (args == null ? "" : " " + List.of(args)));
                    return switch (method.getName()) {
                        case "module" -> "m1".equals(args[0]) ? module : null;
                        case "modules" -> List.of(module);
                        case "flows" -> List.of();
                        case "setActive" -> {
                            module.active = (Boolean) args[1];
                            yield null;
                        }
                        default -> null;
                    };
                });
    }

    private DeviceAgent agent(Path state) {
        return new DeviceAgent("d1", runtime(), deployments(), () -> "", List::of, new AgentState(state));
    }

    private static Ack ack(byte[] encoded) throws Exception {
        return Ack.decode(encoded);
    }

    private static Command install(String id, byte[] jar, String sha256) {
        return Command.of(id, Op.INSTALL, "jar", "j1", "sha256", sha256, "bytes",
                Base64.getEncoder().encodeToString(jar));
    }

    @Test
    void anInstallIsCheckedWrittenAndNotDoneTwice() throws Exception {
        byte[] jar = { 1, 2, 3 };
        DeviceAgent agent = agent(autoload.resolve("state.json"));
        Ack forged = ack(agent.apply(install("c0", jar, Challenge.sha256(new byte[] { 9 }))));
        assertEquals(Ack.Result.REFUSED, forged.result());
        assertTrue(forged.reason().contains("nothing was installed"), forged.reason());
        assertFalse(Files.exists(autoload.resolve("j1.jar")));

        byte[] first = agent.apply(install("c1", jar, Challenge.sha256(jar)));
        assertEquals(Ack.Result.DONE, ack(first).result());
        assertArrayEquals(jar, Files.readAllBytes(autoload.resolve("j1.jar")));
        assertArrayEquals(first, agent.apply(install("c1", jar, Challenge.sha256(jar))), "the same id: the same ack");
        assertEquals(Ack.Result.ALREADY, ack(agent.apply(install("c2", jar, Challenge.sha256(jar)))).result());
        assertArrayEquals(first, agent(autoload.resolve("state.json")).apply(install("c1", jar, "x")),
                "remembered across a restart");
    }

    @Test
    void togglesAreIdempotentAndUnknownModulesRefused() throws Exception {
        DeviceAgent agent = agent(null);
        assertEquals(Ack.Result.DONE, ack(agent.apply(Command.of("t1", Op.DEACTIVATE, "module", "m1"))).result());
        assertEquals(Ack.Result.ALREADY, ack(agent.apply(Command.of("t2", Op.DEACTIVATE, "module", "m1"))).result());
        assertEquals(List.of("module [m1]", "setActive [m1, false]", "module [m1]"), calls);
        Ack unknown = ack(agent.apply(Command.of("t3", Op.ACTIVATE, "module", "m9")));
        assertEquals("no module named 'm9' is loaded on d1", unknown.reason());
        Ack traversal = ack(agent.apply(Command.of("t4", Op.REVOKE, "jar", "../etc")));
        assertEquals(Ack.Result.MALFORMED, traversal.result());
    }

    @Test
    void aChallengeIsAnsweredOverTheLoadedJarAndARevokeForgetsIt() throws Exception {
        byte[] jar = { 4, 5, 6 };
        DeviceAgent agent = agent(null);
        agent.apply(install("i1", jar, Challenge.sha256(jar)));
        byte[] nonce = new byte[32];
        Ack answer = ack(agent.apply(Command.of("ch1", Op.CHALLENGE, "jar", "j1", "nonce",
                java.util.HexFormat.of().formatHex(nonce))));
        assertEquals(Challenge.response(nonce, jar), answer.details().get("response"));
        assertEquals(Ack.Result.DONE, ack(agent.apply(Command.of("r1", Op.REVOKE, "jar", "j1"))).result());
        assertFalse(Files.exists(autoload.resolve("j1.jar")));
        assertTrue(calls.contains("unload [m1, true]"), calls.toString());
        Map<String, Object> report = agent.report();
        assertEquals("j1", ((Map<?, ?>) ((List<?>) report.get("revoked")).getFirst()).get("jar"));
        assertEquals(Ack.Result.ALREADY, ack(agent.apply(Command.of("r2", Op.REVOKE, "jar", "j1"))).result());
    }

    @Test
    void aDesiredStateAppliesWhatWasMissedOnceAndInOrder() throws Exception {
        byte[] jar = { 7, 8, 9 };
        Path stateFile = autoload.resolve("state.json");
        DeviceAgent agent = agent(stateFile);
        Command install = install("i1", jar, Challenge.sha256(jar));
        Command deactivate = Command.of("d1", Op.DEACTIVATE, "module", "m1");
        agent.apply(install); // heard live
        List<byte[]> acks = agent.converge(DesiredState.of("d1", 10, List.of(install, deactivate)));
        assertEquals(List.of("d1"), acks.stream().map(a -> {
            try {
                return ack(a).id();
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        }).toList(), "only the command it missed");
        assertFalse(module.active);
        assertEquals(10L, agent.report().get("desired"));
        assertTrue(agent(stateFile).converge(DesiredState.of("d1", 10, List.of(install, deactivate))).isEmpty(),
                "the same state again, even after a restart: nothing to do");
        module.active = true;
        assertTrue(agent(stateFile).converge(DesiredState.of("d1", 9, List.of(Command.of("d2", Op.DEACTIVATE,
                "module", "m1")))).isEmpty(), "an older state is not applied");
        assertTrue(module.active);
        org.junit.jupiter.api.Assertions.assertThrows(layer45.agent.protocol.MalformedMessage.class,
                () -> agent.converge(DesiredState.of("d2", 11, List.of())), "another device's state");
    }
}
