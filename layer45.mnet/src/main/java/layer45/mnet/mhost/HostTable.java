package layer45.mnet.mhost;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.concurrent.atomic.AtomicLong;
import layer45.mnet.HostAddress;
import layer45.mnet.HostChoice;
import layer45.mnet.HostIdentifier;
import layer45.mnet.HostIdentifiers;
import layer45.mnet.wire.IpAddress;

/**
 * The host-identifier table: the identifiers in force, merged from the file, the configuration and operators' edits
 * (in rising precedence), with their virtual addresses; and the choices made for the flows to them.
 *
 * <p>Changes take a lock and publish an immutable snapshot; the relay and the name service read the snapshot
 * without locking, so a change applies to every flow that starts after it.
 */
public final class HostTable implements HostIdentifiers {

    private static final System.Logger LOG = System.getLogger("layer45.mnet");

    private final Object lock = new Object();
    // guarded by lock
    private MhostSettings settings;
    private VirtualAddresses virtuals;
    private MhostEntries.Parsed file = MhostEntries.Parsed.EMPTY;
    private MhostEntries.Parsed config = MhostEntries.Parsed.EMPTY;
    private List<String> settingsProblems = List.of();
    /** Operators' edits by name: an entry, or {@code null} for a removal. */
    private final Map<String, MhostEntries.Entry> edits = new HashMap<>();
    private List<String> editsProblems = List.of();

    private volatile Snapshot snapshot;
    private final AtomicLong changes = new AtomicLong();
    private final Map<Object, HostChoice> flows = new ConcurrentHashMap<>();
    private final Map<String, HostChoice> lastChoices = new ConcurrentHashMap<>();
    /** The stacks that carry each plugged-in protocol; guarded by itself. */
    private final Map<String, Set<Object>> carriers = new HashMap<>();
    private final Set<String> available = new CopyOnWriteArraySet<>(List.of(HostAddress.IPV4, HostAddress.IPV6));

    /** What is in force, at one moment. */
    private record Snapshot(MhostSettings settings, List<HostIdentifier> list, Map<String, HostIdentifier> byName,
            Map<InetAddress, HostIdentifier> byVirtual, Map<HostAddress, HostIdentifier> byAddress,
            List<String> problems) {
    }

    /** @param settings the table's settings; the file is read by whoever watches it ({@link MhostFileWatcher}) */
    public HostTable(MhostSettings settings) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.virtuals = new VirtualAddresses(settings.prefix4(), settings.prefix6());
        synchronized (lock) {
            takeEditsFrom(settings.edits());
            publish();
        }
    }

    // -------------------------------------------------------------------------------------------------------------
    // Loading
    // -------------------------------------------------------------------------------------------------------------

    /**
     * Takes new settings; new virtual prefixes give every identifier new virtual addresses.
     *
     * @param changed the settings
     * @param problems what was wrong with the configuration they came from
     */
    public void settings(MhostSettings changed, List<String> problems) {
        synchronized (lock) {
            if (!Objects.equals(changed.prefix4(), settings.prefix4())
                    || !Objects.equals(changed.prefix6(), settings.prefix6())) {
                virtuals = new VirtualAddresses(changed.prefix4(), changed.prefix6());
            }
            boolean newEditsFile = !Objects.equals(changed.edits(), settings.edits());
            settings = changed;
            settingsProblems = List.copyOf(problems);
            if (newEditsFile) {
                takeEditsFrom(changed.edits());
            }
            publish();
        }
    }

    /** @return the settings in force */
    public MhostSettings settings() {
        return snapshot.settings();
    }

    /**
     * Reads the edits kept in a new edits file; this run's edits stay on top of them and are written into it.
     * Under the lock.
     */
    private void takeEditsFrom(Path file) {
        editsProblems = List.of();
        if (file == null) {
            return;
        }
        MhostEdits.Read kept = MhostEdits.read(file, file.toString());
        Map<String, MhostEntries.Entry> thisRun = new HashMap<>(edits);
        edits.clear();
        edits.putAll(kept.edits());
        edits.putAll(thisRun);
        editsProblems = kept.problems();
        if (!kept.edits().isEmpty() || !kept.problems().isEmpty()) {
            LOG.log(kept.problems().isEmpty() ? System.Logger.Level.INFO : System.Logger.Level.WARNING,
                    "layer45: host identifiers: " + kept.edits().size() + " operator edit(s) kept in " + file
                    + (kept.problems().isEmpty() ? "" : "; " + String.join("; ", kept.problems())));
        }
        if (!thisRun.isEmpty()) {
            keepEdits();
        }
    }

    /** Writes the edits into the edits file, if there is one. Under the lock. */
    private void keepEdits() {
        Path file = settings.edits();
        if (file == null) {
            return;
        }
        try {
            MhostEdits.write(file, edits);
            editsProblems = List.of();
        } catch (IOException | RuntimeException e) {
            String problem = "operators' edits cannot be written to " + file + " (" + e.getMessage() + "): they hold"
                    + " until the runtime stops; check the folder (state.dir) is writable";
            editsProblems = List.of(problem);
            LOG.log(System.Logger.Level.WARNING, "layer45: host identifiers: " + problem);
        }
    }

    /** @param parsed what the file holds now ({@link MhostEntries#parseFile}); empty if there is none */
    public void fileRead(MhostEntries.Parsed parsed) {
        synchronized (lock) {
            file = parsed;
            publish();
        }
    }

    /** @param parsed the configuration's identifiers now ({@link MhostEntries#parseConfig}) */
    public void configRead(MhostEntries.Parsed parsed) {
        synchronized (lock) {
            config = parsed;
            publish();
        }
    }

    /**
     * Says whether a plugged-in protocol can carry flows now (IPv4 and IPv6 always can).
     *
     * @param protocol the protocol's name
     * @param canCarry whether it can
     */
    public void protocolAvailable(String protocol, boolean canCarry) {
        if (canCarry) {
            available.add(protocol);
        } else if (!protocol.equals(HostAddress.IPV4) && !protocol.equals(HostAddress.IPV6)) {
            available.remove(protocol);
        }
    }

    /**
     * Says whether one stack carries a plugged-in protocol now: the protocol is available while at least one stack
     * carries it, so mhost translations skip its addresses once the last stack unplugged it.
     *
     * @param protocol the protocol's name
     * @param carrier the stack (any object that stands for it, compared by identity)
     * @param carried whether it carries the protocol now
     */
    public void protocolCarried(String protocol, Object carrier, boolean carried) {
        synchronized (carriers) {
            Set<Object> stacks = carriers.computeIfAbsent(protocol,
                    name -> java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>()));
            if (carried) {
                stacks.add(carrier);
            } else {
                stacks.remove(carrier);
            }
            protocolAvailable(protocol, !stacks.isEmpty());
            if (stacks.isEmpty()) {
                carriers.remove(protocol);
            }
        }
    }

    /**
     * @param protocol a plugged-in protocol's name
     * @return the stacks that carry it now (as given to {@link #protocolCarried}); empty if none does
     */
    public List<Object> carriersOf(String protocol) {
        synchronized (carriers) {
            Set<Object> stacks = carriers.get(protocol);
            return stacks == null ? List.of() : List.copyOf(stacks);
        }
    }

    /** Merges the layers, gives new identifiers their virtual addresses, and publishes the result. */
    private void publish() {
        Map<String, MhostEntries.Entry> merged = new TreeMap<>();
        for (MhostEntries.Entry e : file.entries()) {
            merged.put(e.name(), e);
        }
        for (MhostEntries.Entry e : config.entries()) {
            merged.put(e.name(), e);
        }
        edits.forEach((name, e) -> {
            if (e == null) {
                merged.remove(name);
            } else {
                merged.put(name, e);
            }
        });
        for (String name : virtuals.assigned()) {
            if (!merged.containsKey(name)) {
                virtuals.release(name);
            }
        }
        lastChoices.keySet().retainAll(merged.keySet());
        List<String> problems = new ArrayList<>(settingsProblems);
        problems.addAll(editsProblems);
        problems.addAll(config.problems());
        problems.addAll(file.problems());
        List<HostIdentifier> list = new ArrayList<>();
        Map<String, HostIdentifier> byName = new HashMap<>();
        Map<InetAddress, HostIdentifier> byVirtual = new HashMap<>();
        Map<HostAddress, HostIdentifier> byAddress = new HashMap<>();
        for (MhostEntries.Entry e : merged.values()) { // in name order, so collisions resolve the same way each time
            int number = virtuals.assign(e.name());
            if (number == 0 && virtuals.capacity() > 0) {
                problems.add(e.name() + " has no virtual address: the prefixes have room for " + virtuals.capacity()
                        + " identifiers; configure larger ones (mhost.prefix4, mhost.prefix6)");
            }
            HostIdentifier id = new HostIdentifier(e.name(), e.addresses(), e.source(), virtuals.ipv4(number),
                    virtuals.ipv6(number));
            list.add(id);
            byName.put(id.name(), id);
            if (id.virtual4() != null) {
                byVirtual.put(id.virtual4(), id);
            }
            if (id.virtual6() != null) {
                byVirtual.put(id.virtual6(), id);
            }
            for (HostAddress address : id.addresses()) {
                byAddress.putIfAbsent(withoutPort(address), id); // the first name that lists it
            }
        }
        Snapshot previous = snapshot;
        snapshot = new Snapshot(settings, List.copyOf(list), Map.copyOf(byName), Map.copyOf(byVirtual),
                Map.copyOf(byAddress), List.copyOf(problems));
        if (previous != null && !previous.list().equals(snapshot.list())) {
            changes.incrementAndGet();
            LOG.log(System.Logger.Level.DEBUG, "mnet:mhost: " + list.size() + " host identifier(s) in force");
        }
    }

    // -------------------------------------------------------------------------------------------------------------
    // HostIdentifiers
    // -------------------------------------------------------------------------------------------------------------

    @Override
    public List<HostIdentifier> list() {
        return snapshot.list();
    }

    @Override
    public Optional<HostIdentifier> get(String name) {
        return Optional.ofNullable(snapshot.byName().get(name.toLowerCase(Locale.ROOT)));
    }

    @Override
    public Optional<HostIdentifier> byAddress(HostAddress address) {
        return Optional.ofNullable(snapshot.byAddress().get(withoutPort(address)));
    }

    private static HostAddress withoutPort(HostAddress address) {
        return address.port() == 0 ? address : new HostAddress(address.protocol(), address.address(), 0);
    }

    @Override
    public HostIdentifier put(String name, List<HostAddress> addresses) {
        MhostEntries.Entry entry = MhostEntries.entryOf(name, addresses, "shell");
        synchronized (lock) {
            edits.put(entry.name(), entry);
            keepEdits();
            publish();
        }
        return snapshot.byName().get(entry.name());
    }

    @Override
    public boolean remove(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        synchronized (lock) {
            if (!snapshot.byName().containsKey(lower)) {
                return false;
            }
            edits.put(lower, null);
            keepEdits();
            publish();
            return true;
        }
    }

    @Override
    public long changes() {
        return changes.get();
    }

    @Override
    public Set<String> availableProtocols() {
        return Set.copyOf(available);
    }

    @Override
    public List<HostChoice> flows() {
        return flows.values().stream().sorted(Comparator.comparingLong(HostChoice::atMillis)).toList();
    }

    @Override
    public Optional<HostChoice> lastChoice(String name) {
        return Optional.ofNullable(lastChoices.get(name.toLowerCase(Locale.ROOT)));
    }

    @Override
    public List<String> problems() {
        return snapshot.problems();
    }

    @Override
    public String domain() {
        return snapshot.settings().domain();
    }

    @Override
    public List<String> virtualPrefixes() {
        MhostSettings s = snapshot.settings();
        List<String> prefixes = new ArrayList<>();
        if (s.prefix4() != null) {
            prefixes.add(s.prefix4().toString());
        }
        if (s.prefix6() != null) {
            prefixes.add(s.prefix6().toString());
        }
        return prefixes;
    }

    // -------------------------------------------------------------------------------------------------------------
    // For the relay and the name service
    // -------------------------------------------------------------------------------------------------------------

    /**
     * @param destination where a flow from a namespace goes
     * @return the identifier behind it and the addresses to try, or {@code null} if it is not a virtual address
     */
    public Translation translate(InetAddress destination) {
        Snapshot s = snapshot;
        HostIdentifier id = s.byVirtual().get(destination);
        if (id == null) {
            IpAddress ip = IpAddress.of(destination);
            boolean virtual = s.settings().prefix4() != null && s.settings().prefix4().contains(ip)
                    || s.settings().prefix6() != null && s.settings().prefix6().contains(ip);
            return virtual ? new Translation(null, List.of(), List.of()) : null;
        }
        return translation(id, protocol -> available.contains(protocol) ? null : "not available");
    }

    /**
     * Translates a host identifier's name for a sender that has its own network protocols (a socket of a program in
     * the runtime, on the stack's own network layers).
     *
     * @param name an identifier's name, in any case
     * @param unavailable for a protocol's name, why it cannot be used now (such as {@code "not in this stack"}), or
     *        {@code null} if it can
     * @return the identifier and the addresses to try, or {@code null} if no identifier has that name
     */
    public Translation translate(String name, java.util.function.Function<String, String> unavailable) {
        HostIdentifier id = snapshot.byName().get(name.toLowerCase(Locale.ROOT));
        return id == null ? null : translation(id, unavailable);
    }

    private static Translation translation(HostIdentifier id, java.util.function.Function<String, String> unavailable) {
        List<HostAddress> usable = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        for (HostAddress address : id.addresses()) {
            String why = unavailable.apply(address.protocol());
            if (why == null) {
                usable.add(address);
            } else {
                skipped.add(address + " skipped (protocol " + address.protocol() + " " + why + ")");
            }
        }
        return new Translation(id, usable, skipped);
    }

    /**
     * @param dnsName a name from a DNS question, in any case, with or without the final dot
     * @return the identifier it names, bare ({@code srv}) or in the domain ({@code srv.mhost}); {@code null} if none
     */
    public HostIdentifier resolve(String dnsName) {
        Snapshot s = snapshot;
        String name = dnsName.toLowerCase(Locale.ROOT);
        if (name.endsWith(".")) {
            name = name.substring(0, name.length() - 1);
        }
        String suffix = "." + s.settings().domain();
        if (name.endsWith(suffix)) {
            return s.byName().get(name.substring(0, name.length() - suffix.length()));
        }
        return s.byName().get(name);
    }

    /**
     * @param dnsName a name from a DNS question
     * @return whether it is in the table's domain, which the name service answers for alone
     */
    public boolean inDomain(String dnsName) {
        String name = dnsName.toLowerCase(Locale.ROOT);
        if (name.endsWith(".")) {
            name = name.substring(0, name.length() - 1);
        }
        String domain = snapshot.settings().domain();
        return name.equals(domain) || name.endsWith("." + domain);
    }

    /**
     * Records what was chosen for a flow, now or anew after a failover.
     *
     * @param flow the flow (its relay), a key until {@link #ended}
     * @param choice the choice
     * @param open whether the flow goes on (else it ended with this choice: nothing could be reached)
     */
    public void chose(Object flow, HostChoice choice, boolean open) {
        lastChoices.put(choice.identifier(), choice);
        if (open) {
            flows.put(flow, choice);
        } else {
            flows.remove(flow);
        }
    }

    /** @param flow a flow given to {@link #chose} that ended */
    public void ended(Object flow) {
        flows.remove(flow);
    }
}
