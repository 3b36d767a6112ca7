package layer45.itest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Runs {@code docs/guide.md} as a reader would, so the guide cannot rot: every {@code console} block is marked with
 * how it is tested ({@code <!-- guide-test: MODE -->}), its {@code $ } (shell) and {@code g! } (runtime shell)
 * commands are run, and what they print is compared with the lines shown after them.
 *
 * <ul>
 * <li>{@code host}: each command runs in bash, in the reader's home ({@link ModuleWorkspace}: {@code ~} is a fresh
 *     folder, Maven builds offline against this checkout's jars), starting in the checkout; {@code cd} moves;
 *     {@code sudo} is dropped (the test runs as root); {@code ./layer45 exec} runs the client against this test's
 *     runtime, with a namespace named for the test.</li>
 * <li>{@code background PROTOCOL PORT}: the commands run as above, the last one in the background until the test
 *     ends, once it listens on the port.</li>
 * <li>{@code runtime}: the test starts the runtime, as {@code ./layer45 start} does, with {@code ~/autoload}.</li>
 * <li>{@code shell}: each {@code g! } command is typed into the runtime's shell, again until it prints what is shown
 *     (a jar dropped into the autoload folder loads within about a second).</li>
 * <li>{@code skip (why)}: not run.</li>
 * </ul>
 *
 * Everything the reader's machine would share runs in a network namespace of the test's own instead (the runtime,
 * the web server, the commands), so the guide's fixed port 8000 is free whatever else runs on the host. Expected
 * output: {@code ...} is any number of lines, {@code <...>} any text within a line, runs of spaces compare equal;
 * standard error is not compared.
 */
class GuideIT {

    private static final Path TRANSCRIPT = Path.of("target", "guide-transcript.txt");
    private static final Pattern MARKER = Pattern.compile("<!-- guide-test: (\\w+)(?: (.*?))? -->");
    private static final Pattern EXEC = Pattern.compile("^\\./layer45 exec -- (.*)$");
    private static final long COMMAND_SECONDS = 600;
    private static final long RETRY_SECONDS = 30;

    /** A console block and how it is tested. */
    record Block(int line, String mode, String arguments, List<String> lines) {
    }

    /** A command and the output shown after it. */
    record Command(String line, List<String> expected) {
    }

    private ModuleWorkspace reader;
    private String namespace;
    private Path cwd;
    private RuntimeConsole runtime;
    private final List<BackgroundProgram> background = new ArrayList<>();
    private int execs;

    @Test
    void everyCommandOfTheGuidePrintsWhatTheGuideShows() throws Exception {
        Assumptions.assumeTrue(TestNetns.privileged(), "needs root and /dev/net/tun for the runtime's namespaces");
        for (String tool : List.of("curl", "python3", "ip", "ss", "timeout", "nsenter")) {
            Assumptions.assumeTrue(Programs.tool(tool) != null, "needs " + tool + ": scripts/deps.sh installs it");
        }
        Files.deleteIfExists(TRANSCRIPT);
        List<Block> blocks = blocks(Files.readAllLines(Path.of(System.getProperty("layer45.it.checkout"),
                "docs", "guide.md")));
        assertTrue(blocks.stream().filter(b -> !b.mode().equals("skip")).count() >= 8, "the guide's blocks are run");
        namespace = TestNetns.name("guidehost");
        try (ModuleWorkspace workspace = ModuleWorkspace.create()) {
            reader = workspace;
            cwd = workspace.checkout();
            Programs.onHost(10, "ip", "netns", "add", namespace);
            Programs.onHost(10, "ip", "-n", namespace, "link", "set", "lo", "up");
            for (Block block : blocks) {
                run(block);
            }
            if (runtime != null) {
                runtime.stopCleanly();
            }
        } finally {
            for (BackgroundProgram program : background) {
                program.close();
            }
            if (runtime != null) {
                runtime.close();
            }
            TestNetns.deleteIfLeft(namespace);
        }
    }

    private void run(Block block) throws Exception {
        switch (block.mode()) {
            case "skip" -> {
                // documented in the guide: not run by this test
            }
            case "host" -> {
                for (Command command : commands(block, "$ ")) {
                    compare(block, command, onHost(block, command.line()));
                }
            }
            case "background" -> {
                List<Command> commands = commands(block, "$ ");
                for (Command command : commands.subList(0, commands.size() - 1)) {
                    compare(block, command, onHost(block, command.line()));
                }
                String last = commands.getLast().line();
                BackgroundProgram server = BackgroundProgram.start("guide line " + block.line(), 3600,
                        reader.shell(namespace, cwd, last).toArray(String[]::new));
                background.add(server);
                String[] listens = block.arguments().split(" ");
                Programs.awaitListening(namespace, listens[0], Integer.parseInt(listens[1]), server);
            }
            case "runtime" -> {
                Path autoload = Files.createDirectories(reader.home().resolve("autoload"));
                Path jar = Path.of(System.getProperty("layer45.it.runtimeJar"));
                assertTrue(Files.isRegularFile(jar), "cnf exported " + jar + ": build it with mvn package first");
                // nsenter, not ip netns exec: the runtime must mount the namespaces it makes where exec sees them
                runtime = RuntimeConsole.start(List.of("nsenter", "--net=/run/netns/" + namespace), "guide runtime",
                        TRANSCRIPT, jar, Files.createTempDirectory(reader.home(), "runtime"), autoload);
            }
            case "shell" -> {
                assertTrue(runtime != null, "guide line " + block.line() + ": a shell block comes after the runtime"
                        + " block that starts it");
                for (Command command : commands(block, "g! ")) {
                    inShell(block, command);
                }
            }
            default -> fail("guide line " + block.line() + ": unknown guide-test mode '" + block.mode()
                    + "'; the modes are host, background, runtime, shell and skip");
        }
    }

    /** Runs one shell command line as the reader would, and returns its standard output. */
    private String onHost(Block block, String line) throws IOException, InterruptedException {
        String command = line.startsWith("sudo ") ? line.substring(5) : line;
        if (command.startsWith("cd ")) {
            ProcessResult moved = reader.run(namespace, cwd, command + " && pwd", 10);
            assertEquals(0, moved.exitCode(), "guide line " + block.line() + ": " + line + "\n" + moved.stderr());
            cwd = Path.of(moved.stdout().strip());
            return "";
        }
        Matcher exec = EXEC.matcher(command);
        if (exec.matches()) {
            assertTrue(runtime != null, "guide line " + block.line() + ": exec needs the runtime started before");
            command = quote(Path.of(System.getProperty("java.home"), "bin", "java").toString()) + " -cp "
                    + quote(CliProcess.classPath().toString()) + " layer45.cli.Main exec --socket "
                    + quote(runtime.controlSocket().toString()) + " --netns " + TestNetns.name("guide" + ++execs)
                    + " -- " + exec.group(1);
        }
        ProcessResult result = reader.run(namespace, cwd, command, COMMAND_SECONDS);
        assertEquals(0, result.exitCode(), "guide line " + block.line() + ": '" + line + "' failed:\n"
                + result.stdout() + result.stderr());
        return result.stdout();
    }

    private void inShell(Block block, Command command) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(RETRY_SECONDS);
        while (true) {
            String output = runtime.run(command.line());
            String mismatch = mismatch(command.expected(), output);
            if (mismatch == null) {
                return;
            }
            if (System.nanoTime() > deadline) {
                fail("guide line " + block.line() + ": 'g! " + command.line() + "' " + mismatch);
            }
            Thread.sleep(250);
        }
    }

    private static void compare(Block block, Command command, String output) {
        String mismatch = mismatch(command.expected(), output);
        if (mismatch != null) {
            fail("guide line " + block.line() + ": '" + command.line() + "' " + mismatch);
        }
    }

    private static String quote(String text) {
        return "'" + text.replace("'", "'\\''") + "'";
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Reading the guide
    // ---------------------------------------------------------------------------------------------------------------

    /** @return the console blocks, each with its marker; a console block without one fails the test */
    static List<Block> blocks(List<String> markdown) {
        List<Block> blocks = new ArrayList<>();
        for (int i = 0; i < markdown.size(); i++) {
            if (!markdown.get(i).equals("```console")) {
                continue;
            }
            int at = i - 1;
            while (at >= 0 && markdown.get(at).isBlank()) {
                at--;
            }
            Matcher marker = at >= 0 ? MARKER.matcher(markdown.get(at)) : null;
            if (marker == null || !marker.matches()) {
                fail("guide line " + (i + 1) + ": a console block needs a <!-- guide-test: MODE --> line before it,"
                        + " so this test knows how to run it (or why not)");
            }
            int end = i + 1;
            while (end < markdown.size() && !markdown.get(end).equals("```")) {
                end++;
            }
            blocks.add(new Block(i + 1, marker.group(1), marker.group(2) == null ? "" : marker.group(2),
                    markdown.subList(i + 1, end)));
            i = end;
        }
        return blocks;
    }

    /** @return the block's commands (lines after the prompt), each with the lines shown after it */
    static List<Command> commands(Block block, String prompt) {
        List<Command> commands = new ArrayList<>();
        for (String line : block.lines()) {
            if (line.startsWith(prompt)) {
                commands.add(new Command(line.substring(prompt.length()), new ArrayList<>()));
            } else if (commands.isEmpty()) {
                fail("guide line " + block.line() + ": output before the first '" + prompt + "' command: " + line);
            } else {
                commands.getLast().expected().add(line);
            }
        }
        return commands;
    }

    /** @return {@code null} if the output is what is shown, else what differs, with both */
    static String mismatch(List<String> expected, String output) {
        List<String> actual = new ArrayList<>(output.replaceAll("\u001B\\[[0-9;]*m", "").lines().toList());
        while (!actual.isEmpty() && actual.getLast().isBlank()) {
            actual.removeLast();
        }
        if (matches(expected, 0, actual, 0)) {
            return null;
        }
        return "printed\n" + String.join("\n", actual) + "\nbut the guide shows\n" + String.join("\n", expected);
    }

    private static boolean matches(List<String> expected, int e, List<String> actual, int a) {
        if (e == expected.size()) {
            return a == actual.size();
        }
        if (expected.get(e).strip().equals("...")) {
            for (int skip = a; skip <= actual.size(); skip++) {
                if (matches(expected, e + 1, actual, skip)) {
                    return true;
                }
            }
            return false;
        }
        return a < actual.size() && lineMatches(expected.get(e), actual.get(a))
                && matches(expected, e + 1, actual, a + 1);
    }

    static boolean lineMatches(String pattern, String line) {
        StringBuilder regex = new StringBuilder();
        for (String part : squeeze(pattern).split("<\\.\\.\\.>", -1)) {
            if (!regex.isEmpty()) {
                regex.append(".*");
            }
            regex.append(Pattern.quote(part));
        }
        return squeeze(line).matches(regex.toString());
    }

    private static String squeeze(String line) {
        return line.strip().replaceAll("\\s+", " ");
    }
}
