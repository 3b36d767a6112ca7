package layer45.runtime.shell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import layer45.api.runtime.RefusalDTO;

import org.junit.jupiter.api.Test;

/** Modules refused from a jar whose other modules loaded still show in lsmod, while their refusal applies. */
class LsmodRefusalsTest {

    private static RefusalDTO refusal(String name, long bundleId, String reason) {
        RefusalDTO r = new RefusalDTO();
        r.name = name;
        r.bundleId = bundleId;
        r.bundleSymbolicName = "dns";
        r.reason = reason;
        return r;
    }

    @Test
    void aModuleRefusedFromAnInstalledBundleGetsARefusedRow() {
        Fakes.Bundles bundles = new Fakes.Bundles();
        bundles.headers.put(7L, Map.of("Bundle-SymbolicName", "echo-tag"));
        String lsmod = new Views(bundles, ModuleOptions.NONE).lsmod(List.of(Fakes.echoTagClient()), List.of(),
                List.of(refusal("echo-tag-extra", 7, "its parameters do not parse: layer45.remote.port: '70000'")));
        String row = lsmod.lines().filter(l -> l.startsWith("echo-tag-extra")).findFirst().orElse("");
        assertTrue(row.contains("REFUSED"), lsmod);
        assertTrue(row.endsWith("its parameters do not parse: layer45.remote.port: '70000'"), lsmod);
    }

    @Test
    void refusalsThatNoLongerApplyAreNotShown() {
        Fakes.Bundles bundles = new Fakes.Bundles();
        bundles.headers.put(7L, Map.of("Bundle-SymbolicName", "echo-tag"));
        String lsmod = new Views(bundles, ModuleOptions.NONE).lsmod(List.of(Fakes.echoTagClient()), List.of(), List.of(
                refusal("gone-bundle-module", 3, "from a bundle since uninstalled"),
                refusal("echo-tag-client", 7, "refused once, loaded later from the same bundle"),
                refusal("jar-refusal", -1, "a jar refused before it was installed: the deployments show it")));
        assertFalse(lsmod.contains("REFUSED"), lsmod);
        assertEquals(2, lsmod.lines().count(), "the header and echo-tag-client: " + lsmod);
    }
}
