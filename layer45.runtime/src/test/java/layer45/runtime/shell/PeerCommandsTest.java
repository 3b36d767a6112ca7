package layer45.runtime.shell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import layer45.mnet.HostAddress;
import layer45.mnet.NetStackStatus;
import layer45.mnet.PeerLinkStatus;
import layer45.mnet.PeerLinks;
import org.junit.jupiter.api.Test;

/** {@code l45:peer} with links in memory, checked on what an operator reads. */
class PeerCommandsTest {

    /** Peer links in memory: an echo comes back from demo addresses only. */
    private static final class FakePeerLinks implements PeerLinks {
        final List<PeerLinkStatus> links = new ArrayList<>();

        @Override
        public List<PeerLinkStatus> list() {
            return links;
        }

        @Override
        public PeerLinkStatus add(String name, String spec) {
            PeerLinkStatus link = new PeerLinkStatus(name, spec, "shell", "127.0.0.1:6081", "127.0.0.1:6082",
                    List.of("10.77.0.1/24", "demo:fd4d::1"), new NetStackStatus(true, "", "peer " + name, "", 1400,
                            List.of("10.77.0.1/24"), List.of("127.0.0.1:6082"), List.of("ipv4", "ipv6", "demo")));
            links.add(link);
            return link;
        }

        @Override
        public boolean remove(String name) {
            return links.removeIf(l -> l.name().equals(name));
        }

        @Override
        public Optional<Duration> echo(String name, HostAddress destination, Duration timeout) {
            return destination.protocol().equals("demo") ? Optional.of(Duration.ofNanos(420_000)) : Optional.empty();
        }
    }

    private final FakePeerLinks links = new FakePeerLinks();
    private final PeerCommands commands = new PeerCommands(links, null);

    @Test
    void addListAndRemoveALink() {
        assertEquals("b up: 127.0.0.1:6081 -> 127.0.0.1:6082, 10.77.0.1/24 demo:fd4d::1, protocols ipv4 ipv6 demo",
                commands.peer("add", "b", "local=127.0.0.1:6081", "remote=127.0.0.1:6082",
                        "addresses=10.77.0.1/24,demo:fd4d::1"));
        assertEquals("local=127.0.0.1:6081 remote=127.0.0.1:6082 addresses=10.77.0.1/24,demo:fd4d::1",
                links.links.getFirst().spec(), "the words of the specification, joined");
        assertEquals(String.join("\n",
                "Name  State  Local           Remote          Netns   MTU  Addresses                  "
                        + "Protocols       Source",
                "b     up     127.0.0.1:6081  127.0.0.1:6082  -      1400  10.77.0.1/24 demo:fd4d::1  "
                        + "ipv4 ipv6 demo  shell"),
                commands.peer());
        assertEquals("b removed", commands.peer("remove", "b"));
        assertTrue(commands.peer("list").contains("(no peer links"));
        assertEquals("no peer link 'b'; 'peer list' lists them",
                assertThrows(IllegalArgumentException.class, () -> commands.peer("remove", "b")).getMessage());
    }

    @Test
    void pingSaysWhatCameBack() {
        assertEquals("""
                echo from demo:fd4d::2: time=0.420 ms
                echo from demo:fd4d::2: time=0.420 ms
                2 sent, 2 echoed over peer link b""", commands.peer("ping", "b", "demo:fd4d::2", "2"));
        assertEquals("""
                no echo from 10.77.0.2 within 1000 ms
                1 sent, 0 echoed over peer link b""", commands.peer("ping", "b", "10.77.0.2"));
        assertThrows(IllegalArgumentException.class, () -> commands.peer("ping", "b", "demo:fd4d::2", "1000"));
    }

    @Test
    void anUnknownSubcommandShowsTheUsage() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> commands.peer("up"));
        assertTrue(e.getMessage().contains("usage: peer [list"), e.getMessage());
    }
}
