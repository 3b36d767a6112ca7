package layer45.runtime.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.Map;


import org.junit.jupiter.api.Test;

/** Where the control socket goes: by default per user, or where the configuration says. */
class ControlSettingsTest {

    private static final Path HOME = Path.of("/opt/layer45");

    @Test
    void asRootTheSocketIsTheSystemsAndOtherwiseTheCheckoutsOwn() {
        assertEquals(Path.of("/run/layer45/layer45.sock"), ControlSettings.from(Map.of(), HOME, true).socket());
        assertEquals(Path.of("/opt/layer45/cnf/target/layer45.sock"),
                ControlSettings.from(Map.of(), HOME, false).socket());
        assertEquals(Path.of("/run/layer45/layer45.sock"),
                ControlSettings.from(Map.of(ControlSettings.SOCKET, " "), HOME, true).socket(), "empty: the default");
    }

    @Test
    void aConfiguredPathWinsAndARelativeOneStartsAtHome() {
        assertEquals(Path.of("/tmp/l45.sock"),
                ControlSettings.from(Map.of(ControlSettings.SOCKET, "/tmp/l45.sock"), HOME, true).socket());
        assertEquals(Path.of("/opt/layer45/run/l45.sock"),
                ControlSettings.from(Map.of(ControlSettings.SOCKET, "run/../run/l45.sock"), HOME, false).socket());
    }
}
