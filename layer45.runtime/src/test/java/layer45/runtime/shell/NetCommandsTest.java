package layer45.runtime.shell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import layer45.mnet.NetStackStatus;
import layer45.runtime.testing.Poll;
import layer45.runtime.testing.RecordingNetStack;

import org.apache.felix.service.command.CommandSession;
import org.junit.jupiter.api.Test;

/** The namespace commands (attach, detach, netns) with a fake stack, checked on what an operator reads. */
class NetCommandsTest {

    private static final long WAIT_SECONDS = 10;

    private final RecordingNetStack stack = new RecordingNetStack();
    private final NetCommands commands = new NetCommands(stack);
    private final ByteArrayOutputStream console = new ByteArrayOutputStream();

    private CommandSession session(PipedInputStream keyboard) {
        return Fakes.session(keyboard, new PrintStream(console, true, StandardCharsets.UTF_8));
    }

    private String printed() {
        return console.toString(StandardCharsets.UTF_8);
    }

    @Test
    void attachAsksTheStackAndShowsTheLinkInOneLine() {
        String line = commands.attach(session(new PipedInputStream()), "--create", "--forward", "tcp:8080:80",
                "--forward", "udp:[::1]:5353:53", "lab");
        assertEquals("lab attached: link l45tun1, MTU 1500, namespace 10.45.1.2, stack 10.45.1.1/24", line);
        assertEquals(List.of("attach NamespaceRequest[name=lab, create=true, forwards=[tcp:8080:80, udp:[::1]:5353:53]]"),
                stack.calls);
    }

    @Test
    void withHoldTheLinkIsShownAtOnceAndDetachedWhenTheInputEnds() throws Exception {
        PipedInputStream keyboard = new PipedInputStream();
        PipedOutputStream client = new PipedOutputStream(keyboard);
        CompletableFuture<String> held = CompletableFuture.supplyAsync(
                () -> commands.attach(session(keyboard), "--hold", "lab"));
        Poll.until("the attach line", () -> printed().contains("\n"));
        assertEquals("lab attached: link l45tun1, MTU 1500, namespace 10.45.1.2, stack 10.45.1.1/24\n", printed());
        client.write("anything the client sends keeps it\n".getBytes(StandardCharsets.UTF_8));
        client.flush();
        assertEquals(List.of("lab"), stack.links().stream().map(NetStackStatus::namespace).toList(),
                "still attached");
        client.close(); // the client disconnects: end of input
        assertEquals("lab detached", held.get(WAIT_SECONDS, TimeUnit.SECONDS));
        assertEquals(List.of("attach NamespaceRequest[name=lab, create=false, forwards=[]]", "detach lab"),
                stack.calls);
    }

    @Test
    void withHoldAClosedSessionDetachesToo() throws Exception {
        PipedInputStream keyboard = new PipedInputStream(new PipedOutputStream());
        Thread holder = Thread.ofPlatform().start(() -> commands.attach(session(keyboard), "--hold", "lab"));
        Poll.until("the attach line", () -> printed().contains("\n"));
        commands.deactivate(); // as closing the session does, interrupts the command's thread
        holder.join(TimeUnit.SECONDS.toMillis(WAIT_SECONDS));
        assertEquals(List.of("attach NamespaceRequest[name=lab, create=false, forwards=[]]", "detach lab"),
                stack.calls);
        assertEquals(List.of(), stack.links());
    }

    @Test
    void aRefusedAttachThrowsTheStacksReasonAndHoldsNothing() throws IOException {
        commands.attach(session(new PipedInputStream()), "lab");
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> commands.attach(session(new PipedInputStream()), "--hold", "lab"));
        assertEquals("namespace lab is attached already", e.getMessage());
        assertEquals("", printed());
    }

    @Test
    void attachTypedWronglySaysHowToUseIt() {
        PipedInputStream none = new PipedInputStream();
        assertEquals("usage: attach [--create] [--forward SPEC]... [--hold] NAME, such as: attach --create lab"
                + " ('help attach' describes it)",
                assertThrows(IllegalArgumentException.class, () -> commands.attach(session(none))).getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> commands.attach(session(none), "lab", "--forward"))
                .getMessage().startsWith("usage: attach"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> commands.attach(session(none), "--keep", "lab"))
                .getMessage().startsWith("'--keep' is not an option of attach"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> commands.attach(session(none), "a", "b"))
                .getMessage().startsWith("'b' is not an option of attach or a second name"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> commands.attach(session(none), "bad/name"))
                .getMessage().startsWith("namespace name 'bad/name' is not usable"));
        assertEquals(List.of(), stack.calls);
    }

    @Test
    void detachUnwiresAndSaysWhenThereWasNothingToUnwire() {
        commands.attach(session(new PipedInputStream()), "lab");
        assertEquals("lab detached", commands.detach("lab"));
        assertEquals("no namespace 'lab' is attached to the stack; l45:netns lists those that are",
                assertThrows(IllegalArgumentException.class, () -> commands.detach("lab")).getMessage());
    }

    @Test
    void netnsListsEveryLinkOrSaysWhyThereAreNone() {
        assertEquals("""
                Namespace  Link  MTU  Namespace addresses  Stack addresses
                (none)""", commands.netns());
        stack.add(stack.status);
        commands.attach(session(new PipedInputStream()), "--create", "l45-4242");
        assertEquals("""
                Namespace  Link       MTU  Namespace addresses  Stack addresses
                layer45    l45tun0  65520  10.45.0.2 fd45::2    10.45.0.1/24 fd45::1/64
                l45-4242   l45tun2   1500  10.45.1.2            10.45.1.1/24""", commands.netns());
        stack.status = NetStackStatus.off("cannot create a TUN device: run as root");
        assertEquals("network stack off: cannot create a TUN device: run as root", commands.netns());
    }

    @Test
    void everyCommandAndParameterIsDescribedForHelp() {
        // the functions of @GogoCommand, which is not kept at run time
        assertEquals(new TreeSet<>(Set.of("ifconfig", "netstat", "attach", "detach", "netns")),
                Help.describedCommands(NetCommands.class));
    }
}
