package layer45.runtime.shell;

import java.io.InputStream;
import java.io.PrintStream;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import layer45.api.runtime.CountersDTO;
import layer45.api.runtime.CustomizationRuntime;
import layer45.api.runtime.DeploymentDTO;
import layer45.api.runtime.DeploymentService;
import layer45.api.runtime.DeploymentState;
import layer45.api.runtime.ErrorCode;
import layer45.api.runtime.FlowDTO;
import layer45.api.runtime.FlowState;
import layer45.api.runtime.Layer45Exception;
import layer45.api.runtime.ModuleDTO;
import layer45.api.runtime.ModuleState;
import layer45.api.runtime.RefusalDTO;
import layer45.api.runtime.RuntimeStatsDTO;
import layer45.api.runtime.TargetDTO;

import org.apache.felix.service.command.CommandSession;

/** Fakes of the services the commands use, and DTOs as the runtime fills them. */
final class Fakes {

    private Fakes() {
    }

    /** A runtime that answers from lists and records every change it is asked for. */
    static class Runtime implements CustomizationRuntime {
        final List<ModuleDTO> modules = new ArrayList<>();
        final List<FlowDTO> flows = new ArrayList<>();
        final List<String> calls = new ArrayList<>();
        Map<String, ?> lastParameters;
        RuntimeStatsDTO stats = new RuntimeStatsDTO();
        final Map<String, Object> settings = new LinkedHashMap<>();

        @Override
        public List<ModuleDTO> modules() {
            return modules;
        }

        @Override
        public ModuleDTO module(String name) {
            return modules.stream().filter(m -> m.name.equals(name) && m.state != ModuleState.DEPRECATED).findFirst()
                    .or(() -> modules.stream().filter(m -> m.name.equals(name)).findFirst())
                    .orElseThrow(() -> new Layer45Exception(ErrorCode.UNKNOWN_MODULE,
                            "no module named '" + name + "' is loaded; list them with lsmod"));
        }

        @Override
        public List<FlowDTO> flows() {
            return flows;
        }

        @Override
        public List<RefusalDTO> refusals() {
            return List.of();
        }

        @Override
        public RuntimeStatsDTO stats() {
            return stats;
        }

        @Override
        public void setActive(String name, boolean active) {
            calls.add("setActive " + name + " " + active);
            module(name).active = active;
        }

        @Override
        public void deprecate(String name) {
            calls.add("deprecate " + name);
            module(name).state = ModuleState.DEPRECATED;
        }

        @Override
        public void setPriority(String name, int priority) {
            calls.add("setPriority " + name + " " + priority);
            module(name).priority = priority;
        }

        @Override
        public void setParameters(String name, Map<String, ?> parameters) {
            module(name);
            calls.add("setParameters " + name + " " + parameters);
            lastParameters = parameters;
        }

        @Override
        public void unload(String name, boolean force) {
            ModuleDTO m = module(name);
            if (m.usedBy > 0 && !force) {
                throw new Layer45Exception(ErrorCode.MODULE_IN_USE, "module '" + name + "' is used by " + m.usedBy
                        + " flows; wait for them to close, or force the unload (rmmod -f)");
            }
            calls.add("unload " + name + " " + force);
            modules.removeIf(x -> x.name.equals(name));
        }

        @Override
        public Map<String, Object> settings() {
            return settings;
        }
    }

    /** A deployment service that installs what it is told to, as the given DTO. */
    static final class Deployments implements DeploymentService {
        final List<DeploymentDTO> deployments = new ArrayList<>();
        final List<String> calls = new ArrayList<>();
        Map<String, String> lastParameters;
        /** What install answers; null refuses. */
        DeploymentDTO next;

        @Override
        public DeploymentDTO install(String path, Map<String, String> parameters) {
            calls.add("install " + path + " " + parameters);
            lastParameters = parameters;
            if (next == null) {
                throw new Layer45Exception(ErrorCode.REFUSED, path + " refused: it is not a bundle (no"
                        + " Bundle-SymbolicName in its manifest)");
            }
            return next;
        }

        @Override
        public List<DeploymentDTO> deployments() {
            return deployments;
        }

        @Override
        public String autoloadDirectory() {
            return "/var/lib/layer45/autoload";
        }
    }

    /** Bundle facts from maps. */
    static final class Bundles implements BundleFacts {
        final Map<Long, Map<String, String>> headers = new LinkedHashMap<>();
        final Map<Long, Long> sizes = new LinkedHashMap<>();
        final Map<Long, List<String>> dependencies = new LinkedHashMap<>();

        @Override
        public Map<String, String> headers(long bundleId) {
            return headers.getOrDefault(bundleId, Map.of());
        }

        @Override
        public long size(long bundleId) {
            return sizes.getOrDefault(bundleId, -1L);
        }

        @Override
        public String location(long bundleId) {
            return headers.containsKey(bundleId) ? "file:/opt/bundles/" + bundleId + ".jar" : "";
        }

        @Override
        public List<String> dependencies(long bundleId) {
            return dependencies.getOrDefault(bundleId, List.of());
        }
    }

    /**
     * @param keyboard the session's input
     * @param console the session's output
     * @return a command session with that input and output; nothing else works
     */
    static CommandSession session(InputStream keyboard, PrintStream console) {
        return (CommandSession) Proxy.newProxyInstance(Fakes.class.getClassLoader(),
                new Class<?>[] { CommandSession.class }, (proxy, method, args) -> switch (method.getName()) {
                    case "getKeyboard" -> keyboard;
                    case "getConsole" -> console;
                    case "toString" -> "session on " + keyboard;
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }

    /** @return a command session whose current directory is {@code cwd}; nothing else works */
    static CommandSession session(Path cwd) {
        return (CommandSession) Proxy.newProxyInstance(Fakes.class.getClassLoader(),
                new Class<?>[] { CommandSession.class }, (proxy, method, args) -> switch (method.getName()) {
                    case "currentDir" -> cwd;
                    case "toString" -> "session in " + cwd;
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }

    static CountersDTO counters(long chunks, long bytesIn, long bytesOut) {
        CountersDTO c = new CountersDTO();
        c.chunks = chunks;
        c.bytesIn = bytesIn;
        c.bytesOut = bytesOut;
        c.customized = chunks;
        return c;
    }

    static TargetDTO target(String[] protocol, String[] process, String[] remotePort) {
        TargetDTO t = new TargetDTO();
        t.protocol = protocol;
        t.process = process;
        t.thread = new String[] { "*" };
        t.remoteAddress = new String[0];
        t.remotePort = remotePort;
        t.localAddress = new String[0];
        t.localPort = new String[0];
        return t;
    }

    /** @return echo-tag-client as the runtime shows it: bundle 7, LIVE, priority 1000, remote port 65432 */
    static ModuleDTO echoTagClient() {
        ModuleDTO m = new ModuleDTO();
        m.name = "echo-tag-client";
        m.bundleId = 7;
        m.bundleSymbolicName = "echo-tag";
        m.bundleVersion = "0.1.0.SNAPSHOT";
        m.state = ModuleState.LIVE;
        m.active = true;
        m.priority = 1000;
        m.target = target(new String[] { "tcp", "udp" }, new String[] { "*" }, new String[] { "65432" });
        m.usedBy = 2;
        m.send = counters(12, 480, 624);
        m.recv = counters(12, 624, 480);
        m.lastProblem = "";
        m.deactivatedReason = "";
        m.loadedAt = 1_767_225_600_000L; // 2026-01-01T00:00:00Z
        Map<String, Object> parameters = new LinkedHashMap<>();
        parameters.put("layer45.protocol", new String[] { "TCP", "UDP" });
        parameters.put("layer45.process", new String[] { "*" });
        parameters.put("layer45.thread", new String[] { "*" });
        parameters.put("layer45.remote.address", new String[0]);
        parameters.put("layer45.remote.port", new String[] { "65432" });
        parameters.put("layer45.local.address", new String[0]);
        parameters.put("layer45.local.port", new String[0]);
        parameters.put("layer45.priority", 1000);
        parameters.put("layer45.active", true);
        m.parameters = parameters;
        m.overrides = Map.of();
        return m;
    }

    /** @return echo-tag-server: bundle 7, LIVE, priority 1000, local port 65432, nothing attached */
    static ModuleDTO echoTagServer() {
        ModuleDTO m = echoTagClient();
        m.name = "echo-tag-server";
        m.target.remotePort = new String[0];
        m.target.localPort = new String[] { "65432" };
        m.usedBy = 0;
        m.send = new CountersDTO();
        m.recv = new CountersDTO();
        return m;
    }

    static DeploymentDTO deployment(String source, String origin, long bundleId, long size, String... modules) {
        DeploymentDTO d = new DeploymentDTO();
        d.source = source;
        d.origin = origin;
        d.state = DeploymentState.ACTIVE;
        d.reason = "";
        d.bundleId = bundleId;
        d.symbolicName = "echo-tag";
        d.version = "0.1.0.SNAPSHOT";
        d.size = size;
        d.sha256 = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";
        d.apiRange = "[1.0,2)";
        d.modules = modules;
        return d;
    }

    static FlowDTO flow(long id, String local, String remote, int pid, int tgid, String process, String thread,
            String... modules) {
        FlowDTO f = new FlowDTO();
        f.id = id;
        f.protocol = "udp";
        f.network = "ipv4";
        f.local = local;
        f.remote = remote;
        f.initiator = "local";
        f.pid = pid;
        f.tgid = tgid;
        f.processName = process;
        f.threadName = thread;
        f.uid = -1;
        f.state = modules.length == 0 ? FlowState.UNMATCHED : FlowState.CUSTOMIZED;
        f.modules = modules;
        f.moduleBundles = new long[modules.length];
        f.send = counters(3, 120, 156);
        f.recv = counters(3, 156, 120);
        return f;
    }
}
