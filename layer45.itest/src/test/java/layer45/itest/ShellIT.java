package layer45.itest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import layer45.api.Transport;
import layer45.api.runtime.ErrorCode;
import layer45.api.runtime.Layer45Exception;
import layer45.runtime.driver.DriverFlow;
import layer45.runtime.driver.InMemoryFlowDriver;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.Bundle;

/**
 * The operator's {@code l45} commands in a real Felix framework, run through the real Gogo command processor (see
 * {@link GogoSession} for how the test reaches it) and checked on the text an operator reads: every command's
 * output and errors, parameters applied at {@code insmod} and changed live with {@code param}, and the effect of
 * each command on flows driven through the runtime with the in-memory flow driver.
 *
 * <p>Tables are read back by column ({@link GogoSession.Table}), which also checks their alignment; sizes, ids,
 * versions and times are taken from the framework or matched by pattern, never hard-coded. The unit tests of
 * {@code layer45.runtime.shell} pin the exact layout with fake services; this test pins what the real services
 * make of it.
 */
class ShellIT {

    private static final String CLIENT = OsgiFixture.CLIENT;
    private static final String SERVER = OsgiFixture.SERVER;
    private static final String ECHO_PEER = "127.0.0.1:65432";
    private static final String[] LSMOD_NUMBERS = { "Size", "Used", "Priority" };
    private static final String[] SOCKETS_NUMBERS = { "ID", "PID/TGID", "Send chunks/bytes", "Recv chunks/bytes" };
    private static final Pattern INSTANT = Pattern.compile("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ");

    @TempDir
    Path scratch;

    private final List<AutoCloseable> open = new ArrayList<>();

    @AfterEach
    void closeEverything() throws Exception {
        // flows and sessions first, the framework last
        for (AutoCloseable c : open.reversed()) {
            c.close();
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // lsmod

    @Test
    void lsmodListsTheModulesTheirUseAndTheJarsRefused() throws Exception {
        OsgiFixture osgi = boot();
        GogoSession shell = shell(osgi);
        String version = osgi.bundle("echo-tag").getVersion().toString();
        String size = Long.toString(Files.size(echoTagJar()));

        GogoSession.Table lsmod = lsmod(shell);
        assertEquals(List.of("Module", "Size", "Used", "Dependencies", "State", "Active", "Priority", "Version",
                "Errors"), lsmod.columns(), lsmod.text());
        assertEquals(List.of(CLIENT, SERVER), lsmod.column("Module"), lsmod.text());
        for (String module : List.of(CLIENT, SERVER)) {
            Map<String, String> row = lsmod.row("Module", module);
            assertEquals(size, row.get("Size"), "the jar's size: " + lsmod.text());
            assertEquals("0", row.get("Used"), lsmod.text());
            // The API comes from the system bundle in this fixture, so it is not a dependency here (LaunchIT has the
            // real assembly); DS and the runtime (the implementation echo-tag requires) are.
            assertEquals(List.of("org.apache.felix.scr", "layer45.runtime"),
                    List.of(row.get("Dependencies").split(",")), lsmod.text());
            assertEquals("LIVE", row.get("State"), lsmod.text());
            assertEquals("yes", row.get("Active"), lsmod.text());
            assertEquals("1000", row.get("Priority"), lsmod.text());
            assertEquals(version, row.get("Version"), lsmod.text());
            assertEquals("0", row.get("Errors"), lsmod.text());
        }

        try (DriverFlow flow = echoFlow(osgi)) {
            assertEquals("<start>hi<end>", text(flow.send(bytes("hi"))));
            lsmod = lsmod(shell);
            assertEquals("1", lsmod.row("Module", CLIENT).get("Used"), lsmod.text());
            assertEquals("0", lsmod.row("Module", SERVER).get("Used"), "the flow is not the server's: " + lsmod.text());
        }
        lsmod = lsmod(shell);
        assertEquals("0", lsmod.row("Module", CLIENT).get("Used"), "a closed flow is not counted: " + lsmod.text());

        Path plain = plainJar(scratch.resolve("plain.jar"));
        drop(plain, osgi.autoload().resolve("plain.jar"));
        GogoSession.Table refused = OsgiFixture.await("lsmod to list plain.jar as refused",
                () -> {
                    GogoSession.Table t = lsmod(shell);
                    return t.column("Module").contains("plain.jar") ? t : null;
                });
        assertEquals(List.of(CLIENT, SERVER, "plain.jar"), refused.column("Module"), "sorted by name: "
                + refused.text());
        Map<String, String> row = refused.row("Module", "plain.jar");
        assertEquals(Long.toString(Files.size(plain)), row.get("Size"), refused.text());
        assertEquals("REFUSED", row.get("State"), refused.text());
        for (String column : List.of("Used", "Dependencies", "Active", "Priority", "Version")) {
            assertEquals("-", row.get(column), column + ": " + refused.text());
        }
        assertEquals("it is not an OSGi bundle: its manifest has no Bundle-SymbolicName; build it with bnd"
                + " (bnd-maven-plugin), as the examples in customizations/ are", row.get("Errors"), refused.text());
        assertEquals("LIVE", refused.row("Module", CLIENT).get("State"), "nothing else changed: " + refused.text());
        assertEquals("1", stats(shell).get("refusals"));
    }

    // ---------------------------------------------------------------------------------------------------------
    // modinfo

    @Test
    void modinfoDescribesAModuleAndNamesLsmodForAnUnknownOne() throws Exception {
        OsgiFixture osgi = boot();
        GogoSession shell = shell(osgi);
        Bundle echoTag = osgi.bundle("echo-tag");

        String info = shell.run("l45:modinfo " + CLIENT);
        Map<String, String> fields = GogoSession.modinfoFields(info);
        assertEquals(List.of("name", "bundle", "source", "description", "vendor", "license", "requires", "state",
                "target", "loaded"), List.copyOf(fields.keySet()), info);
        assertEquals(CLIENT, fields.get("name"));
        assertEquals("echo-tag " + echoTag.getVersion() + " (id " + echoTag.getBundleId() + ", \"layer45 echo tag\")",
                fields.get("bundle"));
        assertEquals(echoTag.getLocation() + " (not installed by layer45, " + Files.size(echoTagJar()) + " bytes)",
                fields.get("source"));
        assertEquals(echoTag.getHeaders().get("Bundle-Description"), fields.get("description"));
        assertEquals("layer45.api [1.1,2)", fields.get("requires"));
        assertEquals("LIVE, active, priority 1000, used by 0 flows", fields.get("state"));
        assertEquals("tcp,udp remote *:65432", fields.get("target"));
        assertTrue(INSTANT.matcher(fields.get("loaded")).matches(), info);
        assertTrue(Pattern.compile("(?m)^name: {8}echo-tag-client$").matcher(info).find(),
                "the values are aligned: " + info);

        GogoSession.Table parameters = GogoSession.modinfoTable(info, "parameters:");
        assertEquals(List.of("Parameter", "Value", "Set by", "Description"), parameters.columns());
        assertEquals(List.of("layer45.protocol", "layer45.process", "layer45.thread", "layer45.remote.address",
                "layer45.remote.port", "layer45.local.address", "layer45.local.port", "layer45.priority",
                "layer45.active", "layer45.apply.now", "start.tag", "end.tag"), parameters.column("Parameter"),
                parameters.text());
        assertEquals(Map.of("Parameter", "start.tag", "Value", "<start>", "Set by", "default", "Description",
                "US-ASCII text written before each chunk sent"), parameters.row("Parameter", "start.tag"));
        assertEquals(Map.of("Parameter", "end.tag", "Value", "<end>", "Set by", "default", "Description",
                "US-ASCII text written after each chunk sent"), parameters.row("Parameter", "end.tag"));
        assertEquals(Map.of("Parameter", "layer45.priority", "Value", "1000", "Set by", "module", "Description",
                "chain position from 0 to 65535: lower runs first, ties in name order"),
                parameters.row("Parameter", "layer45.priority"));
        assertEquals("65432", parameters.row("Parameter", "layer45.remote.port").get("Value"));
        assertEquals("any", parameters.row("Parameter", "layer45.local.port").get("Value"));
        assertEquals("default", parameters.row("Parameter", "layer45.local.port").get("Set by"));

        GogoSession.Table counters = GogoSession.modinfoTable(info, "counters:", "Send", "Recv");
        assertEquals(List.of("chunks", "bytes in", "bytes out", "customized", "passed", "dropped", "held",
                "held bytes discarded", "errors", "faults"), counters.column("Counter"));
        assertEquals(List.of("0"), counters.column("Send").stream().distinct().toList(), counters.text());

        try (DriverFlow flow = echoFlow(osgi)) {
            flow.send(bytes("hello"));
            info = shell.run("l45:modinfo " + CLIENT);
            assertEquals("LIVE, active, priority 1000, used by 1 flow", GogoSession.modinfoFields(info).get("state"));
            counters = GogoSession.modinfoTable(info, "counters:", "Send", "Recv");
            assertEquals("1", counters.row("Counter", "chunks").get("Send"), counters.text());
            assertEquals("5", counters.row("Counter", "bytes in").get("Send"), counters.text());
            assertEquals(Integer.toString("<start>hello<end>".length()),
                    counters.row("Counter", "bytes out").get("Send"), counters.text());
            assertEquals("1", counters.row("Counter", "customized").get("Send"), counters.text());
            assertEquals("0", counters.row("Counter", "chunks").get("Recv"), counters.text());
        }

        Exception unknown = shell.fail("l45:modinfo nope");
        assertEquals("no module named 'nope' is loaded; list them with lsmod", unknown.getMessage());
        assertEquals(ErrorCode.UNKNOWN_MODULE, assertInstanceOf(Layer45Exception.class, unknown).code());
    }

    // ---------------------------------------------------------------------------------------------------------
    // insmod

    @Test
    void insmodLoadsAJarWithParametersAppliedAtLoadAndSaysWhyItCannot() throws Exception {
        OsgiFixture osgi = track(OsgiFixture.startWithoutModules(Map.of()));
        GogoSession shell = shell(osgi);
        Path jar = echoTagJar();
        shell.cd(scratch);

        Exception missing = shell.fail("l45:insmod missing.jar");
        assertInstanceOf(IllegalArgumentException.class, missing);
        assertEquals("no file " + scratch.resolve("missing.jar") + " (relative paths start at the current directory, "
                + scratch + "): give the jar's path, such as insmod /path/to/module.jar", missing.getMessage());

        Exception port = shell.fail("l45:insmod " + jar + " remote.port=70000");
        assertEquals("module 'echo-tag-client': layer45.remote.port: '70000' is not a port (1-65535); nothing was"
                + " installed", port.getMessage());
        assertEquals(ErrorCode.INVALID_PARAMETER, assertInstanceOf(Layer45Exception.class, port).code());
        assertNothingLoaded(osgi, shell);

        Exception noModule = shell.fail("l45:insmod " + jar + " nope:priority=1");
        assertEquals("'nope:priority': this jar has no module named 'nope'; it provides echo-tag-client,"
                + " echo-tag-server", noModule.getMessage());
        assertNothingLoaded(osgi, shell);

        Exception typo = shell.fail("l45:insmod " + jar + " start_tag=x");
        assertEquals("'start_tag' is not a parameter of module 'echo-tag-client'; its own are start.tag, end.tag, and"
                + " the runtime's are protocol, process, thread, remote.address, remote.port, local.address, local.port,"
                + " priority, active, apply.now; nothing was installed", typo.getMessage());
        assertEquals(ErrorCode.INVALID_PARAMETER, assertInstanceOf(Layer45Exception.class, typo).code());
        assertNothingLoaded(osgi, shell);

        Files.writeString(scratch.resolve("garbage.jar"), "this is not a jar");
        Exception garbage = shell.fail("l45:insmod garbage.jar");
        assertEquals("garbage.jar refused: it is not a jar: it has no entries (is it a zip file at all?)",
                garbage.getMessage());
        assertEquals(ErrorCode.REFUSED, assertInstanceOf(Layer45Exception.class, garbage).code());
        assertNothingLoaded(osgi, shell);

        String loaded = shell.run("l45:insmod " + jar + " priority=7 'echo-tag-client:remote.port=7777'"
                + " 'start.tag=[['");
        assertEquals("""
                echo-tag-client LIVE priority 7 target tcp,udp remote *:7777
                echo-tag-server LIVE priority 7 target tcp,udp local *:65432""", loaded);
        GogoSession.Table lsmod = lsmod(shell);
        assertEquals(List.of("7", "7"), lsmod.column("Priority"), lsmod.text());
        assertEquals(List.of("LIVE", "LIVE"), lsmod.column("State"), lsmod.text());

        String info = shell.run("l45:modinfo " + CLIENT);
        assertEquals(jar + " (insmod, " + Files.size(jar) + " bytes)", GogoSession.modinfoFields(info).get("source"));
        assertTrue(Pattern.compile("[0-9a-f]{64}").matcher(GogoSession.modinfoFields(info).get("sha256")).matches(), info);
        GogoSession.Table parameters = GogoSession.modinfoTable(info, "parameters:");
        assertEquals(List.of("7777", "operator"), valueAndSetter(parameters, "layer45.remote.port"));
        assertEquals(List.of("7", "operator"), valueAndSetter(parameters, "layer45.priority"));
        assertEquals(List.of("[[", "operator"), valueAndSetter(parameters, "start.tag"));
        assertEquals(List.of("<end>", "default"), valueAndSetter(parameters, "end.tag"));
        GogoSession.Table server = GogoSession.modinfoTable(shell.run("l45:modinfo " + SERVER), "parameters:");
        assertEquals(List.of("any", "default"), valueAndSetter(server, "layer45.remote.port"),
                "MODULE:key is for that module only");
        assertEquals(List.of("[[", "operator"), valueAndSetter(server, "start.tag"), "key=value is for every module");

        try (DriverFlow tagged = open(osgi, Transport.TCP, "127.0.0.1:50000", "127.0.0.1:7777");
                DriverFlow echo = echoFlow(osgi);
                DriverFlow served = open(osgi, Transport.TCP, ECHO_PEER, "127.0.0.1:50002")) {
            assertEquals("[[to 7777<end>", text(tagged.send(bytes("to 7777"))), "the parameters were applied at load");
            assertEquals("to 65432", text(echo.send(bytes("to 65432"))), "65432 is no longer the client's port");
            assertEquals("[[served<end>", text(served.send(bytes("served"))));
            GogoSession.Table sockets = sockets(shell);
            assertEquals(CLIENT, sockets.row("Remote", "127.0.0.1:7777").get("Modules"), sockets.text());
            assertEquals("-", sockets.row("Remote", ECHO_PEER).get("Modules"), sockets.text());
            assertEquals(SERVER, sockets.row("Local", ECHO_PEER).get("Modules"), sockets.text());
        }

        long bundleId = echoTagBundles(osgi).getFirst().getBundleId();
        Exception again = shell.fail("l45:insmod " + jar + " priority=7");
        assertEquals("echo-tag.jar is already loaded (bundle " + bundleId + "); rmmod its modules first, or change"
                + " parameters with param", again.getMessage());
        assertEquals(ErrorCode.INVALID_STATE, assertInstanceOf(Layer45Exception.class, again).code());
        assertEquals(1, echoTagBundles(osgi).size(), "no second bundle");
        assertEquals(List.of("7", "7"), lsmod(shell).column("Priority"), "the loaded modules kept their parameters");
    }

    @Test
    void insmodLoadsAJarAgainRightAfterRmmodUnloadedAllItsModules() throws Exception {
        OsgiFixture osgi = track(OsgiFixture.startWithoutModules(Map.of()));
        GogoSession shell = shell(osgi);
        String loaded = """
                echo-tag-client LIVE priority 1000 target tcp,udp remote *:65432
                echo-tag-server LIVE priority 1000 target tcp,udp local *:65432""";
        for (int round = 0; round < 3; round++) { // the deployer tidies up every 250 ms: each round is sooner
            assertEquals(loaded, shell.run("l45:insmod " + echoTagJar()), "round " + round);
            assertEquals("echo-tag-client unloaded\necho-tag-server unloaded",
                    shell.run("l45:rmmod " + CLIENT + " " + SERVER));
        }
        assertEquals(loaded, shell.run("l45:insmod " + echoTagJar()));
        assertEquals(1, echoTagBundles(osgi).size(), "the unloaded bundles went");
    }

    @Test
    void insmodTakesAPathRelativeToTheSessionsDirectory() throws Exception {
        OsgiFixture osgi = track(OsgiFixture.startWithoutModules(Map.of()));
        GogoSession shell = shell(osgi);
        Path jars = Files.createDirectories(scratch.resolve("jars"));
        Files.copy(echoTagJar(), jars.resolve("echo-tag.jar"));
        shell.cd(scratch);

        assertEquals("""
                echo-tag-client LIVE priority 1000 target tcp,udp remote *:65432
                echo-tag-server LIVE priority 1000 target tcp,udp local *:65432""",
                shell.run("l45:insmod jars/../jars/echo-tag.jar"));
        assertEquals(jars.resolve("echo-tag.jar") + " (insmod, " + Files.size(echoTagJar()) + " bytes)",
                GogoSession.modinfoFields(shell.run("l45:modinfo " + SERVER)).get("source"));
    }

    // ---------------------------------------------------------------------------------------------------------
    // param

    @Test
    void paramChangesAModuleLiveAndAnEmptyValueRemovesTheOperatorsValue() throws Exception {
        OsgiFixture osgi = boot();
        GogoSession shell = shell(osgi);
        try (DriverFlow before = echoFlow(osgi)) {
            assertEquals("<start>a<end>", text(before.send(bytes("a"))));

            assertEquals("echo-tag-client LIVE priority 3 target tcp,udp remote *:65432",
                    shell.run("l45:param " + CLIENT + " priority=3 'start.tag=<<'"));
            GogoSession.Table lsmod = lsmod(shell);
            assertEquals("3", lsmod.row("Module", CLIENT).get("Priority"), lsmod.text());
            assertEquals("1000", lsmod.row("Module", SERVER).get("Priority"), lsmod.text());
            GogoSession.Table parameters = GogoSession.modinfoTable(shell.run("l45:modinfo " + CLIENT), "parameters:");
            assertEquals(List.of("3", "operator"), valueAndSetter(parameters, "layer45.priority"));
            assertEquals(List.of("<<", "operator"), valueAndSetter(parameters, "start.tag"));

            // The module's own configuration reaches it through Configuration Admin, asynchronously.
            awaitFirstTag(osgi, "<<");
            assertEquals("<start>b<end>", text(before.send(bytes("b"))), "an open flow keeps the tags it began with");

            assertEquals("echo-tag-client LIVE priority 1000 target tcp,udp remote *:65432",
                    shell.run("l45:param " + CLIENT + " priority="));
            assertEquals("1000", lsmod(shell).row("Module", CLIENT).get("Priority"));
            parameters = GogoSession.modinfoTable(shell.run("l45:modinfo " + CLIENT), "parameters:");
            assertEquals(List.of("1000", "module"), valueAndSetter(parameters, "layer45.priority"));
            assertEquals(List.of("<<", "operator"), valueAndSetter(parameters, "start.tag"));

            shell.run("l45:param " + CLIENT + " 'start.tag='");
            assertEquals(List.of("<start>", "default"), valueAndSetter(
                    GogoSession.modinfoTable(shell.run("l45:modinfo " + CLIENT), "parameters:"), "start.tag"));
            awaitFirstTag(osgi, "<start>");
        }

        Map<String, String> errors = new LinkedHashMap<>();
        errors.put("prio", "'prio': parameters are key=value, such as priority=10");
        // quoted: unquoted, Gogo splits a leading '=' off as a token of its own, and the command sees '=' and '5'
        errors.put("'=5'", "'=5': parameters are key=value, such as priority=10 (the key is missing)");
        errors.put("priority=1 layer45.priority=2", "'layer45.priority' is given twice: give each parameter once");
        errors.put("priority=abc", "module 'echo-tag-client': layer45.priority: 'abc' is not a whole number"
                + " (0-65535); nothing was changed");
        errors.put("priority=70000", "module 'echo-tag-client': layer45.priority: 70000 is out of range (0-65535);"
                + " nothing was changed");
        errors.put("remote.port=70000", "module 'echo-tag-client': layer45.remote.port: '70000' is not a port"
                + " (1-65535); nothing was changed");
        errors.put("active=maybe", "module 'echo-tag-client': layer45.active: 'maybe' is not true or false;"
                + " nothing was changed");
        errors.put("start_tag=x", "module 'echo-tag-client': 'start_tag' is not a parameter of module"
                + " 'echo-tag-client'; its own are start.tag, end.tag, and the runtime's are protocol, process, thread,"
                + " remote.address, remote.port, local.address, local.port, priority, active, apply.now");
        errors.put("layer45.deprecated=false", "'layer45.deprecated' is not a parameter of the runtime; known:"
                + " layer45.protocol, layer45.process, layer45.thread, layer45.remote.address, layer45.remote.port,"
                + " layer45.local.address, layer45.local.port, layer45.priority, layer45.active, layer45.apply.now;"
                + " nothing was changed");
        errors.put("", "no parameters given: parameters are key=value, such as priority=10, as in param"
                + " echo-tag-client priority=10");
        errors.forEach((arguments, message) -> assertEquals(message,
                shell.fail("l45:param " + CLIENT + " " + arguments).getMessage(), arguments));
        Exception notRuntime = shell.fail("l45:param " + CLIENT + " layer45.nope=1");
        assertEquals("'layer45.nope' is not a parameter of the runtime; known: layer45.protocol, layer45.process,"
                + " layer45.thread, layer45.remote.address, layer45.remote.port, layer45.local.address,"
                + " layer45.local.port, layer45.priority, layer45.active, layer45.apply.now; nothing was changed",
                notRuntime.getMessage());
        assertEquals("no module named 'nope' is loaded; list them with lsmod",
                shell.fail("l45:param nope priority=1").getMessage());

        String info = shell.run("l45:modinfo " + CLIENT);
        assertEquals("LIVE, active, priority 1000, used by 0 flows", GogoSession.modinfoFields(info).get("state"), "nothing changed");
        assertEquals("tcp,udp remote *:65432", GogoSession.modinfoFields(info).get("target"), "nothing changed");
    }

    // ---------------------------------------------------------------------------------------------------------
    // activate, deactivate, priority, deprecate

    @Test
    void deactivateActivatePriorityAndDeprecateChangeWhatFlowsGet() throws Exception {
        OsgiFixture osgi = boot();
        GogoSession shell = shell(osgi);
        try (DriverFlow flow = echoFlow(osgi)) {
            assertEquals("<start>a<end>", text(flow.send(bytes("a"))));

            assertEquals("echo-tag-client LIVE inactive priority 1000 target tcp,udp remote *:65432",
                    shell.run("l45:deactivate " + CLIENT));
            assertEquals("b", text(flow.send(bytes("b"))), "an inactive module stays attached but is not called");
            Map<String, String> row = lsmod(shell).row("Module", CLIENT);
            assertEquals(List.of("LIVE", "no", "1"), List.of(row.get("State"), row.get("Active"), row.get("Used")));
            assertEquals("LIVE, inactive, priority 1000, used by 1 flow",
                    GogoSession.modinfoFields(shell.run("l45:modinfo " + CLIENT)).get("state"));
            assertEquals(CLIENT, sockets(shell).row("Remote", ECHO_PEER).get("Modules"), "still attached");

            assertEquals("echo-tag-client LIVE priority 1000 target tcp,udp remote *:65432",
                    shell.run("l45:activate " + CLIENT));
            assertEquals("<start>c<end>", text(flow.send(bytes("c"))));
            assertEquals("yes", lsmod(shell).row("Module", CLIENT).get("Active"));

            assertEquals("echo-tag-client LIVE priority 10 target tcp,udp remote *:65432",
                    shell.run("l45:priority " + CLIENT + " 10"));
            assertEquals("10", lsmod(shell).row("Module", CLIENT).get("Priority"));
            assertEquals(List.of("10", "operator"), valueAndSetter(
                    GogoSession.modinfoTable(shell.run("l45:modinfo " + CLIENT), "parameters:"), "layer45.priority"));
            for (String wrong : List.of("high", "65536", "-1")) {
                Exception e = shell.fail("l45:priority " + SERVER + " " + wrong);
                assertInstanceOf(IllegalArgumentException.class, e);
                assertEquals("priority is a number from 0 to 65535, lower runs first, not '" + wrong + "': priority "
                        + SERVER + " 10", e.getMessage());
            }
            assertEquals("1000", lsmod(shell).row("Module", SERVER).get("Priority"));

            assertEquals("echo-tag-client DEPRECATED priority 10 target tcp,udp remote *:65432",
                    shell.run("l45:deprecate " + CLIENT));
            row = lsmod(shell).row("Module", CLIENT);
            assertEquals(List.of("DEPRECATED", "yes", "1"), List.of(row.get("State"), row.get("Active"),
                    row.get("Used")));
            Map<String, String> info = GogoSession.modinfoFields(shell.run("l45:modinfo " + CLIENT));
            assertEquals("DEPRECATED, active, priority 10, used by 1 flow", info.get("state"));
            assertTrue(INSTANT.matcher(info.get("deprecated")).matches(), info.toString());
            assertEquals("<start>d<end>", text(flow.send(bytes("d"))), "a deprecated module keeps its flows");
            try (DriverFlow fresh = echoFlow(osgi)) {
                assertEquals("e", text(fresh.send(bytes("e"))), "and attaches to no new ones");
                GogoSession.Table sockets = sockets(shell);
                assertEquals(CLIENT, sockets.row("ID", Long.toString(flow.tapped().id())).get("Modules"),
                        sockets.text());
                assertEquals("-", sockets.row("ID", Long.toString(fresh.tapped().id())).get("Modules"),
                        sockets.text());
            }
        }
        for (String command : List.of("activate", "deactivate", "deprecate")) {
            assertEquals("no module named 'nope' is loaded; list them with lsmod",
                    shell.fail("l45:" + command + " nope").getMessage(), command);
        }
        assertEquals("no module named 'nope' is loaded; list them with lsmod",
                shell.fail("l45:priority nope 5").getMessage());
    }

    // ---------------------------------------------------------------------------------------------------------
    // rmmod

    @Test
    void rmmodIsRefusedWhileFlowsUseAModuleUnlessForced() throws Exception {
        OsgiFixture osgi = boot();
        GogoSession shell = shell(osgi);
        try (DriverFlow flow = echoFlow(osgi)) {
            assertEquals("<start>a<end>", text(flow.send(bytes("a"))));

            Exception inUse = shell.fail("l45:rmmod " + CLIENT);
            assertEquals("module 'echo-tag-client' is used by 1 flow; wait for them to close, or force the unload"
                    + " (rmmod -f), which detaches them and lets them go on uncustomized", inUse.getMessage());
            assertEquals(ErrorCode.MODULE_IN_USE, assertInstanceOf(Layer45Exception.class, inUse).code());
            assertEquals("LIVE", lsmod(shell).row("Module", CLIENT).get("State"), "still loaded");
            assertEquals("<start>b<end>", text(flow.send(bytes("b"))));

            assertEquals("echo-tag-client unloaded", shell.run("l45:rmmod -f " + CLIENT));
            assertEquals("c", text(flow.send(bytes("c"))), "the flow goes on, uncustomized");
            assertEquals("-", sockets(shell).row("Remote", ECHO_PEER).get("Modules"));
            assertEquals(List.of(SERVER), lsmod(shell).column("Module"));
        }
        assertEquals("echo-tag-server unloaded", shell.run("l45:rmmod " + SERVER), "unused: no force needed");
        assertEquals("""
                Module  Size  Used  Dependencies  State  Active  Priority  Version  Errors
                (none)""", shell.run("l45:lsmod"));
        assertEquals("no module named 'echo-tag-client' is loaded; list them with lsmod",
                shell.fail("l45:rmmod " + CLIENT).getMessage());
        assertEquals("no module named 'echo-tag-client' is loaded; list them with lsmod",
                shell.fail("l45:rmmod --force " + CLIENT).getMessage());
    }

    // ---------------------------------------------------------------------------------------------------------
    // sockets and stats

    @Test
    void socketsAndStatsAddUpWithWhatTheFlowsDid() throws Exception {
        OsgiFixture osgi = boot();
        GogoSession shell = shell(osgi);
        assertEquals("""
                ID  Proto  Local  Remote  PID/TGID  Process/Thread  Modules  Send chunks/bytes  Recv chunks/bytes
                0 open flows""", shell.run("l45:sockets"));

        try (DriverFlow client = echoFlow(osgi);
                DriverFlow server = open(osgi, Transport.UDP, ECHO_PEER, "127.0.0.1:50002")) {
            assertEquals("<start>hello<end>", text(client.send(bytes("hello"))));
            assertEquals("pong", text(client.recv(bytes("<start>pong<end>"))));
            assertEquals("<start>hi<end>", text(server.send(bytes("hi"))));
            assertEquals("yo", text(server.recv(bytes("<start>yo<end>"))));
            assertEquals("<start>!<end>", text(server.send(bytes("!"))), "every datagram is tagged");

            String out = shell.run("l45:sockets");
            List<String> lines = out.lines().toList();
            assertEquals("2 open flows", lines.getLast(), out);
            GogoSession.Table sockets = GogoSession.Table.parse(String.join("\n", lines.subList(0, lines.size() - 1)),
                    SOCKETS_NUMBERS);
            assertEquals(List.of("ID", "Proto", "Local", "Remote", "PID/TGID", "Process/Thread", "Modules",
                    "Send chunks/bytes", "Recv chunks/bytes"), sockets.columns());
            assertEquals(List.of(Long.toString(client.tapped().id()), Long.toString(server.tapped().id())),
                    sockets.column("ID"), "in the order opened: " + out);
            assertEquals(socketRow(client.tapped().id(), "tcp", "127.0.0.1:50000", ECHO_PEER, CLIENT, "1/5", "1/16"),
                    sockets.rows().get(0));
            assertEquals(socketRow(server.tapped().id(), "udp", ECHO_PEER, "127.0.0.1:50002", SERVER, "2/3", "1/14"),
                    sockets.rows().get(1));

            Map<String, String> stats = stats(shell);
            assertEquals("2", stats.get("modules"));
            assertEquals("0", stats.get("refusals"));
            assertEquals("2", stats.get("open flows"));
            assertEquals("2", stats.get("flows opened"));
            assertEquals("0", stats.get("flows aborted"));
            assertEquals("0", stats.get("auto-deactivations"));
            long sentByApps = client.applicationSent() + server.applicationSent();
            assertEquals(Long.toString(sentByApps), stats.get("send bytes in"), "what the applications wrote");
            assertEquals(Integer.toString(client.wire().length + server.wire().length), stats.get("send bytes out"),
                    "what reached the network");
            assertEquals("3", stats.get("send chunks"));
            assertEquals(Integer.toString("<start>pong<end>".length() + "<start>yo<end>".length()),
                    stats.get("recv bytes in"), "what the peers sent");
            assertEquals(Integer.toString(client.app().length + server.app().length), stats.get("recv bytes out"),
                    "what the applications got");
            assertEquals("2", stats.get("recv chunks"));
            assertEquals(stats.get("send chunks"), Long.toString(Long.parseLong(stats.get("send customized"))
                    + Long.parseLong(stats.get("send passed"))), "every chunk sent was customized or passed");
            for (String direction : List.of("send", "recv")) {
                for (String counter : List.of("dropped", "held", "held bytes discarded", "errors", "faults")) {
                    assertEquals("0", stats.get(direction + " " + counter), direction + " " + counter);
                }
            }
        }
        String out = shell.run("l45:sockets");
        assertEquals("0 open flows", out.lines().toList().getLast(), out);
        Map<String, String> stats = stats(shell);
        assertEquals("0", stats.get("open flows"));
        assertEquals("2", stats.get("flows opened"), "a total: closed flows still count");

        String text = shell.run("l45:stats");
        String[] parts = text.split("\n\n");
        assertEquals(3, parts.length, "counters, settings, autoload folder, a blank line apart: " + text);
        GogoSession.Table settings = GogoSession.Table.parse(parts[1]);
        assertEquals(List.of("Setting", "Value"), settings.columns());
        Map<String, String> expected = new LinkedHashMap<>();
        expected.put("max.chain", "5");
        expected.put("call.budget.ms", "1000");
        expected.put("fault.budget", "10");
        expected.put("fault.window.s", "60");
        expected.put("output.limit", "1048576");
        expected.put("hold.limit", "262144");
        Map<String, String> shown = new LinkedHashMap<>();
        settings.rows().forEach(r -> shown.put(r.get("Setting"), r.get("Value")));
        assertEquals(expected, shown, "the defaults (this framework has no configuration file)");
        assertEquals("autoload folder: " + osgi.autoload(), parts[2]);
    }

    // ---------------------------------------------------------------------------------------------------------
    // help

    @Test
    void helpDescribesEveryCommand() throws Exception {
        OsgiFixture osgi = boot();
        osgi.installAndStart(OsgiFixture.bundleDirectory().resolve("org.apache.felix.gogo.command.jar"));
        GogoSession shell = shell(osgi);

        String rmmod = OsgiFixture.await("help to know l45:rmmod", () -> {
            String text = shell.run("help l45:rmmod");
            return text.startsWith("rmmod") ? text : null;
        });
        assertEquals("""
                rmmod - unload modules, every version of each; refused while flows use them, unless forced
                   scope: l45
                   flags:
                      -f, --force   force: detach them from the flows using them, which go on uncustomized
                   parameters:
                      String[]   module names, as lsmod lists them""", rmmod.strip());
        assertEquals(rmmod, shell.run("help rmmod"), "the scope may be left out");

        String insmod = shell.run("help l45:insmod");
        assertTrue(insmod.contains("insmod - load a customization jar and start its modules"), insmod);
        assertTrue(insmod.contains("insmod - load a customization jar with parameters and start its modules"), insmod);
        assertTrue(insmod.contains("MODULE:key=value sets one for one module of the jar"), insmod);
        assertFalse(insmod.contains("CommandSession"), "the session is Gogo's, not a parameter: " + insmod);

        List<String> all = shell.run("help").lines().filter(l -> l.startsWith("l45:")).toList();
        assertEquals(List.of("l45:activate", "l45:deactivate", "l45:deprecate", "l45:insmod", "l45:lsmod",
                "l45:modinfo", "l45:param", "l45:priority", "l45:rmmod", "l45:sockets", "l45:stats"), all);
        for (String command : all) {
            String help = shell.run("help " + command);
            assertTrue(help.startsWith(command.substring(4) + " - "), "described: " + help);
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // helpers

    private <T extends AutoCloseable> T track(T closeable) {
        open.add(closeable);
        return closeable;
    }

    private OsgiFixture boot() {
        return track(OsgiFixture.start());
    }

    /** @return a session in which the l45 commands are registered */
    private GogoSession shell(OsgiFixture osgi) {
        GogoSession shell = track(new GogoSession(osgi.context()));
        OsgiFixture.await("the l45 commands", () -> {
            try {
                return shell.execute("l45:lsmod") != null;
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        return shell;
    }

    private static Path echoTagJar() {
        return OsgiFixture.bundleDirectory().resolve("echo-tag.jar");
    }

    private DriverFlow open(OsgiFixture osgi, Transport transport, String local, String remote) {
        return track(osgi.driver().open(InMemoryFlowDriver.flow(transport, "python3", local, remote)));
    }

    private DriverFlow echoFlow(OsgiFixture osgi) {
        return open(osgi, Transport.TCP, "127.0.0.1:50000", ECHO_PEER);
    }

    /** Opens fresh flows to the echo port until one is tagged with {@code start}. */
    private static void awaitFirstTag(OsgiFixture osgi, String start) {
        OsgiFixture.until("new flows to be tagged " + start, () -> {
            try (DriverFlow probe = osgi.driver().open(InMemoryFlowDriver.flow(Transport.TCP, "python3",
                    "127.0.0.1:50001", ECHO_PEER))) {
                return text(probe.send(bytes("x"))).equals(start + "x<end>");
            }
        });
    }

    private static GogoSession.Table lsmod(GogoSession shell) {
        return GogoSession.Table.parse(shell.run("l45:lsmod"), LSMOD_NUMBERS);
    }

    private static GogoSession.Table sockets(GogoSession shell) {
        String out = shell.run("l45:sockets");
        List<String> lines = out.lines().toList();
        return GogoSession.Table.parse(String.join("\n", lines.subList(0, lines.size() - 1)), SOCKETS_NUMBERS);
    }

    /** @return the counters of {@code stats}, by name */
    private static Map<String, String> stats(GogoSession shell) {
        String counters = shell.run("l45:stats").split("\n\n")[0];
        Map<String, String> values = new LinkedHashMap<>();
        GogoSession.Table.parse(counters, "Value").rows().forEach(r -> values.put(r.get("Counter"), r.get("Value")));
        return values;
    }

    private static Map<String, String> socketRow(long id, String protocol, String local, String remote,
            String modules, String send, String recv) {
        Map<String, String> row = new LinkedHashMap<>();
        row.put("ID", Long.toString(id));
        row.put("Proto", protocol);
        row.put("Local", local);
        row.put("Remote", remote);
        row.put("PID/TGID", "4242/4242");
        row.put("Process/Thread", "python3/python3");
        row.put("Modules", modules);
        row.put("Send chunks/bytes", send);
        row.put("Recv chunks/bytes", recv);
        return row;
    }

    private static List<String> valueAndSetter(GogoSession.Table parameters, String name) {
        Map<String, String> row = parameters.row("Parameter", name);
        return List.of(row.get("Value"), row.get("Set by"));
    }

    private static void assertNothingLoaded(OsgiFixture osgi, GogoSession shell) {
        assertEquals("""
                Module  Size  Used  Dependencies  State  Active  Priority  Version  Errors
                (none)""", shell.run("l45:lsmod"));
        assertEquals(List.of(), echoTagBundles(osgi), "no bundle left behind");
    }

    private static List<Bundle> echoTagBundles(OsgiFixture osgi) {
        return Stream.of(osgi.context().getBundles()).filter(b -> "echo-tag".equals(b.getSymbolicName())).toList();
    }

    /** A jar that is not a bundle: its manifest has no Bundle-SymbolicName. */
    private static Path plainJar(Path jar) throws IOException {
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().putValue("Manifest-Version", "1.0");
        try (OutputStream o = Files.newOutputStream(jar); JarOutputStream out = new JarOutputStream(o, manifest)) {
            out.putNextEntry(new JarEntry("hello.txt"));
            out.write("a plain jar, not a bundle".getBytes(StandardCharsets.UTF_8));
        }
        return jar;
    }

    /** Copies a jar into a watched folder the safe way: a hidden temporary name, then an atomic rename. */
    private static void drop(Path jar, Path target) throws IOException {
        Path hidden = target.resolveSibling("." + target.getFileName() + ".part");
        Files.copy(jar, hidden, StandardCopyOption.REPLACE_EXISTING);
        Files.move(hidden, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    private static byte[] bytes(String text) {
        return Bytes.ascii(text);
    }

    private static String text(byte[] bytes) {
        return Bytes.text(bytes);
    }
}
