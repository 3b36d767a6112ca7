package layer45.runtime.shell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;
import java.util.TreeSet;
import layer45.mnet.HostAddress;
import layer45.mnet.HostChoice;
import layer45.runtime.testing.FakeHostIdentifiers;
import org.junit.jupiter.api.Test;

/** {@code l45:mhost} with a table in memory, checked on what an operator reads. */
class MhostCommandsTest {

    /** 2026-01-02T03:04:05Z. */
    private static final long AT = 1_767_323_045_000L;

    private final FakeHostIdentifiers table = new FakeHostIdentifiers();
    private final MhostCommands commands = new MhostCommands(table);

    @Test
    void listShowsAddressesInOrderTheirAvailabilityTheSourceAndTheLastChoice() {
        table.define("srv", "conf/mhosts:3", "[::1]:8080", "127.0.0.1:8080");
        table.define("mesh", "config", "demo:fd4d::2", "::1");
        table.choices.put("srv", new HostChoice("srv", "tcp", "layer45", "10.45.0.2:41000", "10.46.0.1:8080",
                HostAddress.parse("127.0.0.1:8080"), "[::1]:8080 no answer within 1000 ms; 127.0.0.1:8080 connected",
                AT));
        table.problems.add("conf/mhosts:7: 'bad_name' is not a host identifier's name; the line is ignored");
        assertEquals("""
                names NAME or NAME.mhost; virtual addresses from 10.46.0.0/16 fd46::/64; protocols available: ipv4 ipv6

                Name  Virtual addresses  Addresses, in order             Source         Last choice
                mesh  10.46.0.2 fd46::2  demo:fd4d::2 (unavailable) ::1  config         -
                srv   10.46.0.1 fd46::1  [::1]:8080 127.0.0.1:8080       conf/mhosts:3  127.0.0.1:8080 (tcp,\
                 2026-01-02T03:04:05Z): [::1]:8080 no answer within 1000 ms; 127.0.0.1:8080 connected

                problems (the rest is in force):
                  conf/mhosts:7: 'bad_name' is not a host identifier's name; the line is ignored""",
                commands.mhost("list"));
        assertEquals(commands.mhost("list"), commands.mhost(), "list is the default");
    }

    @Test
    void anEmptyTableSaysSo() {
        assertEquals("""
                names NAME or NAME.mhost; virtual addresses from 10.46.0.0/16 fd46::/64; protocols available: ipv4 ipv6

                Name  Virtual addresses  Addresses, in order  Source  Last choice
                (none)""", commands.mhost());
    }

    @Test
    void addSetAndRemoveChangeTheTableLive() {
        assertEquals("srv 10.46.0.1 fd46::1: ::1 127.0.0.1", commands.mhost("add", "SRV", "::1", "127.0.0.1"));
        assertEquals("host identifier srv exists already (shell); 'mhost set' replaces it",
                assertThrows(IllegalArgumentException.class, () -> commands.mhost("add", "srv", "::1")).getMessage());
        assertEquals("srv 10.46.0.1 fd46::1: [::1]:53", commands.mhost("set", "srv", "[::1]:53"));
        assertEquals("srv removed", commands.mhost("remove", "SRV"));
        assertEquals("no host identifier 'srv'; 'mhost list' lists them",
                assertThrows(IllegalArgumentException.class, () -> commands.mhost("remove", "srv")).getMessage());
    }

    @Test
    void flowsListsWhatEachOpenFlowUsesAndWhy() {
        table.flows.add(new HostChoice("srv", "udp", "", "10.45.0.2:5353", "[fd46::1]:53", null,
                "[::1]:53 port unreachable (ICMP); no address left", AT));
        assertEquals("""
                Proto  Netns  Local           Remote        Identifier  Uses    Since                 Why
                udp    -      10.45.0.2:5353  [fd46::1]:53  srv         (none)  2026-01-02T03:04:05Z  [::1]:53 port\
                 unreachable (ICMP); no address left""", commands.mhost("flows"));
        table.flows.clear();
        assertEquals("""
                Proto  Netns  Local  Remote  Identifier  Uses  Since  Why
                (no flows to host identifiers)""", commands.mhost("flows"));
    }

    @Test
    void typedWronglyItSaysHowToUseIt() {
        assertEquals("usage: mhost add NAME ADDRESS..., such as: mhost add srv ::1 127.0.0.1 ('help mhost' describes"
                + " it)", assertThrows(IllegalArgumentException.class, () -> commands.mhost("add", "srv")).getMessage());
        assertEquals("usage: mhost remove NAME, such as: mhost remove srv ('help mhost' describes it)",
                assertThrows(IllegalArgumentException.class, () -> commands.mhost("remove")).getMessage());
        assertEquals("'lst' is not an mhost command: usage: mhost [list | flows | add NAME ADDRESS... | set NAME"
                + " ADDRESS... | remove NAME] ('help mhost' describes it)",
                assertThrows(IllegalArgumentException.class, () -> commands.mhost("lst")).getMessage());
        assertEquals("'x' is more than the command takes: usage: mhost [list | flows | add NAME ADDRESS... | set NAME"
                + " ADDRESS... | remove NAME] ('help mhost' describes it)",
                assertThrows(IllegalArgumentException.class, () -> commands.mhost("list", "x")).getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> commands.mhost("set", "srv", "300.1.2.3"))
                .getMessage().startsWith("'300.1.2.3' is not an address: "));
        assertEquals(0, table.list().size(), "nothing was changed");
    }

    @Test
    void everyCommandAndParameterIsDescribedForHelp() {
        assertEquals(new TreeSet<>(Set.of("mhost")), Help.describedCommands(MhostCommands.class));
    }
}
