package layer45.runtime.shell;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Dictionary;
import java.util.Enumeration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;

import layer45.api.CustomizationService;
import layer45.runtime.bundle.ModuleDescriptors;
import layer45.runtime.bundle.ModuleDescriptors.Option;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;
import org.xml.sax.SAXException;
import org.xml.sax.helpers.DefaultHandler;

/**
 * {@link ModuleOptions} read straight from a bundle's Metatype documents ({@code OSGI-INF/metatype/*.xml}), so the
 * runtime needs no Metatype service: the object class designated for the module's configuration PID (its name,
 * or the {@code configuration-pid} its component declares), or the one whose id is that PID. Configured values
 * are that PID's configuration in Configuration Admin, where the runtime stores them.
 */
final class MetatypeOptions implements ModuleOptions {

    private static final Logger LOG = Logger.getLogger(MetatypeOptions.class.getName());

    private final BundleContext context;
    private final Supplier<ConfigurationAdmin> configurationAdmin;

    /**
     * @param context the commands' bundle context, used to find module bundles
     * @param configurationAdmin the Configuration Admin service, or null while there is none
     */
    MetatypeOptions(BundleContext context, Supplier<ConfigurationAdmin> configurationAdmin) {
        this.context = context;
        this.configurationAdmin = configurationAdmin;
    }

    @Override
    public Map<String, Object> configured(long bundleId, String module) {
        ConfigurationAdmin admin = configurationAdmin.get();
        Bundle bundle = context.getBundle(bundleId);
        if (admin == null || bundle == null) {
            return Map.of();
        }
        try {
            // the runtime stores under the first PID the component declares, which is its name by default
            List<String> pids = new ArrayList<>(ModuleDescriptors.pids(bundle, module));
            pids.remove(module);
            pids.add(module);
            for (String pid : pids) {
                // listing, unlike getConfiguration, creates nothing
                Configuration[] found = admin.listConfigurations("(service.pid=" + escape(pid) + ")");
                if (found != null && found.length > 0 && found[0].getProperties() != null) {
                    return own(found[0].getProperties());
                }
            }
        } catch (IOException | InvalidSyntaxException | SAXException | RuntimeException e) {
            LOG.log(Level.FINE, "cannot read the configuration of module " + module, e);
        }
        return Map.of();
    }

    /** @return the module's own properties in a configuration: not the framework's, nor the runtime's */
    static Map<String, Object> own(Dictionary<String, Object> properties) {
        Map<String, Object> own = new TreeMap<>();
        for (Enumeration<String> keys = properties.keys(); keys.hasMoreElements();) {
            String key = keys.nextElement();
            if (!key.startsWith("service.") && !key.startsWith("component.") && !key.startsWith("felix.")
                    && !key.startsWith(CustomizationService.PREFIX_)) {
                own.put(key, properties.get(key));
            }
        }
        return own;
    }

    private static String escape(String value) {
        return value.replaceAll("([\\\\*()])", "\\\\$1");
    }

    @Override
    public List<Option> options(long bundleId, String module) {
        Bundle bundle = context.getBundle(bundleId);
        if (bundle == null) {
            return List.of();
        }
        try {
            return ModuleDescriptors.options(bundle, module);
        } catch (IOException | SAXException | RuntimeException e) {
            LOG.log(Level.FINE, "cannot read the metatype of module " + module, e);
        }
        return List.of();
    }

}
