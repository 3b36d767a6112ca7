package layer45.itest;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code ./layer45 exec} as the tests run it: the command-line client ({@code layer45.cli.Main exec}) in the
 * background, with the runtime's private control socket, a namespace named by the test and its port forwards. The
 * namespace lives as long as the program; closing the {@link BackgroundProgram} ends the client with SIGTERM, which
 * it passes on to the program before the runtime detaches the namespace.
 */
final class Exec {

    private Exec() {
    }

    /**
     * @param runtime the running runtime
     * @param namespace the namespace to create, from {@link TestNetns#name}
     * @param forwards port forwards into it, such as {@code udp:5353:53}
     * @param timeoutSeconds how long it may run at most
     * @param label what it is, for messages
     * @param command the program and its arguments
     * @return the client, started; the program runs once the namespace is attached
     */
    static BackgroundProgram start(RuntimeConsole runtime, String namespace, List<String> forwards,
            long timeoutSeconds, String label, String... command) throws IOException {
        List<String> client = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-cp", CliProcess.classPath().toString(), "layer45.cli.Main", "exec", "--netns", namespace,
                "--socket", runtime.controlSocket().toString()));
        for (String forward : forwards) {
            client.add("--forward");
            client.add(forward);
        }
        client.add("--");
        client.addAll(List.of(command));
        return BackgroundProgram.start(label + " in " + namespace, timeoutSeconds, client.toArray(String[]::new));
    }
}
