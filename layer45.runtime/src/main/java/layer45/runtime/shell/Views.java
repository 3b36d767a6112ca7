package layer45.runtime.shell;

import static layer45.api.CustomizationService.ACTIVE;
import static layer45.api.CustomizationService.APPLY_NOW;
import static layer45.api.CustomizationService.LOCAL_ADDRESS;
import static layer45.api.CustomizationService.LOCAL_PORT;
import static layer45.api.CustomizationService.PRIORITY;
import static layer45.api.CustomizationService.PROCESS;
import static layer45.api.CustomizationService.PROTOCOL;
import static layer45.api.CustomizationService.REMOTE_ADDRESS;
import static layer45.api.CustomizationService.REMOTE_PORT;
import static layer45.api.CustomizationService.THREAD;

import java.lang.reflect.Array;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.StringJoiner;

import layer45.api.CustomizationService;
import layer45.api.runtime.CountersDTO;
import layer45.api.runtime.DeploymentDTO;
import layer45.api.runtime.DeploymentState;
import layer45.api.runtime.FlowDTO;
import layer45.api.runtime.ModuleDTO;
import layer45.api.runtime.ModuleState;
import layer45.api.runtime.RefusalDTO;
import layer45.api.runtime.RuntimeStatsDTO;
import layer45.api.runtime.TargetDTO;
import layer45.runtime.bundle.ModuleDescriptors.Option;

/** Renders the runtime's DTOs as the text the commands print; everything here is testable without OSGi. */
final class Views {

    /**
     * A parameter of the runtime, as {@code modinfo} lists it.
     *
     * @param key its property name
     * @param defaultValue the value when neither the module nor an operator sets it, as shown
     * @param description one line for operators
     */
    record RuntimeParameter(String key, String defaultValue, String description) {
    }

    /** The {@code layer45.*} parameters of {@link CustomizationService}, in the order they are shown. */
    static final List<RuntimeParameter> PARAMETERS = List.of(
            new RuntimeParameter(PROTOCOL, "tcp,udp", "transports to attach to: tcp, udp or any"),
            new RuntimeParameter(PROCESS, "*",
                    "process (tgid) name patterns, as truncated to 15 bytes; * at either end is a wildcard"),
            new RuntimeParameter(THREAD, "*", "thread (pid) name patterns, such as isc-net-*"),
            new RuntimeParameter(REMOTE_ADDRESS, "any", "remote address prefixes: IP literals or CIDR, never names"),
            new RuntimeParameter(REMOTE_PORT, "any", "remote ports and ranges, such as 53 or 8000-8100"),
            new RuntimeParameter(LOCAL_ADDRESS, "any", "local address prefixes: IP literals or CIDR, never names"),
            new RuntimeParameter(LOCAL_PORT, "any", "local ports and ranges, such as 53 or 8000-8100"),
            new RuntimeParameter(PRIORITY, Integer.toString(CustomizationService.DEFAULT_PRIORITY),
                    "chain position from 0 to 65535: lower runs first, ties in name order"),
            new RuntimeParameter(ACTIVE, "true", "whether it customizes; inactive, it stays attached, uncalled"),
            new RuntimeParameter(APPLY_NOW, "false", "whether it also attaches to flows open when it is loaded"));

    private final BundleFacts bundles;
    private final ModuleOptions options;

    /**
     * @param bundles facts about module bundles
     * @param options module-own configuration properties
     */
    Views(BundleFacts bundles, ModuleOptions options) {
        this.bundles = bundles;
        this.options = options;
    }

    // ---------------------------------------------------------------------------------------------------------
    // lsmod
    // ---------------------------------------------------------------------------------------------------------

    /**
     * @param modules the loaded modules
     * @param deployments the deployments, for sizes and refused jars
     * @return one row per module, and one per refused jar, by name, the current version of a module first
     */
    String lsmod(List<ModuleDTO> modules, List<DeploymentDTO> deployments) {
        return lsmod(modules, deployments, List.of());
    }

    /**
     * Like {@link #lsmod(List, List)}, with rows for modules refused from bundles that are still installed (a jar
     * whose other modules loaded, say): a refusal still applies while its bundle is there and no module of that name
     * came from it. Bundle ids are never reused, so an old refusal cannot be mistaken for a current one.
     */
    String lsmod(List<ModuleDTO> modules, List<DeploymentDTO> deployments, List<RefusalDTO> refusals) {
        record Row(String name, int rank, long bundleId, Object[] cells) {
        }
        Map<Long, DeploymentDTO> byBundle = byBundle(deployments);
        List<Row> rows = new ArrayList<>();
        for (ModuleDTO m : modules) {
            DeploymentDTO d = byBundle.get(m.bundleId);
            long size = d != null && d.size > 0 ? d.size : bundles.size(m.bundleId);
            String errors = Long.toString(problems(m.send) + problems(m.recv));
            if (!text(m.deactivatedReason).isEmpty()) {
                errors += " (deactivated)";
            }
            rows.add(new Row(text(m.name), rank(m.state), m.bundleId, new Object[] {
                m.name, size >= 0 ? size : "-", m.usedBy, or(String.join(",", bundles.dependencies(m.bundleId)), "-"),
                m.state, m.active ? "yes" : "no", m.priority, or(m.bundleVersion, "-"), errors }));
        }
        Set<String> shown = new HashSet<>();
        for (int i = refusals.size() - 1; i >= 0; i--) { // newest first: one row per module and bundle
            RefusalDTO r = refusals.get(i);
            boolean loaded = modules.stream().anyMatch(m -> m.bundleId == r.bundleId && text(m.name).equals(r.name));
            if (r.bundleId >= 0 && !loaded && !bundles.headers(r.bundleId).isEmpty()
                    && shown.add(r.name + "@" + r.bundleId)) {
                rows.add(new Row(text(r.name), 9, r.bundleId, new Object[] {
                    r.name, "-", "-", "-", "REFUSED", "-", "-",
                    or(text(bundles.headers(r.bundleId).get("Bundle-Version")), "-"), or(r.reason, "refused") }));
            }
        }
        for (DeploymentDTO d : deployments) {
            if (d.state == DeploymentState.REFUSED) {
                String name = fileName(d.source);
                rows.add(new Row(name, 9, d.bundleId, new Object[] {
                    name, d.size > 0 ? d.size : "-", "-", "-", d.state, "-", "-", or(d.version, "-"),
                    or(d.reason, "refused") }));
            }
        }
        rows.sort(Comparator.comparing(Row::name).thenComparingInt(Row::rank)
                .thenComparing(Comparator.comparingLong(Row::bundleId).reversed()));
        Table table = new Table("Module", "Size", "Used", "Dependencies", "State", "Active", "Priority", "Version",
                "Errors").right(1, 2, 6).whenEmpty("(none)");
        rows.forEach(row -> table.row(row.cells()));
        return table.toString();
    }

    private static int rank(ModuleState state) {
        return state == null ? 8 : switch (state) {
            case LIVE -> 0;
            case LOADING -> 1;
            case DEPRECATED -> 2;
            default -> 3;
        };
    }

    // ---------------------------------------------------------------------------------------------------------
    // modinfo
    // ---------------------------------------------------------------------------------------------------------

    /**
     * @param m the module
     * @param all every loaded module, to mention the module's other version while it is replaced
     * @param deployments the deployments, for the jar it came from
     * @return its description: bundle, source, state, target, parameters and counters
     */
    String modinfo(ModuleDTO m, List<ModuleDTO> all, List<DeploymentDTO> deployments) {
        Map<String, String> headers = bundles.headers(m.bundleId);
        DeploymentDTO d = byBundle(deployments).get(m.bundleId);
        Fields fields = new Fields();
        fields.add("name", m.name);
        String bundleName = text(headers.get("Bundle-Name"));
        fields.add("bundle", m.bundleSymbolicName + " " + m.bundleVersion + " (id " + m.bundleId
                + (bundleName.isEmpty() ? "" : ", \"" + bundleName + "\"") + ")");
        if (d != null) {
            fields.add("source", d.source + " (" + d.origin + (d.size > 0 ? ", " + d.size + " bytes" : "") + ")");
            fields.add("sha256", d.sha256);
        } else {
            String location = bundles.location(m.bundleId);
            long size = bundles.size(m.bundleId);
            fields.add("source", location.isEmpty() ? "" : location + " (not installed by layer45"
                    + (size >= 0 ? ", " + size + " bytes" : "") + ")");
        }
        fields.add("description", headers.get("Bundle-Description"));
        fields.add("vendor", headers.get("Bundle-Vendor"));
        fields.add("license", headers.get("Bundle-License"));
        fields.add("requires", requires(d, headers.get("Import-Package")));
        StringJoiner state = new StringJoiner(", ");
        state.add(String.valueOf(m.state)).add(m.active ? "active" : "inactive").add("priority " + m.priority)
                .add("used by " + m.usedBy + (m.usedBy == 1 ? " flow" : " flows"));
        fields.add("state", state.toString());
        fields.add("deactivated", m.deactivatedReason);
        fields.add("last problem", m.lastProblem);
        if (m.budgetFaults > 0) {
            fields.add("recent faults", m.budgetFaults + " in the fault-budget window");
        }
        fields.add("target", target(m.target) + (m.applyNow ? ", also flows open when loaded" : ""));
        fields.add("loaded", time(m.loadedAt));
        fields.add("deprecated", time(m.deprecatedAt));
        for (ModuleDTO other : all) {
            if (text(other.name).equals(m.name) && other.bundleId != m.bundleId) {
                fields.add("other version", other.bundleSymbolicName + " " + other.bundleVersion + " (id "
                        + other.bundleId + "), " + other.state + ", used by " + other.usedBy
                        + (other.usedBy == 1 ? " flow" : " flows"));
            }
        }

        Table parameters = new Table("Parameter", "Value", "Set by", "Description");
        Map<String, Object> applied = m.parameters == null ? Map.of() : m.parameters;
        Map<String, Object> overrides = m.overrides == null ? Map.of() : m.overrides;
        for (RuntimeParameter p : PARAMETERS) {
            Object value = applied.get(p.key());
            String setBy;
            if (overrides.get(p.key()) != null) {
                setBy = "operator";
                value = value == null ? overrides.get(p.key()) : value;
            } else {
                setBy = value != null ? "module" : "default";
            }
            parameters.row(p.key(), value == null ? p.defaultValue() : or(show(value), "any"), setBy,
                    p.description());
        }
        Map<String, Object> configured = new LinkedHashMap<>(options.configured(m.bundleId, m.name));
        for (Option o : options.options(m.bundleId, m.name)) {
            Object value = configured.remove(o.name());
            parameters.row(o.name(), value == null ? o.defaultValue() : show(value), value == null ? "default"
                    : "operator", o.description());
        }
        configured.forEach((key, value) -> parameters.row(key, show(value), "operator", ""));

        Table counters = new Table("Counter", "Send", "Recv").right(1, 2);
        CountersDTO send = m.send == null ? new CountersDTO() : m.send;
        CountersDTO recv = m.recv == null ? new CountersDTO() : m.recv;
        counters.row("chunks", send.chunks, recv.chunks);
        counters.row("bytes in", send.bytesIn, recv.bytesIn);
        counters.row("bytes out", send.bytesOut, recv.bytesOut);
        counters.row("customized", send.customized, recv.customized);
        counters.row("passed", send.passed, recv.passed);
        counters.row("dropped", send.dropped, recv.dropped);
        counters.row("held", send.held, recv.held);
        counters.row("held bytes discarded", send.heldDiscarded, recv.heldDiscarded);
        counters.row("errors", send.errors, recv.errors);
        counters.row("faults", send.faults, recv.faults);

        return fields + "\nparameters:\n" + indent(parameters.toString()) + "\ncounters:\n"
                + indent(counters.toString());
    }

    private static String requires(DeploymentDTO d, String importPackage) {
        if (d != null && !text(d.apiRange).isEmpty()) {
            return "layer45.api " + d.apiRange;
        }
        String range = importRange(importPackage, "layer45.api");
        return range == null ? "" : "layer45.api " + (range.isEmpty() ? "(any version)" : range);
    }

    /**
     * @param importPackage an {@code Import-Package} header, or null
     * @param packageName a package
     * @return the version range the header imports the package with, "" if without a version, null if it does
     *         not import it
     */
    static String importRange(String importPackage, String packageName) {
        if (importPackage == null) {
            return null;
        }
        for (String clause : split(importPackage, ',')) {
            List<String> parts = split(clause, ';');
            boolean imports = false;
            String version = "";
            for (String part : parts) {
                String p = part.trim();
                int eq = p.indexOf('=');
                if (eq < 0) {
                    imports |= p.equals(packageName);
                } else if (p.substring(0, eq).trim().equals("version")) {
                    version = p.substring(eq + 1).trim().replace("\"", "");
                }
            }
            if (imports) {
                return version;
            }
        }
        return null;
    }

    /** Splits a manifest header at a separator outside quotes. */
    private static List<String> split(String header, char separator) {
        List<String> parts = new ArrayList<>();
        boolean quoted = false;
        int start = 0;
        for (int i = 0; i < header.length(); i++) {
            char c = header.charAt(i);
            if (c == '"') {
                quoted = !quoted;
            } else if (c == separator && !quoted) {
                parts.add(header.substring(start, i));
                start = i + 1;
            }
        }
        parts.add(header.substring(start));
        return parts;
    }

    // ---------------------------------------------------------------------------------------------------------
    // the one-line state of a module, and its target
    // ---------------------------------------------------------------------------------------------------------

    /**
     * @param m a module
     * @return its name, state, priority and target on one line, such as
     *         {@code echo-tag-client LIVE priority 1000 target tcp,udp remote *:65432}
     */
    static String stateLine(ModuleDTO m) {
        return m.name + " " + m.state + (m.active ? "" : " inactive") + " priority " + m.priority + " target "
                + target(m.target);
    }

    /**
     * @param t a target, or null
     * @return it on one line, leaving out what matches anything, such as
     *         {@code udp process dig remote 10.0.0.0/8:53}; "any" matches every flow
     */
    static String target(TargetDTO t) {
        if (t == null) {
            return "any";
        }
        StringJoiner out = new StringJoiner(" ");
        out.add(list(t.protocol).isEmpty() ? "any" : list(t.protocol));
        names(out, "process", t.process);
        names(out, "thread", t.thread);
        endpoint(out, "remote", t.remoteAddress, t.remotePort);
        endpoint(out, "local", t.localAddress, t.localPort);
        return out.toString();
    }

    private static void names(StringJoiner out, String what, String[] patterns) {
        String names = list(patterns);
        if (!names.isEmpty() && !names.equals("*")) {
            out.add(what).add(names);
        }
    }

    private static void endpoint(StringJoiner out, String what, String[] addresses, String[] ports) {
        if ((addresses == null || addresses.length == 0) && (ports == null || ports.length == 0)) {
            return;
        }
        StringJoiner a = new StringJoiner(",");
        for (String address : addresses == null ? new String[0] : addresses) {
            a.add(address.indexOf(':') >= 0 ? "[" + address + "]" : address);
        }
        String p = list(ports);
        out.add(what).add((a.length() == 0 ? "*" : a.toString()) + ":" + (p.isEmpty() ? "*" : p));
    }

    // ---------------------------------------------------------------------------------------------------------
    // sockets and stats
    // ---------------------------------------------------------------------------------------------------------

    /**
     * @param flows the open flows
     * @return one row per flow, then their number
     */
    static String sockets(List<FlowDTO> flows) {
        Table table = new Table("ID", "Proto", "Local", "Remote", "PID/TGID", "Process/Thread", "Modules",
                "Send chunks/bytes", "Recv chunks/bytes").right(0, 4, 7, 8);
        for (FlowDTO f : flows) {
            boolean known = f.pid >= 0;
            String owner = known ? f.pid + "/" + (f.tgid >= 0 ? f.tgid : "?") : "?";
            String names = known ? or(f.processName, "?") + "/" + or(f.threadName, "?") : "?";
            table.row(f.id, f.protocol, f.local, f.remote, owner, names, or(list(f.modules), "-"), traffic(f.send),
                    traffic(f.recv));
        }
        int n = flows.size();
        return table + "\n" + n + (n == 1 ? " open flow" : " open flows");
    }

    private static String traffic(CountersDTO c) {
        return c == null ? "-" : c.chunks + "/" + c.bytesIn;
    }

    /**
     * @param s the runtime-wide counters
     * @param settings the runtime's settings
     * @param autoload the autoload folder
     * @return the counters, the settings and the folder
     */
    static String stats(RuntimeStatsDTO s, Map<String, Object> settings, String autoload) {
        Table counters = new Table("Counter", "Value").right(1);
        counters.row("modules", s.modules);
        counters.row("refusals", s.refusals);
        counters.row("open flows", s.openFlows);
        counters.row("flows opened", s.flowsOpened);
        counters.row("flows aborted", s.flowsAborted);
        counters.row("auto-deactivations", s.autoDeactivations);
        direction(counters, "send", s.send);
        direction(counters, "recv", s.recv);
        Table table = new Table("Setting", "Value");
        settings.forEach((key, value) -> table.row(key, show(value)));
        table.whenEmpty("(none)");
        return counters + "\n\n" + table + "\n\nautoload folder: " + autoload;
    }

    private static void direction(Table table, String name, CountersDTO c) {
        CountersDTO counters = c == null ? new CountersDTO() : c;
        table.row(name + " chunks", counters.chunks);
        table.row(name + " bytes in", counters.bytesIn);
        table.row(name + " bytes out", counters.bytesOut);
        table.row(name + " customized", counters.customized);
        table.row(name + " passed", counters.passed);
        table.row(name + " dropped", counters.dropped);
        table.row(name + " held", counters.held);
        table.row(name + " held bytes discarded", counters.heldDiscarded);
        table.row(name + " errors", counters.errors);
        table.row(name + " faults", counters.faults);
    }

    // ---------------------------------------------------------------------------------------------------------
    // helpers
    // ---------------------------------------------------------------------------------------------------------

    /** Aligned {@code key: value} lines; empty values are left out. */
    private static final class Fields {
        private final List<String[]> lines = new ArrayList<>();

        void add(String key, String value) {
            if (value != null && !value.isBlank()) {
                lines.add(new String[] { key + ":", value.replaceAll("[\\r\\n\\t]+", " ").strip() });
            }
        }

        @Override
        public String toString() {
            int width = lines.stream().mapToInt(l -> l[0].length()).max().orElse(0);
            StringJoiner out = new StringJoiner("\n");
            lines.forEach(l -> out.add(l[0] + " ".repeat(width - l[0].length() + 1) + l[1]));
            return out.toString();
        }
    }

    private static Map<Long, DeploymentDTO> byBundle(List<DeploymentDTO> deployments) {
        Map<Long, DeploymentDTO> map = new HashMap<>();
        for (DeploymentDTO d : deployments) {
            if (d.bundleId >= 0) {
                map.putIfAbsent(d.bundleId, d);
            }
        }
        return map;
    }

    private static long problems(CountersDTO c) {
        return c == null ? 0 : c.errors + c.faults;
    }

    private static String fileName(String source) {
        if (source == null || source.isEmpty()) {
            return "?";
        }
        try {
            Path name = Path.of(source).getFileName();
            return name == null ? source : name.toString();
        } catch (RuntimeException e) {
            return source;
        }
    }

    private static String time(long epochMillis) {
        return epochMillis <= 0 ? "" : Instant.ofEpochMilli(epochMillis).truncatedTo(ChronoUnit.SECONDS).toString();
    }

    private static String indent(String block) {
        return "  " + block.replace("\n", "\n  ");
    }

    private static String list(String[] values) {
        return values == null ? "" : String.join(",", values);
    }

    /** @return a parameter value as typed in a configuration file: lists comma-separated */
    static String show(Object value) {
        if (value == null) {
            return "";
        }
        if (value.getClass().isArray()) {
            StringJoiner out = new StringJoiner(",");
            for (int i = 0; i < Array.getLength(value); i++) {
                out.add(String.valueOf(Array.get(value, i)));
            }
            return out.toString();
        }
        if (value instanceof Collection<?> c) {
            StringJoiner out = new StringJoiner(",");
            c.forEach(v -> out.add(String.valueOf(v)));
            return out.toString();
        }
        return value.toString();
    }

    private static String text(String s) {
        return s == null ? "" : s;
    }

    private static String or(String s, String fallback) {
        return s == null || s.isEmpty() ? fallback : s;
    }
}
