package layer45.runtime.shell;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.wiring.BundleWire;
import org.osgi.framework.wiring.BundleWiring;

/** {@link BundleFacts} read from the framework. */
final class OsgiBundleFacts implements BundleFacts {

    private final BundleContext context;

    /** @param context the commands' bundle context, used to find other bundles */
    OsgiBundleFacts(BundleContext context) {
        this.context = context;
    }

    @Override
    public Map<String, String> headers(long bundleId) {
        Bundle bundle = context.getBundle(bundleId);
        Map<String, String> headers = new LinkedHashMap<>();
        if (bundle != null) {
            Dictionary<String, String> dictionary = bundle.getHeaders();
            for (Enumeration<String> keys = dictionary.keys(); keys.hasMoreElements();) {
                String key = keys.nextElement();
                headers.put(key, dictionary.get(key));
            }
        }
        return headers;
    }

    @Override
    public long size(long bundleId) {
        Path jar = file(location(bundleId));
        if (jar == null) {
            return -1;
        }
        try {
            return Files.isRegularFile(jar) ? Files.size(jar) : -1;
        } catch (IOException | SecurityException e) {
            return -1;
        }
    }

    @Override
    public String location(long bundleId) {
        Bundle bundle = context.getBundle(bundleId);
        return bundle == null ? "" : bundle.getLocation();
    }

    @Override
    public List<String> dependencies(long bundleId) {
        Bundle bundle = context.getBundle(bundleId);
        BundleWiring wiring = bundle == null ? null : bundle.adapt(BundleWiring.class);
        if (wiring == null) {
            return List.of();
        }
        Set<String> names = new LinkedHashSet<>();
        List<BundleWire> wires = wiring.getRequiredWires(null);
        for (BundleWire wire : wires == null ? List.<BundleWire>of() : wires) {
            Bundle provider = wire.getProvider().getBundle();
            if (provider.getBundleId() != Constants.SYSTEM_BUNDLE_ID && provider.getBundleId() != bundleId) {
                String name = provider.getSymbolicName();
                names.add(name == null ? "bundle " + provider.getBundleId() : name);
            }
        }
        return new ArrayList<>(names);
    }

    /** @return the local file a location names ({@code file:}, {@code reference:file:} or a path), or null */
    static Path file(String location) {
        String l = location.startsWith("reference:") ? location.substring("reference:".length()) : location;
        try {
            if (l.startsWith("file:")) {
                return Path.of(URI.create(l));
            }
            if (l.startsWith("/")) {
                return Path.of(l);
            }
        } catch (IllegalArgumentException e) {
            // not a file URI we can read
        }
        return null;
    }
}
