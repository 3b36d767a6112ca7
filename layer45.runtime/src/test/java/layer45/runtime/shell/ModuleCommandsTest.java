package layer45.runtime.shell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import layer45.api.runtime.CountersDTO;
import layer45.api.runtime.DeploymentDTO;
import layer45.api.runtime.DeploymentState;
import layer45.api.runtime.ErrorCode;
import layer45.api.runtime.Layer45Exception;
import layer45.api.runtime.ModuleDTO;
import layer45.api.runtime.ModuleState;
import layer45.runtime.bundle.ModuleDescriptors.Option;

import org.apache.felix.service.command.CommandSession;
import org.apache.felix.service.command.Parameter;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every command, driven with fake services, checked on the text an operator reads. */
class ModuleCommandsTest {

    private static final List<String> ECHO_TAG_DEPENDENCIES = List.of("layer45.api", "org.apache.felix.scr",
            "layer45.runtime");

    private final Fakes.Runtime runtime = new Fakes.Runtime();
    private final Fakes.Deployments deployments = new Fakes.Deployments();
    private final Fakes.Bundles bundles = new Fakes.Bundles();
    private final ModuleOptions options = (bundleId, module) -> bundleId == 7 ? List.of(
            new Option("start.tag", "US-ASCII text written before each chunk sent", "<start>"),
            new Option("end.tag", "US-ASCII text written after each chunk sent", "<end>")) : List.of();
    private final ModuleCommands commands = new ModuleCommands(runtime, deployments, bundles, options);

    @TempDir
    Path dir;

    @BeforeEach
    void echoTagBundles() {
        bundles.dependencies.put(7L, ECHO_TAG_DEPENDENCIES);
        bundles.dependencies.put(5L, ECHO_TAG_DEPENDENCIES);
        bundles.headers.put(7L, Map.of("Bundle-Name", "layer45 echo tag", "Bundle-Description",
                "Wraps what an application sends in <start>...<end> and unwraps what it receives.",
                "Bundle-Vendor", "layer45", "Bundle-License", "Apache-2.0",
                "Import-Package", "java.lang,layer45.api;version=\"[1.0,2)\""));
    }

    // ---------------------------------------------------------------------------------------------------------
    // lsmod

    @Test
    void lsmodWithNothingLoaded() {
        assertEquals("""
                Module  Size  Used  Dependencies  State  Active  Priority  Version  Errors
                (none)""", commands.lsmod());
    }

    @Test
    void lsmodListsAReplacedModuleTwiceCurrentFirstAndARefusedJar() {
        ModuleDTO old = Fakes.echoTagClient();
        old.bundleId = 5;
        old.bundleVersion = "0.0.9";
        old.state = ModuleState.DEPRECATED;
        old.usedBy = 1;
        old.send.faults = 2;
        old.recv.errors = 1;
        old.active = false;
        old.deactivatedReason = "3 faults within 60 s";
        runtime.modules.add(Fakes.echoTagServer());
        runtime.modules.add(old);
        runtime.modules.add(Fakes.echoTagClient());
        deployments.deployments.add(Fakes.deployment("/srv/l45/echo-tag.jar", "insmod", 7, 10456,
                "echo-tag-client", "echo-tag-server"));
        deployments.deployments.add(refused("/var/lib/layer45/autoload/broken.jar", 812,
                "not a bundle: no Bundle-SymbolicName in its manifest"));
        bundles.sizes.put(5L, 9876L); // the old jar was not installed by layer45: its size comes from the bundle

        assertEquals("""
                Module            Size  Used  Dependencies                                      State       Active  Priority  Version         Errors
                broken.jar         812     -  -                                                 REFUSED     -              -  -               not a bundle: no Bundle-SymbolicName in its manifest
                echo-tag-client  10456     2  layer45.api,org.apache.felix.scr,layer45.runtime  LIVE        yes         1000  0.1.0.SNAPSHOT  0
                echo-tag-client   9876     1  layer45.api,org.apache.felix.scr,layer45.runtime  DEPRECATED  no          1000  0.0.9           3 (deactivated)
                echo-tag-server  10456     0  layer45.api,org.apache.felix.scr,layer45.runtime  LIVE        yes         1000  0.1.0.SNAPSHOT  0""",
                commands.lsmod());
    }

    @Test
    void lsmodShowsADashForWhatIsUnknown() {
        ModuleDTO m = Fakes.echoTagClient();
        m.bundleId = 42; // no deployment, no jar, no wiring
        m.bundleVersion = "";
        m.send = null;
        m.recv = null;
        runtime.modules.add(m);
        assertEquals("""
                Module           Size  Used  Dependencies  State  Active  Priority  Version  Errors
                echo-tag-client     -     2  -             LIVE   yes         1000  -        0""", commands.lsmod());
    }

    // ---------------------------------------------------------------------------------------------------------
    // modinfo

    @Test
    void modinfoDescribesAModule() {
        runtime.modules.add(Fakes.echoTagClient());
        ModuleDTO old = Fakes.echoTagClient();
        old.bundleId = 5;
        old.bundleVersion = "0.0.9";
        old.state = ModuleState.DEPRECATED;
        old.usedBy = 1;
        runtime.modules.add(old);
        deployments.deployments.add(Fakes.deployment("/srv/l45/echo-tag.jar", "insmod", 7, 10456,
                "echo-tag-client", "echo-tag-server"));

        assertEquals("""
                name:          echo-tag-client
                bundle:        echo-tag 0.1.0.SNAPSHOT (id 7, "layer45 echo tag")
                source:        /srv/l45/echo-tag.jar (insmod, 10456 bytes)
                sha256:        9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08
                description:   Wraps what an application sends in <start>...<end> and unwraps what it receives.
                vendor:        layer45
                license:       Apache-2.0
                requires:      layer45.api [1.0,2)
                state:         LIVE, active, priority 1000, used by 2 flows
                target:        tcp,udp remote *:65432
                loaded:        2026-01-01T00:00:00Z
                other version: echo-tag 0.0.9 (id 5), DEPRECATED, used by 1 flow
                parameters:
                  Parameter               Value    Set by   Description
                  layer45.protocol        TCP,UDP  module   transports to attach to: tcp, udp or any
                  layer45.process         *        module   process (tgid) name patterns, as truncated to 15 bytes; * at either end is a wildcard
                  layer45.thread          *        module   thread (pid) name patterns, such as isc-net-*
                  layer45.remote.address  any      module   remote address prefixes: IP literals or CIDR, never names
                  layer45.remote.port     65432    module   remote ports and ranges, such as 53 or 8000-8100
                  layer45.local.address   any      module   local address prefixes: IP literals or CIDR, never names
                  layer45.local.port      any      module   local ports and ranges, such as 53 or 8000-8100
                  layer45.priority        1000     module   chain position from 0 to 65535: lower runs first, ties in name order
                  layer45.active          true     module   whether it customizes; inactive, it stays attached, uncalled
                  layer45.apply.now       false    default  whether it also attaches to flows open when it is loaded
                  start.tag               <start>  default  US-ASCII text written before each chunk sent
                  end.tag                 <end>    default  US-ASCII text written after each chunk sent
                counters:
                  Counter               Send  Recv
                  chunks                  12    12
                  bytes in               480   624
                  bytes out              624   480
                  customized              12    12
                  passed                   0     0
                  dropped                  0     0
                  held                     0     0
                  held bytes discarded     0     0
                  errors                   0     0
                  faults                   0     0""", commands.modinfo("echo-tag-client"));
    }

    @Test
    void modinfoShowsOperatorValuesProblemsAndTheImportedApiRange() {
        ModuleDTO m = Fakes.echoTagClient();
        m.active = false;
        m.priority = 10;
        m.deactivatedReason = "3 faults within 60 s: activate it to try again";
        m.lastProblem = "send: IllegalStateException: boom";
        m.budgetFaults = 3;
        m.usedBy = 1;
        m.applyNow = true;
        Map<String, Object> parameters = new LinkedHashMap<>(m.parameters);
        parameters.put("layer45.priority", 10);
        parameters.put("layer45.apply.now", "true");
        m.parameters = parameters;
        m.overrides = new HashMap<>(Map.of("layer45.priority", 10, "layer45.apply.now", "true"));
        m.overrides.put("layer45.thread", null); // a removed override is no override
        runtime.modules.add(m);

        String info = commands.modinfo("echo-tag-client");

        assertTrue(info.startsWith("""
                name:          echo-tag-client
                bundle:        echo-tag 0.1.0.SNAPSHOT (id 7, "layer45 echo tag")
                source:        file:/opt/bundles/7.jar (not installed by layer45)
                description:   Wraps what an application sends in <start>...<end> and unwraps what it receives.
                vendor:        layer45
                license:       Apache-2.0
                requires:      layer45.api [1.0,2)
                state:         LIVE, inactive, priority 10, used by 1 flow
                deactivated:   3 faults within 60 s: activate it to try again
                last problem:  send: IllegalStateException: boom
                recent faults: 3 in the fault-budget window
                target:        tcp,udp remote *:65432, also flows open when loaded
                loaded:        2026-01-01T00:00:00Z
                parameters:
                """), info);
        assertTrue(info.contains("\n  layer45.thread          *        module    "), info);
        assertTrue(info.contains("\n  layer45.priority        10       operator  chain position"), info);
        assertTrue(info.contains("\n  layer45.apply.now       true     operator  whether"), info);
    }

    @Test
    void modinfoShowsTheModulesOwnConfiguredValues() {
        runtime.modules.add(Fakes.echoTagClient());
        ModuleOptions configured = new ModuleOptions() {
            @Override
            public List<Option> options(long bundleId, String module) {
                return options.options(bundleId, module);
            }

            @Override
            public Map<String, Object> configured(long bundleId, String module) {
                Map<String, Object> values = new LinkedHashMap<>();
                values.put("start.tag", "<s>");
                values.put("extra", new String[] { "a", "b" }); // configured, though the metatype does not declare it
                return values;
            }
        };
        String info = new ModuleCommands(runtime, deployments, bundles, configured).modinfo("echo-tag-client");
        assertTrue(info.contains("""

                  layer45.apply.now       false    default   whether it also attaches to flows open when it is loaded
                  start.tag               <s>      operator  US-ASCII text written before each chunk sent
                  end.tag                 <end>    default   US-ASCII text written after each chunk sent
                  extra                   a,b      operator
                counters:
                """), info);
    }

    @Test
    void modinfoOfAnUnknownModuleSaysHowToListThem() {
        Layer45Exception e = assertThrows(Layer45Exception.class, () -> commands.modinfo("nope"));
        assertEquals(ErrorCode.UNKNOWN_MODULE, e.code());
        assertEquals("no module named 'nope' is loaded; list them with lsmod", e.getMessage());

        // a runtime whose message lacks the hint gets it added, with the same code
        Fakes.Runtime terse = new Fakes.Runtime() {
            @Override
            public ModuleDTO module(String name) {
                throw new Layer45Exception(ErrorCode.UNKNOWN_MODULE, "no module named '" + name + "' is loaded");
            }
        };
        ModuleCommands c = new ModuleCommands(terse, deployments, bundles, options);
        e = assertThrows(Layer45Exception.class, () -> c.modinfo("nope"));
        assertEquals(ErrorCode.UNKNOWN_MODULE, e.code());
        assertEquals("no module named 'nope' is loaded; list them with lsmod", e.getMessage());
    }

    @Test
    void theApiRangeComesFromTheImportPackageHeader() {
        assertEquals("[1.0,2)", Views.importRange("java.lang,layer45.api;version=\"[1.0,2)\",x.y", "layer45.api"));
        assertEquals("[1.0,2)", Views.importRange("a;layer45.api;version=\"[1.0,2)\";resolution:=optional",
                "layer45.api"));
        assertEquals("", Views.importRange("layer45.api", "layer45.api"));
        assertNull(Views.importRange("layer45.api.spi;version=\"[1.0,2)\"", "layer45.api"));
        assertNull(Views.importRange(null, "layer45.api"));
    }

    // ---------------------------------------------------------------------------------------------------------
    // insmod

    @Test
    void insmodResolvesARelativePathAgainstTheShellsDirectory() throws Exception {
        Path jar = Files.createDirectories(dir.resolve("jars")).resolve("echo-tag.jar");
        Files.writeString(jar, "a jar");
        runtime.modules.add(Fakes.echoTagClient());
        runtime.modules.add(Fakes.echoTagServer());
        deployments.next = Fakes.deployment(jar.toString(), "insmod", 7, 5, "echo-tag-client", "echo-tag-server");

        String out = commands.insmod(Fakes.session(dir), "jars/../jars/echo-tag.jar",
                new String[] { "priority=10", "echo-tag-client:remote.port=53", "start.tag=<s>" });

        assertEquals("""
                echo-tag-client LIVE priority 1000 target tcp,udp remote *:65432
                echo-tag-server LIVE priority 1000 target tcp,udp local *:65432""", out);
        assertEquals(List.of("install " + jar.toAbsolutePath() + " {priority=10, echo-tag-client:remote.port=53,"
                + " start.tag=<s>}"), deployments.calls);
    }

    @Test
    void insmodTakesAnAbsolutePathAsItIs() throws Exception {
        Path jar = Files.writeString(dir.resolve("echo-tag.jar"), "a jar");
        runtime.modules.add(Fakes.echoTagClient());
        deployments.next = Fakes.deployment(jar.toString(), "insmod", 7, 5, "echo-tag-client");

        String out = commands.insmod(Fakes.session(Path.of("/elsewhere")), jar.toString());

        assertEquals("echo-tag-client LIVE priority 1000 target tcp,udp remote *:65432", out);
        assertEquals(List.of("install " + jar + " {}"), deployments.calls);
    }

    @Test
    void insmodOfAMissingFileSaysWhereItLooked() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> commands.insmod(Fakes.session(dir), "echo-tag.jar"));
        assertEquals("no file " + dir.resolve("echo-tag.jar") + " (relative paths start at the current directory, "
                + dir + "): give the jar's path, such as insmod /path/to/module.jar", e.getMessage());
        assertEquals(List.of(), deployments.calls);
    }

    @Test
    void insmodParametersAreKeyValue() throws Exception {
        Files.writeString(dir.resolve("echo-tag.jar"), "a jar");
        CommandSession session = Fakes.session(dir);

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> commands.insmod(session, "echo-tag.jar", new String[] { "priority=10", "remote.port" }));
        assertEquals("'remote.port': parameters are key=value, such as priority=10", e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> commands.insmod(session, "echo-tag.jar", new String[] { "=10" }));
        assertEquals("'=10': parameters are key=value, such as priority=10 (the key is missing)", e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> commands.insmod(session, "echo-tag.jar", new String[] { "priority=1", "priority=2" }));
        assertEquals("'priority' is given twice: give each parameter once", e.getMessage());
        assertEquals(List.of(), deployments.calls);
    }

    @Test
    void insmodPassesTheRuntimesRefusalOnUnchanged() throws Exception {
        Path jar = Files.writeString(dir.resolve("notes.txt"), "not a jar");
        deployments.next = null;

        Layer45Exception e = assertThrows(Layer45Exception.class,
                () -> commands.insmod(Fakes.session(dir), "notes.txt"));

        assertEquals(ErrorCode.REFUSED, e.code());
        assertEquals(jar + " refused: it is not a bundle (no Bundle-SymbolicName in its manifest)", e.getMessage());
    }

    // ---------------------------------------------------------------------------------------------------------
    // rmmod, activate, deactivate, deprecate, priority, param

    @Test
    void rmmodIsRefusedWhileInUseUnlessForced() {
        runtime.modules.add(Fakes.echoTagClient());

        Layer45Exception e = assertThrows(Layer45Exception.class, () -> commands.rmmod(false, "echo-tag-client"));
        assertEquals(ErrorCode.MODULE_IN_USE, e.code());
        assertEquals("module 'echo-tag-client' is used by 2 flows; wait for them to close, or force the unload"
                + " (rmmod -f)", e.getMessage());

        assertEquals("echo-tag-client unloaded", commands.rmmod(true, "echo-tag-client"));
        assertEquals(List.of("unload echo-tag-client true"), runtime.calls);
    }

    @Test
    void rmmodOfAnUnusedModuleNeedsNoForce() {
        runtime.modules.add(Fakes.echoTagServer());
        assertEquals("echo-tag-server unloaded", commands.rmmod(false, "echo-tag-server"));
        assertEquals(List.of("unload echo-tag-server false"), runtime.calls);
    }

    @Test
    void rmmodTakesTheForceFlagAsGogoPassesIt() throws Exception {
        Method rmmod = ModuleCommands.class.getMethod("rmmod", boolean.class, String[].class);
        Parameter force = rmmod.getParameters()[0].getAnnotation(Parameter.class);
        assertEquals(List.of("-f", "--force"), List.of(force.names()));
        assertEquals("true", force.presentValue());
        assertEquals("false", force.absentValue());
    }

    @Test
    void activateDeactivateAndDeprecatePrintTheNewState() {
        runtime.modules.add(Fakes.echoTagClient());

        assertEquals("echo-tag-client LIVE inactive priority 1000 target tcp,udp remote *:65432",
                commands.deactivate("echo-tag-client"));
        assertEquals("echo-tag-client LIVE priority 1000 target tcp,udp remote *:65432",
                commands.activate("echo-tag-client"));
        assertEquals("echo-tag-client DEPRECATED priority 1000 target tcp,udp remote *:65432",
                commands.deprecate("echo-tag-client"));
        assertEquals(List.of("setActive echo-tag-client false", "setActive echo-tag-client true",
                "deprecate echo-tag-client"), runtime.calls);

        Layer45Exception e = assertThrows(Layer45Exception.class, () -> commands.activate("nope"));
        assertEquals("no module named 'nope' is loaded; list them with lsmod", e.getMessage());
    }

    @Test
    void prioritySetsTheChainPosition() {
        runtime.modules.add(Fakes.echoTagClient());
        assertEquals("echo-tag-client LIVE priority 10 target tcp,udp remote *:65432",
                commands.priority("echo-tag-client", "10"));
        assertEquals(List.of("setPriority echo-tag-client 10"), runtime.calls);
    }

    @Test
    void priorityIsANumberFrom0To65535() {
        runtime.modules.add(Fakes.echoTagClient());
        for (String wrong : List.of("high", "-1", "65536", "1.5", "")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> commands.priority("echo-tag-client", wrong));
            assertEquals("priority is a number from 0 to 65535, lower runs first, not '" + wrong
                    + "': priority echo-tag-client 10", e.getMessage());
        }
        assertEquals(List.of(), runtime.calls);
    }

    @Test
    void paramMapsShortKeysAndPassesTheModulesOwnOn() {
        runtime.modules.add(Fakes.echoTagClient());

        String out = commands.param("echo-tag-client", new String[] { "priority=20", "remote.port=53,5353",
            "apply.now=true", "start.tag=<s>", "layer45.local.address=10.0.0.0/8", "process=dig" });

        assertEquals("echo-tag-client LIVE priority 1000 target tcp,udp remote *:65432", out);
        Map<String, Object> expected = new LinkedHashMap<>();
        expected.put("layer45.priority", "20");
        expected.put("layer45.remote.port", "53,5353");
        expected.put("layer45.apply.now", "true");
        expected.put("start.tag", "<s>");
        expected.put("layer45.local.address", "10.0.0.0/8");
        expected.put("layer45.process", "dig");
        assertEquals(expected, runtime.lastParameters);
        assertEquals(List.copyOf(expected.keySet()), List.copyOf(runtime.lastParameters.keySet()));
    }

    @Test
    void paramWithAnEmptyValueRemovesTheOperatorsValue() {
        runtime.modules.add(Fakes.echoTagClient());
        commands.param("echo-tag-client", new String[] { "priority=", "start.tag=" });
        assertTrue(runtime.lastParameters.containsKey("layer45.priority"));
        assertNull(runtime.lastParameters.get("layer45.priority"));
        assertTrue(runtime.lastParameters.containsKey("start.tag"));
        assertNull(runtime.lastParameters.get("start.tag"));
    }

    @Test
    void paramInputErrorsSayWhatToType() {
        runtime.modules.add(Fakes.echoTagClient());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> commands.param("echo-tag-client", new String[] { "priority", "10" }));
        assertEquals("'priority': parameters are key=value, such as priority=10", e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> commands.param("echo-tag-client", new String[0]));
        assertEquals("no parameters given: parameters are key=value, such as priority=10, as in"
                + " param echo-tag-client priority=10", e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> commands.param("echo-tag-client", new String[] { "priority=1", "layer45.priority=2" }));
        assertEquals("'layer45.priority' is given twice: give each parameter once", e.getMessage());
        assertEquals(List.of(), runtime.calls);
    }

    @Test
    void shortKeysAreTheRuntimesParameters() {
        Set<String> runtimeKeys = new TreeSet<>();
        Views.PARAMETERS.forEach(p -> runtimeKeys.add(p.key()));
        Set<String> mapped = new TreeSet<>();
        ModuleCommands.SHORT_KEYS.forEach(k -> mapped.add(ModuleCommands.runtimeKey(k)));
        assertEquals(runtimeKeys, mapped);
        assertEquals("start.tag", ModuleCommands.runtimeKey("start.tag"));
        assertEquals("layer45.priority", ModuleCommands.runtimeKey("layer45.priority"));
    }

    // ---------------------------------------------------------------------------------------------------------
    // sockets and stats

    @Test
    void socketsListsOpenFlowsOwnersAndModules() {
        runtime.flows.add(Fakes.flow(1, "10.0.0.2:40000", "10.0.0.1:65432", 4242, 4240, "python3", "python3",
                "echo-tag-client"));
        runtime.flows.add(Fakes.flow(7, "10.0.0.2:53124", "10.0.0.53:53", 5001, 5000, "dig", "isc-net-0000",
                "dns-tag", "echo-tag-client"));
        runtime.flows.add(Fakes.flow(12, "[fd00::2]:53124", "[fd00::1]:53", -1, -1, "", ""));
        runtime.flows.get(2).send = new CountersDTO();
        runtime.flows.get(2).recv = new CountersDTO();
        runtime.flows.get(0).send.chunks = 1024;
        runtime.flows.get(0).send.bytesIn = 1_048_576;

        assertEquals("""
                ID  Proto  Local            Remote           PID/TGID  Process/Thread    Modules                  Send chunks/bytes  Recv chunks/bytes
                 1  udp    10.0.0.2:40000   10.0.0.1:65432  4242/4240  python3/python3   echo-tag-client               1024/1048576              3/156
                 7  udp    10.0.0.2:53124   10.0.0.53:53    5001/5000  dig/isc-net-0000  dns-tag,echo-tag-client              3/120              3/156
                12  udp    [fd00::2]:53124  [fd00::1]:53            ?  ?                 -                                      0/0                0/0
                3 open flows""", commands.sockets());
    }

    @Test
    void socketsWithNoFlows() {
        assertEquals("""
                ID  Proto  Local  Remote  PID/TGID  Process/Thread  Modules  Send chunks/bytes  Recv chunks/bytes
                0 open flows""", commands.sockets());
        runtime.flows.add(Fakes.flow(3, "10.0.0.2:1", "10.0.0.1:2", 9, -1, "", "worker"));
        assertEquals("""
                ID  Proto  Local       Remote      PID/TGID  Process/Thread  Modules  Send chunks/bytes  Recv chunks/bytes
                 3  udp    10.0.0.2:1  10.0.0.1:2       9/?  ?/worker        -                    3/120              3/156
                1 open flow""", commands.sockets());
    }

    @Test
    void statsShowsCountersSettingsAndTheAutoloadFolder() {
        runtime.stats.modules = 3;
        runtime.stats.refusals = 1;
        runtime.stats.openFlows = 2;
        runtime.stats.flowsOpened = 1234;
        runtime.stats.flowsAborted = 5;
        runtime.stats.autoDeactivations = 1;
        runtime.stats.send = Fakes.counters(100, 4000, 5200);
        runtime.stats.recv = Fakes.counters(90, 5200, 4000);
        runtime.stats.recv.dropped = 2;
        runtime.stats.send.faults = 4;
        runtime.settings.put("max.chain", 8);
        runtime.settings.put("call.budget.ms", 50L);
        runtime.settings.put("fault.budget", 3);

        assertEquals("""
                Counter                    Value
                modules                        3
                refusals                       1
                open flows                     2
                flows opened                1234
                flows aborted                  5
                auto-deactivations             1
                send chunks                  100
                send bytes in               4000
                send bytes out              5200
                send customized              100
                send passed                    0
                send dropped                   0
                send held                      0
                send held bytes discarded      0
                send errors                    0
                send faults                    4
                recv chunks                   90
                recv bytes in               5200
                recv bytes out              4000
                recv customized               90
                recv passed                    0
                recv dropped                   2
                recv held                      0
                recv held bytes discarded      0
                recv errors                    0
                recv faults                    0

                Setting         Value
                max.chain       8
                call.budget.ms  50
                fault.budget    3

                autoload folder: /var/lib/layer45/autoload""", commands.stats());
    }

    // ---------------------------------------------------------------------------------------------------------
    // what Gogo sees

    @Test
    void everyCommandAndParameterIsDescribedForHelp() {
        assertEquals(new TreeSet<>(Arrays.asList("lsmod", "modinfo", "insmod", "rmmod", "activate", "deactivate",
                "deprecate", "priority", "param", "sockets", "stats")), Help.describedCommands(ModuleCommands.class));
    }

    private static DeploymentDTO refused(String source, long size, String reason) {
        DeploymentDTO d = Fakes.deployment(source, "autoload", -1, size);
        d.state = DeploymentState.REFUSED;
        d.reason = reason;
        d.symbolicName = "";
        d.version = "";
        d.apiRange = "";
        d.sha256 = "";
        return d;
    }
}
