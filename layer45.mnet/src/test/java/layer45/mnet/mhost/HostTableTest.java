package layer45.mnet.mhost;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import layer45.mnet.HostAddress;
import layer45.mnet.HostChoice;
import layer45.mnet.HostIdentifier;
import org.junit.jupiter.api.Test;

/** The table: its three layers, virtual addresses, name and address lookups, and choices. */
class HostTableTest {

    private final HostTable table = new HostTable(MhostSettings.defaults(Path.of("/tmp")));

    @Test
    void theShellOverridesTheConfigurationWhichOverridesTheFile() {
        table.fileRead(MhostEntries.parseFile("srv 127.0.0.1\nweb ::1\ndb ::1", "conf/mhosts"));
        table.configRead(MhostEntries.parseConfig(Map.of("host.web", "192.0.2.1")));
        long before = table.changes();
        table.put("db", List.of(HostAddress.parse("[::1]:5432")));
        assertEquals(before + 1, table.changes());
        assertEquals(List.of("db [::1]:5432 shell", "srv 127.0.0.1 conf/mhosts:1", "web 192.0.2.1 config"),
                table.list().stream().map(HostTableTest::line).toList());
        assertTrue(table.remove("SRV"));
        assertFalse(table.remove("srv"), "gone already");
        table.fileRead(MhostEntries.parseFile("srv 127.0.0.2\nweb ::1\ndb ::1", "conf/mhosts"));
        assertEquals(List.of("db", "web"), table.list().stream().map(HostIdentifier::name).toList(),
                "a removed identifier stays removed when the file changes");
        table.put("srv", List.of(HostAddress.parse("::1")));
        assertEquals("srv ::1 shell", line(table.get("srv").orElseThrow()));
    }

    @Test
    void aChangeCountsOnlyWhenTheIdentifiersInForceChange() {
        long before = table.changes();
        table.fileRead(MhostEntries.parseFile("srv 127.0.0.1", "f"));
        table.fileRead(MhostEntries.parseFile("srv 127.0.0.1", "f"));
        table.configRead(MhostEntries.parseConfig(Map.of()));
        assertEquals(before + 1, table.changes());
    }

    @Test
    void virtualAddressesAreStableWhileTheIdentifierExistsAndLeadBackToIt() {
        table.fileRead(MhostEntries.parseFile("srv 127.0.0.1", "f"));
        HostIdentifier srv = table.get("srv").orElseThrow();
        assertTrue(srv.virtual4().getHostAddress().startsWith("10.46."), srv.toString());
        assertTrue(srv.virtual6().getHostAddress().startsWith("fd46:"), srv.toString());
        table.put("other", List.of(HostAddress.parse("::1")));
        table.fileRead(MhostEntries.parseFile("srv ::1 127.0.0.1", "f"));
        assertEquals(srv.virtual4(), table.get("srv").orElseThrow().virtual4());
        assertEquals(srv.virtual6(), table.get("srv").orElseThrow().virtual6());
        Translation t = table.translate(srv.virtual6());
        assertEquals("srv", t.identifier().name());
        assertEquals(List.of(HostAddress.parse("::1"), HostAddress.parse("127.0.0.1")), t.usable());
        assertNull(table.translate(InetAddress.ofLiteral("10.45.0.1")), "not a virtual address");
        Translation free = table.translate(InetAddress.ofLiteral("10.46.255.254"));
        assertNull(free.identifier(), "in the prefix, but nobody's");
    }

    @Test
    void addressesOfProtocolsThatAreNotAvailableAreSkippedWithTheReason() {
        table.put("mesh", List.of(HostAddress.parse("demo:fd4d::2"), HostAddress.parse("::1")));
        Translation t = table.translate(table.get("mesh").orElseThrow().virtual4());
        assertEquals(List.of(HostAddress.parse("::1")), t.usable());
        assertEquals(List.of("demo:fd4d::2 skipped (protocol demo not available)"), t.skipped());
        table.protocolAvailable("demo", true);
        assertEquals(Set.of("ipv4", "ipv6", "demo"), table.availableProtocols());
        assertEquals(2, table.translate(table.get("mesh").orElseThrow().virtual4()).usable().size());
        table.protocolAvailable("ipv4", false);
        assertTrue(table.availableProtocols().contains("ipv4"), "IPv4 is always available");
    }

    @Test
    void aPluggedProtocolIsAvailableWhileAtLeastOneStackCarriesIt() {
        Object tunStack = new Object();
        Object peerLink = new Object();
        Object otherPeerLink = new Object();

        table.protocolCarried("demo", peerLink, true);
        table.protocolCarried("demo", otherPeerLink, true);
        table.protocolCarried("demo", tunStack, false);
        assertTrue(table.availableProtocols().contains("demo"));
        table.protocolCarried("demo", peerLink, false);
        assertTrue(table.availableProtocols().contains("demo"), "the other peer link still carries it");
        table.protocolCarried("demo", otherPeerLink, false);

        assertEquals(Set.of("ipv4", "ipv6"), table.availableProtocols());
        table.protocolCarried("ipv6", peerLink, false);
        assertTrue(table.availableProtocols().contains("ipv6"), "IPv6 is always available");
    }

    @Test
    void namesResolveBareOrInTheDomainInAnyCase() {
        table.put("srv", List.of(HostAddress.parse("::1")));
        table.put("db.lab", List.of(HostAddress.parse("::1")));
        assertEquals("srv", table.resolve("srv").name());
        assertEquals("srv", table.resolve("SRV.mhost.").name());
        assertEquals("db.lab", table.resolve("db.lab.mhost").name());
        assertNull(table.resolve("other.mhost"));
        assertNull(table.resolve("example.org"));
        assertTrue(table.inDomain("other.MHOST."));
        assertTrue(table.inDomain("mhost"));
        assertFalse(table.inDomain("notmhost"));
    }

    @Test
    void newPrefixesGiveEveryIdentifierNewAddresses() {
        table.put("srv", List.of(HostAddress.parse("::1")));
        List<String> problems = new ArrayList<>();
        table.settings(MhostSettings.from(Map.of("prefix4", "10.99.0.0/24", "prefix6", ""), Path.of("/tmp"),
                problems), problems);
        HostIdentifier srv = table.get("srv").orElseThrow();
        assertTrue(srv.virtual4().getHostAddress().startsWith("10.99.0."), srv.toString());
        assertNull(srv.virtual6());
        assertEquals(List.of("10.99.0.0/24"), table.virtualPrefixes());
    }

    @Test
    void problemsOfEverySourceAreListedAndAFullPrefixIsOne() {
        List<String> problems = new ArrayList<>(List.of("layer45.mhost: a settings problem"));
        table.settings(MhostSettings.from(Map.of("prefix4", "10.46.0.0/30", "prefix6", ""), Path.of("/tmp"),
                new ArrayList<>()), problems);
        table.fileRead(MhostEntries.parseFile("a ::1\nb ::1\nc ::1\nbad", "f"));
        assertEquals(List.of("layer45.mhost: a settings problem",
                "f:4: bad has no address: write NAME ADDRESS..., such as bad ::1 127.0.0.1; the line is ignored",
                "c has no virtual address: the prefixes have room for 2 identifiers; configure larger ones"
                        + " (mhost.prefix4, mhost.prefix6)"), table.problems());
        assertNull(table.get("c").orElseThrow().virtual4());
    }

    @Test
    void choicesAreKeptPerOpenFlowAndTheLatestPerIdentifier() {
        table.put("srv", List.of(HostAddress.parse("::1")));
        Object flow = new Object();
        HostChoice first = new HostChoice("srv", "tcp", "", "10.45.0.2:4000", "10.46.0.9:80",
                HostAddress.parse("::1"), "[::1]:80 connected", 1);
        table.chose(flow, first, true);
        assertEquals(List.of(first), table.flows());
        assertEquals(first, table.lastChoice("SRV").orElseThrow());
        table.ended(flow);
        assertEquals(List.of(), table.flows());
        assertEquals(first, table.lastChoice("srv").orElseThrow(), "kept after the flow ended");
        table.remove("srv");
        assertTrue(table.lastChoice("srv").isEmpty(), "forgotten with the identifier");
    }

    @Test
    void putRefusesABadNameOrNoAddress() {
        assertThrows(IllegalArgumentException.class, () -> table.put("bad name", List.of(HostAddress.parse("::1"))));
        assertThrows(IllegalArgumentException.class, () -> table.put("srv", List.of()));
        assertNotEquals(null, table.put("srv", List.of(HostAddress.parse("::1"))).virtual4());
    }

    @Test
    void aPeersAddressFindsTheFirstIdentifierByNameThatListsItWhateverThePort() {
        table.put("web", List.of(HostAddress.parse("[fd00::2]:8080"), HostAddress.parse("demo:fd4d::2")));
        table.put("api", List.of(HostAddress.parse("fd00::2")));

        assertEquals("api", table.byAddress(HostAddress.parse("[fd00::2]:40000")).orElseThrow().name());
        assertEquals("web", table.byAddress(HostAddress.parse("demo:[fd4d::2]:7")).orElseThrow().name());
        assertTrue(table.byAddress(HostAddress.parse("ipv6:fd4d::2")).isEmpty(), "the protocol is part of it");
        for (String address : List.of("[fd00::2]:1", "demo:fd4d::2", "ipv6:fd4d::2")) {
            assertEquals(table.byAddress(HostAddress.parse(address)),
                    new ListedIdentifiers(table).byAddress(HostAddress.parse(address)),
                    "the interface's own lookup agrees on " + address);
        }
    }

    /** Only the list, for the interface's default lookup. */
    private record ListedIdentifiers(HostTable table) implements layer45.mnet.HostIdentifiers {
        @Override public List<HostIdentifier> list() { return table.list(); }
        @Override public java.util.Optional<HostIdentifier> get(String name) { return table.get(name); }
        @Override public HostIdentifier put(String name, List<HostAddress> addresses) { throw new AssertionError(); }
        @Override public boolean remove(String name) { throw new AssertionError(); }
        @Override public long changes() { return 0; }
        @Override public Set<String> availableProtocols() { return Set.of(); }
        @Override public List<HostChoice> flows() { return List.of(); }
        @Override public java.util.Optional<HostChoice> lastChoice(String name) { return java.util.Optional.empty(); }
        @Override public List<String> problems() { return List.of(); }
        @Override public String domain() { return "mhost"; }
        @Override public List<String> virtualPrefixes() { return List.of(); }
    }

    @Test
    void aNameTranslatesForASenderWithItsOwnProtocols() {
        table.put("srv", List.of(HostAddress.parse("toy:fd4d::2"), HostAddress.parse("10.0.0.2"),
                HostAddress.parse("fd00::2")));

        Translation t = table.translate("SRV", p -> p.equals("toy") ? "not in this stack" : null);

        assertEquals("srv", t.identifier().name());
        assertEquals(List.of(HostAddress.parse("10.0.0.2"), HostAddress.parse("fd00::2")), t.usable());
        assertEquals(List.of("toy:fd4d::2 skipped (protocol toy not in this stack)"), t.skipped());
        assertEquals(null, table.translate("nosuch", p -> null));
    }

    private static String line(HostIdentifier id) {
        return id.name() + " " + String.join(" ", id.addresses().stream().map(HostAddress::toString).toList()) + " "
                + id.source();
    }
}
