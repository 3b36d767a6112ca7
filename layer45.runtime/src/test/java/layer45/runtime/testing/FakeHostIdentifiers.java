package layer45.runtime.testing;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import layer45.mnet.HostAddress;
import layer45.mnet.HostChoice;
import layer45.mnet.HostIdentifier;
import layer45.mnet.HostIdentifiers;

/** A host-identifier table in memory for the shell's tests: virtual addresses by order of arrival, settable state. */
public class FakeHostIdentifiers implements HostIdentifiers {

    private final Map<String, HostIdentifier> identifiers = new TreeMap<>();
    private int next = 1;
    private long changes;
    /** The flows {@link #flows()} returns. */
    public final List<HostChoice> flows = new ArrayList<>();
    /** The choices {@link #lastChoice} returns, by identifier. */
    public final Map<String, HostChoice> choices = new TreeMap<>();
    /** The problems {@link #problems()} returns. */
    public final List<String> problems = new ArrayList<>();
    /** The protocols {@link #availableProtocols()} returns. */
    public Set<String> available = Set.of("ipv4", "ipv6");

    /**
     * Adds an identifier as if a file defined it.
     *
     * @param name its name
     * @param source where it is defined
     * @param addresses its addresses as written
     */
    public void define(String name, String source, String... addresses) {
        put(name, List.of(addresses).stream().map(HostAddress::parse).toList(), source);
    }

    @Override
    public List<HostIdentifier> list() {
        return List.copyOf(identifiers.values());
    }

    @Override
    public Optional<HostIdentifier> get(String name) {
        return Optional.ofNullable(identifiers.get(name.toLowerCase(java.util.Locale.ROOT)));
    }

    @Override
    public HostIdentifier put(String name, List<HostAddress> addresses) {
        return put(name, addresses, "shell");
    }

    private HostIdentifier put(String name, List<HostAddress> addresses, String source) {
        String checked = HostIdentifier.checkName(name);
        HostIdentifier old = identifiers.get(checked);
        int number = next++;
        InetAddress v4 = old != null ? old.virtual4() : InetAddress.ofLiteral("10.46.0." + number);
        InetAddress v6 = old != null ? old.virtual6() : InetAddress.ofLiteral("fd46::" + number);
        HostIdentifier id = new HostIdentifier(checked, addresses, source, v4, v6);
        identifiers.put(checked, id);
        changes++;
        return id;
    }

    @Override
    public boolean remove(String name) {
        changes++;
        return identifiers.remove(name.toLowerCase(java.util.Locale.ROOT)) != null;
    }

    @Override
    public long changes() {
        return changes;
    }

    @Override
    public Set<String> availableProtocols() {
        return available;
    }

    @Override
    public List<HostChoice> flows() {
        return List.copyOf(flows);
    }

    @Override
    public Optional<HostChoice> lastChoice(String name) {
        return Optional.ofNullable(choices.get(name));
    }

    @Override
    public List<String> problems() {
        return List.copyOf(problems);
    }

    @Override
    public String domain() {
        return "mhost";
    }

    @Override
    public List<String> virtualPrefixes() {
        return List.of("10.46.0.0/16", "fd46::/64");
    }
}
