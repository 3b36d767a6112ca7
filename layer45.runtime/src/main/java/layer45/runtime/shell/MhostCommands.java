package layer45.runtime.shell;

import java.net.InetAddress;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import layer45.mnet.HostAddress;
import layer45.mnet.HostChoice;
import layer45.mnet.HostIdentifier;
import layer45.mnet.HostIdentifiers;
import org.apache.felix.service.command.Descriptor;
import org.apache.felix.service.command.annotations.GogoCommand;
import org.osgi.framework.Constants;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * The host-identifier table's command, {@code l45:mhost}: lists the identifiers with their addresses in order, which
 * of them can be used now and what the last flow chose and why; adds, replaces and removes identifiers live; and
 * lists the flows to identifiers open now. There only when the stack's bundle is.
 */
@Component(service = MhostCommands.class, immediate = true, property = Constants.SERVICE_DESCRIPTION
        + "=layer45 host identifier commands: mhost")
@GogoCommand(scope = "l45", function = { "mhost" })
@Descriptor("layer45 host identifiers")
public final class MhostCommands {

    private static final String SYNOPSIS = "mhost [list | flows | add NAME ADDRESS... | set NAME ADDRESS... |"
            + " remove NAME]";

    private final HostIdentifiers table;

    /** @param table the host-identifier table */
    @Activate
    public MhostCommands(@Reference(name = "table") HostIdentifiers table) {
        this.table = table;
    }

    /**
     * @param args the subcommand and its arguments
     * @return what it shows, or what it did
     */
    @Descriptor("host identifiers: names for hosts reached at several addresses (IPv4, IPv6, plugged-in protocols),"
            + " tried in order. 'mhost' or 'mhost list' lists them with their virtual addresses, their addresses in"
            + " order (those whose protocol is not available now marked), where each is defined, and the last flow's"
            + " choice and why; 'mhost flows' lists the flows to them open now; 'mhost add NAME ADDRESS...' adds one,"
            + " 'mhost set NAME ADDRESS...' adds or replaces one, 'mhost remove NAME' removes one (until the runtime"
            + " restarts: lasting ones go in conf/mhosts). An address is 127.0.0.1, ::1, '[::1]:8080' (quoted: Gogo"
            + " reads brackets itself) or PROTOCOL:ADDRESS, such as demo:fd4d::2")
    public String mhost(@Descriptor("list | flows | add NAME ADDRESS... | set NAME ADDRESS... | remove NAME")
            String... args) {
        String command = args == null || args.length == 0 ? "list" : args[0];
        List<String> rest = args == null || args.length < 2 ? List.of() : List.of(args).subList(1, args.length);
        return switch (command) {
            case "list" -> noArguments(rest, this::list);
            case "flows" -> noArguments(rest, this::flows);
            case "add" -> put(rest, false);
            case "set" -> put(rest, true);
            case "remove" -> remove(rest);
            default -> throw new IllegalArgumentException("'" + command + "' is not an mhost command: usage: "
                    + SYNOPSIS + " ('help mhost' describes it)");
        };
    }

    private String list() {
        Set<String> available = table.availableProtocols();
        Table identifiers = new Table("Name", "Virtual addresses", "Addresses, in order", "Source", "Last choice")
                .whenEmpty("(none)");
        for (HostIdentifier id : table.list()) {
            List<String> addresses = new ArrayList<>();
            for (HostAddress address : id.addresses()) {
                addresses.add(address + (available.contains(address.protocol()) ? "" : " (unavailable)"));
            }
            identifiers.row(id.name(), virtuals(id), String.join(" ", addresses), id.source(),
                    table.lastChoice(id.name()).map(MhostCommands::choice).orElse("-"));
        }
        StringBuilder out = new StringBuilder("names NAME or NAME." + table.domain() + "; virtual addresses from "
                + or(String.join(" ", table.virtualPrefixes()), "nowhere (no prefix configured)")
                + "; protocols available: " + String.join(" ", available.stream().sorted().toList()) + "\n\n"
                + identifiers);
        List<String> problems = table.problems();
        if (!problems.isEmpty()) {
            out.append("\n\nproblems (the rest is in force):");
            problems.forEach(p -> out.append("\n  ").append(p));
        }
        return out.toString();
    }

    private String flows() {
        Table flows = new Table("Proto", "Netns", "Local", "Remote", "Identifier", "Uses", "Since", "Why")
                .whenEmpty("(no flows to host identifiers)");
        for (HostChoice c : table.flows()) {
            flows.row(c.transport(), c.namespace().isEmpty() ? "-" : c.namespace(), c.application(), c.peer(),
                    c.identifier(), c.chosen() == null ? "(none)" : c.chosen(), instant(c.atMillis()), c.reason());
        }
        return flows.toString();
    }

    private String put(List<String> rest, boolean replace) {
        String verb = replace ? "set" : "add";
        if (rest.size() < 2) {
            throw ModuleCommands.usage("mhost " + verb + " NAME ADDRESS...", "mhost " + verb + " srv ::1 127.0.0.1");
        }
        String name = HostIdentifier.checkName(rest.get(0));
        if (!replace && table.get(name).isPresent()) {
            throw new IllegalArgumentException("host identifier " + name + " exists already ("
                    + table.get(name).get().source() + "); 'mhost set' replaces it");
        }
        List<HostAddress> addresses = rest.subList(1, rest.size()).stream().map(HostAddress::parse).toList();
        HostIdentifier id = table.put(name, addresses);
        return id.name() + " " + virtuals(id) + ": " + String.join(" ", id.addresses().stream()
                .map(HostAddress::toString).toList());
    }

    private String remove(List<String> rest) {
        if (rest.size() != 1) {
            throw ModuleCommands.usage("mhost remove NAME", "mhost remove srv");
        }
        if (!table.remove(rest.get(0))) {
            throw new IllegalArgumentException("no host identifier '" + rest.get(0) + "'; 'mhost list' lists them");
        }
        return rest.get(0).toLowerCase(java.util.Locale.ROOT) + " removed";
    }

    private static String noArguments(List<String> rest, java.util.function.Supplier<String> command) {
        if (!rest.isEmpty()) {
            throw new IllegalArgumentException("'" + rest.get(0) + "' is more than the command takes: usage: "
                    + SYNOPSIS + " ('help mhost' describes it)");
        }
        return command.get();
    }

    /** @return the choice in one cell: the address used (or none) and why */
    private static String choice(HostChoice c) {
        return (c.chosen() == null ? "none" : c.chosen().toString()) + " (" + c.transport() + ", "
                + instant(c.atMillis()) + "): " + c.reason();
    }

    private static String virtuals(HostIdentifier id) {
        List<String> virtual = new ArrayList<>();
        for (InetAddress address : new InetAddress[] {id.virtual4(), id.virtual6()}) {
            if (address != null) {
                virtual.add(HostAddress.of(address).toString());
            }
        }
        return or(String.join(" ", virtual), "-");
    }

    private static String instant(long epochMillis) {
        return Instant.ofEpochMilli(epochMillis).truncatedTo(ChronoUnit.SECONDS).toString();
    }

    private static String or(String text, String fallback) {
        return text.isEmpty() ? fallback : text;
    }
}
