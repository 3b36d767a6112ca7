package layer45.bench;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The versions of the peer programs the run used, for the report. */
final class Versions {

    private Versions() {
    }

    /** @return each program's first line of its version output, or why there is none */
    static Map<String, Object> read() {
        Map<String, Object> versions = new LinkedHashMap<>();
        for (List<String> command : List.of(List.of("iperf3", "--version"), List.of("pasta", "--version"),
                List.of("slirp4netns", "--version"), List.of("dnsmasq", "--version"), List.of("dig", "-v"))) {
            String text;
            try {
                text = PeerPaths.run(command, 10).lines().filter(line -> !line.isBlank()).findFirst().orElse("");
            } catch (Exception e) {
                text = "unknown (" + e.getMessage() + ")";
            }
            versions.put(command.get(0), text.strip());
        }
        return versions;
    }
}
