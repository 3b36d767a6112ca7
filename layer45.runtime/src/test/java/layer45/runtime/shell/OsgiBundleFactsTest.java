package layer45.runtime.shell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.wiring.BundleRevision;
import org.osgi.framework.wiring.BundleWire;
import org.osgi.framework.wiring.BundleWiring;

/** Bundle facts read through the framework API, against fakes of it. */
class OsgiBundleFactsTest {

    @TempDir
    Path dir;

    @Test
    void dependenciesAreTheWiredProvidersOnceEachWithoutTheFramework() {
        Bundle framework = bundle(0, "org.apache.felix.framework", null);
        Bundle api = bundle(3, "layer45.api", null);
        Bundle scr = bundle(4, "org.apache.felix.scr", null);
        Bundle runtime = bundle(5, "layer45.runtime", null);
        List<BundleWire> wires = new ArrayList<>();
        for (Bundle provider : List.of(framework, api, scr, api, runtime, framework)) {
            wires.add(wire(provider));
        }
        BundleWiring wiring = Osgi.fake(BundleWiring.class, Map.of("getRequiredWires", args -> wires));
        Bundle module = bundle(7, "echo-tag", wiring);

        OsgiBundleFacts facts = new OsgiBundleFacts(context(module));

        assertEquals(List.of("layer45.api", "org.apache.felix.scr", "layer45.runtime"), facts.dependencies(7));
        assertEquals(List.of(), facts.dependencies(8));
    }

    @Test
    void theSizeIsTheInstalledJarsWhenItIsAFile() throws Exception {
        Path jar = Files.write(dir.resolve("echo tag.jar"), new byte[1234]);
        Bundle fromFile = Osgi.fake(Bundle.class, Map.of("getLocation", args -> jar.toUri().toString()));
        Bundle fromReference = Osgi.fake(Bundle.class, Map.of("getLocation", args -> "reference:" + jar.toUri()));
        Bundle fromElsewhere = Osgi.fake(Bundle.class, Map.of("getLocation", args -> "https://example.org/x.jar"));
        Map<Long, Bundle> bundles = Map.of(1L, fromFile, 2L, fromReference, 3L, fromElsewhere);
        BundleContext context = Osgi.fake(BundleContext.class, Map.of("getBundle", args -> bundles.get(args[0])));

        OsgiBundleFacts facts = new OsgiBundleFacts(context);

        assertEquals(1234, facts.size(1));
        assertEquals(1234, facts.size(2));
        assertEquals(-1, facts.size(3));
        assertEquals(-1, facts.size(4));
        assertEquals("", facts.location(4));
        assertEquals(jar, OsgiBundleFacts.file(jar.toString()));
        assertNull(OsgiBundleFacts.file("file:relative.jar"));
    }

    @Test
    void headersAreTheBundlesLocalizedHeaders() {
        Bundle module = Osgi.fake(Bundle.class, Map.of("getHeaders",
                args -> new Hashtable<>(Map.of("Bundle-Name", "layer45 echo tag"))));
        OsgiBundleFacts facts = new OsgiBundleFacts(context(module));
        assertEquals(Map.of("Bundle-Name", "layer45 echo tag"), facts.headers(7));
        assertEquals(Map.of(), facts.headers(8));
    }

    private static BundleContext context(Bundle module) {
        return Osgi.fake(BundleContext.class, Map.of("getBundle", args -> (Long) args[0] == 7 ? module : null));
    }

    private static Bundle bundle(long id, String symbolicName, BundleWiring wiring) {
        return Osgi.fake(Bundle.class, Map.of("getBundleId", args -> id, "getSymbolicName", args -> symbolicName,
                "adapt", args -> args[0] == BundleWiring.class ? wiring : null));
    }

    private static BundleWire wire(Bundle provider) {
        BundleRevision revision = Osgi.fake(BundleRevision.class, Map.of("getBundle", args -> provider));
        return Osgi.fake(BundleWire.class, Map.of("getProvider", args -> revision));
    }
}
