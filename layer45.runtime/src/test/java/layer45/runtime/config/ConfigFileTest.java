package layer45.runtime.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The configuration file, its overrides, and the settings read from them. */
class ConfigFileTest {

    @TempDir
    Path home;

    private static java.util.function.UnaryOperator<String> properties(Map<String, String> map) {
        return map::get;
    }

    @Test
    void theShippedFileDocumentsEveryKeyWithItsDefault() throws IOException {
        Path shipped = Path.of("..", "conf", "layer45.conf").toAbsolutePath().normalize();
        ConfigFile file = ConfigFile.load(properties(Map.of(ConfigFile.CONFIG, shipped.toString())));
        assertEquals(ConfigFile.KEYS.stream().sorted().toList(), file.values().keySet().stream().sorted().toList(),
                "every key is in conf/layer45.conf");
        assertEquals(RuntimeSettings.DEFAULTS, RuntimeSettings.from(file.values()), "with the defaults");
        AutoloadSettings autoload = AutoloadSettings.from(file.values(), home);
        assertEquals(AutoloadSettings.from(Map.of(), home), autoload);
    }

    @Test
    void overridesWinOverTheFileAndRelativeFoldersStartAtHome() throws IOException {
        Path conf = Files.writeString(home.resolve("layer45.conf"), "max.chain = 3\nautoload.dir = mods\n");
        ConfigFile file = ConfigFile.load(properties(Map.of(ConfigFile.CONFIG, conf.toString(),
                ConfigFile.HOME, home.toString(), "layer45.max.chain", "4")));
        assertEquals(4, RuntimeSettings.from(file.values()).maxChain());
        assertEquals(home.resolve("mods"), AutoloadSettings.from(file.values(), file.home()).directory());
        assertEquals(conf, file.file());
    }

    @Test
    void theNetworkStacksKeysAreHandedOverAsTheyAreWithTheirOverrides() throws IOException {
        Path conf = Files.writeString(home.resolve("layer45.conf"),
                "max.chain = 3\nnet.mtu = 1500\nnet.netns = lab\nnet.whatever = x\n");
        ConfigFile file = ConfigFile.load(properties(Map.of(ConfigFile.CONFIG, conf.toString(),
                "layer45.net.netns", "other", "layer45.net.enabled", "false")),
                java.util.Set.of("layer45.net.netns", "layer45.net.enabled", "java.home"));
        assertEquals(Map.of("mtu", "1500", "netns", "other", "whatever", "x", "enabled", "false"), file.netValues(),
                "unchecked here: the stack checks its own keys");
        assertEquals(Map.of("max.chain", "3"), file.values());
    }

    @Test
    void theHostIdentifierTablesKeysAreHandedOverLikeTheStacks() throws IOException {
        Path conf = Files.writeString(home.resolve("layer45.conf"),
                "mhost.prefix4 = 10.99.0.0/16\nmhost.host.srv = ::1 127.0.0.1\nnet.mtu = 1500\n");
        ConfigFile file = ConfigFile.load(properties(Map.of(ConfigFile.CONFIG, conf.toString(),
                "layer45.mhost.domain", "lab")), java.util.Set.of("layer45.mhost.domain"));
        assertEquals(Map.of("prefix4", "10.99.0.0/16", "host.srv", "::1 127.0.0.1", "domain", "lab"),
                file.mhostValues());
        assertEquals(Map.of("mtu", "1500"), file.netValues());
        assertTrue(file.values().isEmpty());
    }

    @Test
    void peerLinksAreHandedOverOneKeyPerLink() throws IOException {
        Path conf = Files.writeString(home.resolve("layer45.conf"),
                "peer.b = local=127.0.0.1:6081 remote=127.0.0.1:6082 addresses=fd77::1/64\nnet.mtu = 1500\n");
        ConfigFile file = ConfigFile.load(properties(Map.of(ConfigFile.CONFIG, conf.toString())), java.util.Set.of());
        assertEquals(Map.of("b", "local=127.0.0.1:6081 remote=127.0.0.1:6082 addresses=fd77::1/64"),
                file.peerValues());
        assertEquals(Map.of("mtu", "1500"), file.netValues());
    }

    @Test
    void theAgentsKeysAreHandedOverAndItIsOffWithoutThem() throws IOException {
        Path conf = Files.writeString(home.resolve("layer45.conf"),
                "agent.broker = ssl://broker:8883\nagent.device = host-17\nmodules.signature = required\n");
        ConfigFile file = ConfigFile.load(properties(Map.of(ConfigFile.CONFIG, conf.toString(),
                "layer45.agent.groups", "lab")), java.util.Set.of("layer45.agent.groups"));
        assertEquals(Map.of("broker", "ssl://broker:8883", "device", "host-17", "groups", "lab"), file.agentValues());
        assertEquals(SigningSettings.Policy.REQUIRED, SigningSettings.from(file.values(), home).policy());
        assertTrue(ConfigFile.load(properties(Map.of())).agentValues().isEmpty());
    }

    @Test
    void theOrchestratorsKeysAreHandedOverAndItIsOffWithoutThem() throws IOException {
        Path conf = Files.writeString(home.resolve("layer45.conf"), "orchestrator.broker = ssl://broker:8883\n"
                + "orchestrator.db = jdbc:h2:file:/var/lib/layer45/orchestrator/cib\nstate.dir = state\n");
        ConfigFile file = ConfigFile.load(properties(Map.of(ConfigFile.CONFIG, conf.toString(),
                "layer45.orchestrator.report.interval.s", "60")), java.util.Set.of(
                        "layer45.orchestrator.report.interval.s"));
        assertEquals(Map.of("broker", "ssl://broker:8883", "db", "jdbc:h2:file:/var/lib/layer45/orchestrator/cib",
                "report.interval.s", "60"), file.orchestratorValues());
        assertTrue(file.agentValues().isEmpty(), "the agent stays off");
        assertEquals(home.resolve("state/orchestrator/cib"), StateSettings.from(file.values(), home)
                .orchestratorCib(), "where the CIB is without orchestrator.db");
        assertTrue(ConfigFile.load(properties(Map.of())).orchestratorValues().isEmpty());
    }

    @Test
    void withoutAFileEverySettingHasItsDefault() {
        ConfigFile file = ConfigFile.load(properties(Map.of()));
        assertTrue(file.values().isEmpty());
        assertNull(file.file());
        assertEquals(RuntimeSettings.DEFAULTS, RuntimeSettings.from(file.values()));
    }

    @Test
    void anUnknownKeyOrAMissingFileIsReportedNotIgnored() throws IOException {
        Path conf = Files.writeString(home.resolve("layer45.conf"), "max.chains = 3\n");
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
                () -> ConfigFile.load(properties(Map.of(ConfigFile.CONFIG, conf.toString()))));
        assertTrue(unknown.getMessage().contains("max.chains"), unknown.getMessage());
        assertTrue(unknown.getMessage().contains("max.chain,"), "lists the known keys: " + unknown.getMessage());
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
                () -> ConfigFile.load(properties(Map.of(ConfigFile.CONFIG, home.resolve("nope.conf").toString()))));
        assertTrue(missing.getMessage().contains("nope.conf"), missing.getMessage());
    }

    @Test
    void autoloadSettingsAreCheckedLikeTheOthers() {
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class, () -> AutoloadSettings.from(
                Map.of(AutoloadSettings.POLL_MS, "10", AutoloadSettings.DRAIN_S, "soon"), home));
        assertTrue(bad.getMessage().contains("autoload.drain.s: 'soon'"), bad.getMessage());
        IllegalArgumentException range = assertThrows(IllegalArgumentException.class, () -> AutoloadSettings.from(
                Map.of(AutoloadSettings.POLL_MS, "10"), home));
        assertTrue(range.getMessage().contains("autoload.poll.ms: 10 is out of range"), range.getMessage());
    }
}
