package layer45.runtime.bundle;

import java.io.IOException;
import java.util.Collection;
import java.util.List;
import java.util.Set;

import layer45.runtime.module.ModuleSettings;

import org.osgi.framework.Bundle;
import org.xml.sax.SAXException;

/** Checks a module's own parameters against what its bundle declares, so a misspelling is an error, not a no-op. */
public final class OwnParameters {

    private OwnParameters() {
    }

    /**
     * @param bundle the module's bundle (installed is enough)
     * @param module the module's name
     * @param keys own parameters about to be set
     * @throws IllegalArgumentException naming the first key the module does not declare, with the ones it does;
     *         nothing is checked when the module declares no Metatype, since then nothing is known
     */
    public static void check(Bundle bundle, String module, Collection<String> keys) {
        List<ModuleDescriptors.Option> declared;
        try {
            declared = ModuleDescriptors.options(bundle, module);
        } catch (IOException | SAXException e) {
            return; // unreadable descriptors: the module's own code decides what it accepts
        }
        if (declared.isEmpty()) {
            return;
        }
        Set<String> names = Set.copyOf(declared.stream().map(ModuleDescriptors.Option::name).toList());
        for (String key : keys) {
            if (!names.contains(key)) {
                throw new IllegalArgumentException("'" + key + "' is not a parameter of module '" + module
                        + "'; its own are " + String.join(", ", declared.stream().map(ModuleDescriptors.Option::name)
                                .toList())
                        + ", and the runtime's are " + String.join(", ", ModuleSettings.PARAMETERS.stream()
                                .map(p -> p.substring(p.indexOf('.') + 1)).toList()));
            }
        }
    }
}
