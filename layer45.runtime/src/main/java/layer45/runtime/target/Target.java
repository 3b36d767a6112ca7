package layer45.runtime.target;

import static layer45.api.CustomizationService.LOCAL_ADDRESS;
import static layer45.api.CustomizationService.LOCAL_PORT;
import static layer45.api.CustomizationService.PROCESS;
import static layer45.api.CustomizationService.PROTOCOL;
import static layer45.api.CustomizationService.REMOTE_ADDRESS;
import static layer45.api.CustomizationService.REMOTE_PORT;
import static layer45.api.CustomizationService.THREAD;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.function.Function;

import layer45.api.CustomizationService;
import layer45.api.FlowInfo;
import layer45.api.Transport;
import layer45.api.runtime.TargetDTO;

/**
 * The flows a customization module attaches to, parsed from the {@code layer45.*} properties of
 * {@link CustomizationService}.
 *
 * <p>A flow matches when it matches every part; within a part, when it matches any entry of the list, and an
 * empty list matches anything. Syntax of the properties, each a {@code String}, a {@code String[]} or a
 * {@code Collection} of them, every string also allowed to hold a comma-separated list:
 * <ul>
 * <li>{@code layer45.protocol}: {@code tcp}, {@code udp} or {@code any}, in any case (Declarative Services gives
 *     the annotation's {@code Transport[]} as enum names such as {@code TCP}); {@link Transport} values too.</li>
 * <li>{@code layer45.process}, {@code layer45.thread}: {@link NamePattern}s, compared with the owner's process
 *     and thread task names.</li>
 * <li>{@code layer45.remote.address}, {@code layer45.local.address}: {@link AddressPrefix}es.</li>
 * <li>{@code layer45.remote.port}, {@code layer45.local.port}: a {@link PortSet}; numbers are accepted too.</li>
 * </ul>
 * An absent property, or one with no entries (an empty array, a blank string), takes the annotation's default,
 * which for every part is "any". The parts are kept in canonical form (sorted, duplicates removed, {@code *}
 * absorbing the other names), so equal targets are the ones that match the same flows as written.
 *
 * @param transports the transports; never empty
 * @param processes process (tgid) name patterns; {@code [*]} for any
 * @param threads thread (pid) name patterns; {@code [*]} for any
 * @param remoteAddresses remote address prefixes; empty for any
 * @param remotePorts remote ports
 * @param localAddresses local address prefixes; empty for any
 * @param localPorts local ports
 */
public record Target(Set<Transport> transports, List<NamePattern> processes, List<NamePattern> threads,
        List<AddressPrefix> remoteAddresses, PortSet remotePorts, List<AddressPrefix> localAddresses,
        PortSet localPorts) {

    /** The target that matches every flow. */
    public static final Target ANY = new Target(EnumSet.allOf(Transport.class), List.of(), List.of(), List.of(),
            PortSet.ANY, List.of(), PortSet.ANY);

    /** Puts the parts in canonical form; empty transports or names mean any, as in the annotation. */
    public Target {
        Objects.requireNonNull(transports, "transports");
        Objects.requireNonNull(processes, "processes");
        Objects.requireNonNull(threads, "threads");
        Objects.requireNonNull(remoteAddresses, "remoteAddresses");
        Objects.requireNonNull(localAddresses, "localAddresses");
        Objects.requireNonNull(remotePorts, "remotePorts");
        Objects.requireNonNull(localPorts, "localPorts");
        transports = Collections.unmodifiableSet(
                transports.isEmpty() ? EnumSet.allOf(Transport.class) : EnumSet.copyOf(transports));
        processes = names(processes);
        threads = names(threads);
        remoteAddresses = List.copyOf(new TreeSet<>(remoteAddresses));
        localAddresses = List.copyOf(new TreeSet<>(localAddresses));
    }

    /**
     * Parses a module's target from its service properties, ignoring properties other than the target's.
     *
     * @param properties service properties, such as a component's
     * @return the target
     * @throws IllegalArgumentException if any value is malformed; the message names every malformed value with
     *         its property and what would be valid, separated by "; "
     */
    public static Target parse(Map<String, ?> properties) {
        Objects.requireNonNull(properties, "properties");
        List<String> problems = new ArrayList<>();
        Set<Transport> transports = transports(properties.get(PROTOCOL), report(PROTOCOL, problems));
        List<NamePattern> processes = list(properties.get(PROCESS), NamePattern::parse, report(PROCESS, problems));
        List<NamePattern> threads = list(properties.get(THREAD), NamePattern::parse, report(THREAD, problems));
        List<AddressPrefix> remoteAddresses = list(properties.get(REMOTE_ADDRESS), AddressPrefix::parse,
                report(REMOTE_ADDRESS, problems));
        PortSet remotePorts = ports(properties.get(REMOTE_PORT), report(REMOTE_PORT, problems));
        List<AddressPrefix> localAddresses = list(properties.get(LOCAL_ADDRESS), AddressPrefix::parse,
                report(LOCAL_ADDRESS, problems));
        PortSet localPorts = ports(properties.get(LOCAL_PORT), report(LOCAL_PORT, problems));
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", problems));
        }
        return new Target(transports, processes, threads, remoteAddresses, remotePorts, localAddresses,
                localPorts);
    }

    /**
     * @param flow a flow being opened
     * @return whether this target attaches to it; a flow whose owner is unknown matches only if any process and
     *         any thread are accepted
     */
    public boolean matches(FlowInfo flow) {
        return transports.contains(flow.transport())
                && anyName(processes, flow.owner().processName())
                && anyName(threads, flow.owner().threadName())
                && remotePorts.matches(flow.remotePort())
                && localPorts.matches(flow.localPort())
                && anyAddress(remoteAddresses, flow.remoteAddress())
                && anyAddress(localAddresses, flow.localAddress());
    }

    /** @return whether this target matches every flow */
    public boolean isAny() {
        return equals(ANY);
    }

    /**
     * @return the target in canonical strings: protocol as {@code tcp}/{@code udp}, {@code *} for any name, and
     *         empty arrays for any address or port, as the annotation's defaults are written
     */
    public TargetDTO toDTO() {
        TargetDTO dto = new TargetDTO();
        dto.protocol = transports.stream().map(t -> t.name().toLowerCase(Locale.ROOT)).toArray(String[]::new);
        dto.process = strings(processes);
        dto.thread = strings(threads);
        dto.remoteAddress = strings(remoteAddresses);
        dto.remotePort = remotePorts.toStrings().toArray(String[]::new);
        dto.localAddress = strings(localAddresses);
        dto.localPort = localPorts.toStrings().toArray(String[]::new);
        return dto;
    }

    /**
     * @return a one-line description leaving out what is "any", such as
     *         {@code udp process=dig remote=10.0.0.0/8:53}; {@code any} if everything is
     */
    @Override
    public String toString() {
        List<String> parts = new ArrayList<>();
        if (transports.size() == 1) {
            parts.add(transports.iterator().next().name().toLowerCase(Locale.ROOT));
        }
        if (!processes.getFirst().isAny()) {
            parts.add("process=" + join(processes));
        }
        if (!threads.getFirst().isAny()) {
            parts.add("thread=" + join(threads));
        }
        endpoint("remote", remoteAddresses, remotePorts, parts);
        endpoint("local", localAddresses, localPorts, parts);
        return parts.isEmpty() ? "any" : String.join(" ", parts);
    }

    private static Consumer<String> report(String property, List<String> problems) {
        return message -> problems.add(property + ": " + message);
    }

    private static Set<Transport> transports(Object value, Consumer<String> problems) {
        Set<Transport> out = EnumSet.noneOf(Transport.class);
        for (String source : Values.strings(value, problems)) {
            for (String item : Values.items(source, problems)) {
                switch (item.toLowerCase(Locale.ROOT)) {
                    case "tcp" -> out.add(Transport.TCP);
                    case "udp" -> out.add(Transport.UDP);
                    case "any" -> out.addAll(EnumSet.allOf(Transport.class));
                    default -> problems.accept(Values.quote(item) + " is not a transport; use 'tcp', 'udp' or"
                            + " 'any'");
                }
            }
        }
        return out;
    }

    private static <T> List<T> list(Object value, Function<String, T> parser, Consumer<String> problems) {
        List<T> out = new ArrayList<>();
        for (String source : Values.strings(value, problems)) {
            for (String item : Values.items(source, problems)) {
                try {
                    out.add(parser.apply(item));
                } catch (IllegalArgumentException e) {
                    problems.accept(e.getMessage());
                }
            }
        }
        return out;
    }

    private static PortSet ports(Object value, Consumer<String> problems) {
        return PortSet.parse(Values.strings(value, problems), problems);
    }

    private static List<NamePattern> names(Collection<NamePattern> patterns) {
        if (patterns.isEmpty() || patterns.stream().anyMatch(NamePattern::isAny)) {
            return List.of(NamePattern.ANY);
        }
        TreeSet<NamePattern> sorted = new TreeSet<>((a, b) -> a.toString().compareTo(b.toString()));
        sorted.addAll(patterns);
        return List.copyOf(sorted);
    }

    private static boolean anyName(List<NamePattern> patterns, String name) {
        for (int i = 0; i < patterns.size(); i++) {
            if (patterns.get(i).matches(name)) {
                return true;
            }
        }
        return false;
    }

    private static boolean anyAddress(List<AddressPrefix> prefixes, InetAddress address) {
        if (prefixes.isEmpty()) {
            return true;
        }
        for (int i = 0; i < prefixes.size(); i++) {
            if (prefixes.get(i).matches(address)) {
                return true;
            }
        }
        return false;
    }

    private static String[] strings(List<?> values) {
        return values.stream().map(Object::toString).toArray(String[]::new);
    }

    private static String join(List<?> values) {
        return String.join(",", values.stream().map(Object::toString).toList());
    }

    private static void endpoint(String side, List<AddressPrefix> addresses, PortSet ports, List<String> parts) {
        if (addresses.isEmpty() && ports.isAny()) {
            return;
        }
        StringBuilder out = new StringBuilder(side).append('=');
        if (addresses.isEmpty()) {
            out.append('*');
        }
        for (int i = 0; i < addresses.size(); i++) {
            AddressPrefix prefix = addresses.get(i);
            out.append(i == 0 ? "" : ",");
            // Brackets keep an IPv6 prefix's colons apart from the port's.
            if (prefix.isIPv4() || ports.isAny()) {
                out.append(prefix);
            } else {
                out.append('[').append(prefix).append(']');
            }
        }
        if (!ports.isAny()) {
            out.append(':').append(ports);
        }
        parts.add(out.toString());
    }
}
