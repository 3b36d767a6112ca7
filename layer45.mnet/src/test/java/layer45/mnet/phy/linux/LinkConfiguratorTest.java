package layer45.mnet.phy.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

class LinkConfiguratorTest {

    private final List<List<String>> commands = new ArrayList<>();
    private final List<Duration> timeouts = new ArrayList<>();
    private final LinkConfigurator links = new LinkConfigurator((command, timeout) -> {
        commands.add(command);
        timeouts.add(timeout);
        return new CommandResult(command, 0, "", "");
    }, "/usr/sbin/ip");

    @Test
    void movesALinkFromTheCurrentNamespace() {
        links.moveToNamespace("l45t3", "l45t-1-0");
        assertEquals(List.of(List.of("/usr/sbin/ip", "link", "set", "dev", "l45t3", "netns", "l45t-1-0")), commands);
    }

    @Test
    void renamesSetsMtuAndQueueLengthInsideANamespace() {
        links.rename("ns", "l45t3", "mnet0");
        links.setMtu("ns", "mnet0", 65520);
        links.setTxQueueLength("ns", "mnet0", 777);
        assertEquals(List.of(
                List.of("/usr/sbin/ip", "-n", "ns", "link", "set", "dev", "l45t3", "name", "mnet0"),
                List.of("/usr/sbin/ip", "-n", "ns", "link", "set", "dev", "mnet0", "mtu", "65520"),
                List.of("/usr/sbin/ip", "-n", "ns", "link", "set", "dev", "mnet0", "txqueuelen", "777")),
                commands);
    }

    @Test
    void addsIpv4AndIpv6AddressesAndSkipsDuplicateDetectionForIpv6() {
        links.addAddress("ns", "mnet0", "10.77.0.1/24");
        links.addAddress(null, "mnet0", "fd77::1/64");
        assertEquals(List.of(
                List.of("/usr/sbin/ip", "-n", "ns", "-4", "addr", "add", "10.77.0.1/24", "dev", "mnet0"),
                List.of("/usr/sbin/ip", "-6", "addr", "add", "fd77::1/64", "dev", "mnet0", "nodad")), commands);
    }

    @Test
    void bringsLoopbackUpWithALinkInAnotherNamespace() {
        links.up("ns", "mnet0");
        links.up(null, "mnet0");
        assertEquals(List.of(
                List.of("/usr/sbin/ip", "-n", "ns", "link", "set", "dev", "lo", "up"),
                List.of("/usr/sbin/ip", "-n", "ns", "link", "set", "dev", "mnet0", "up"),
                List.of("/usr/sbin/ip", "link", "set", "dev", "mnet0", "up")), commands);
    }

    @Test
    void routesEachFamilyWithItsFlag() {
        links.addRoute("ns", "default", "mnet0");
        links.addRoute("ns", "::/0", "mnet0");
        links.addRoute("ns", "10.78.0.0/16", "mnet0");
        links.addRoute("ns", "fd78::/64", "mnet0");
        links.addRoute("ns", "10.79.0.9", "mnet0");
        assertEquals(List.of(
                List.of("/usr/sbin/ip", "-n", "ns", "-4", "route", "add", "default", "dev", "mnet0"),
                List.of("/usr/sbin/ip", "-n", "ns", "-6", "route", "add", "::/0", "dev", "mnet0"),
                List.of("/usr/sbin/ip", "-n", "ns", "-4", "route", "add", "10.78.0.0/16", "dev", "mnet0"),
                List.of("/usr/sbin/ip", "-n", "ns", "-6", "route", "add", "fd78::/64", "dev", "mnet0"),
                List.of("/usr/sbin/ip", "-n", "ns", "-4", "route", "add", "10.79.0.9", "dev", "mnet0")), commands);
    }

    @Test
    void boundsEveryCommandInTime() {
        links.up("ns", "mnet0");
        assertEquals(List.of(Duration.ofSeconds(10), Duration.ofSeconds(10)), timeouts);
    }

    @Test
    void quotesTheFailedCommandItsExitCodeAndItsErrors() {
        LinkConfigurator failing = new LinkConfigurator(
                (command, timeout) -> new CommandResult(command, 2, "", "Error: ipv4: Address already assigned.\n"),
                "/usr/sbin/ip");
        CommandFailedException failure = assertThrows(CommandFailedException.class,
                () -> failing.addAddress("ns", "mnet0", "10.77.0.1/24"));
        assertEquals("`/usr/sbin/ip -n ns -4 addr add 10.77.0.1/24 dev mnet0` failed with exit code 2: "
                + "Error: ipv4: Address already assigned.", failure.getMessage());
    }

    @Test
    void refusesMalformedArgumentsBeforeRunningAnything() {
        assertThrows(IllegalArgumentException.class, () -> links.addAddress("ns", "mnet0", "10.77.0.1"));
        assertThrows(IllegalArgumentException.class, () -> links.addAddress("ns", "mnet0", "10.77.0.1/33"));
        assertThrows(IllegalArgumentException.class, () -> links.addAddress("ns", "mnet0", "fd77::1/129"));
        assertThrows(IllegalArgumentException.class, () -> links.addAddress("ns", "mnet0", "example.com/24"));
        assertThrows(IllegalArgumentException.class, () -> links.addRoute("ns", "-6", "mnet0"));
        assertThrows(IllegalArgumentException.class, () -> links.up("-n", "mnet0"));
        assertThrows(IllegalArgumentException.class, () -> links.up("ns/../x", "mnet0"));
        assertThrows(IllegalArgumentException.class, () -> links.up("ns", "name-too-long-16"));
        assertThrows(IllegalArgumentException.class, () -> links.rename("ns", "l45t0", "l45t%d"));
        assertThrows(IllegalArgumentException.class, () -> links.setMtu("ns", "mnet0", 67));
        assertThrows(IllegalArgumentException.class, () -> links.setTxQueueLength("ns", "mnet0", 0));
        assertTrue(commands.isEmpty(), commands::toString);
    }
}
