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
            List<String> pids = new ArrayList<>(pids(bundle, module));
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
            Set<String> pids = pids(bundle, module);
            Enumeration<URL> documents = bundle.findEntries("OSGI-INF/metatype", "*.xml", false);
            while (documents != null && documents.hasMoreElements()) {
                try (InputStream in = documents.nextElement().openStream()) {
                    List<Option> options = options(in, pids, localization -> properties(bundle, localization));
                    if (!options.isEmpty()) {
                        return options;
                    }
                }
            }
        } catch (IOException | SAXException | RuntimeException e) {
            LOG.log(Level.FINE, "cannot read the metatype of module " + module, e);
        }
        return List.of();
    }

    /** @return the module's name, then the configuration PIDs its component declares */
    private static Set<String> pids(Bundle bundle, String module) throws IOException, SAXException {
        Set<String> pids = new LinkedHashSet<>();
        pids.add(module);
        for (URL url : componentDescriptions(bundle)) {
            try (InputStream in = url.openStream()) {
                pids.addAll(configurationPids(in, module));
            }
        }
        return pids;
    }

    /**
     * Reads the options of one configuration out of a Metatype document.
     *
     * @param document a Metatype XML document
     * @param pids the configuration PIDs (or factory PIDs) of the module
     * @param localizations loads a localization file by base name ({@code OSGI-INF/l10n/...}); null if absent
     * @return the attributes of the first object class designated for one of the PIDs, or whose id is one
     * @throws IOException if the document cannot be read
     * @throws SAXException if it is not XML
     */
    static List<Option> options(InputStream document, Collection<String> pids,
            Function<String, Properties> localizations) throws IOException, SAXException {
        Element root = parse(document).getDocumentElement();
        Properties texts = null;
        String localization = root.getAttribute("localization");
        if (!localization.isEmpty() && localizations != null) {
            texts = localizations.apply(localization);
        }
        Set<String> ocds = new LinkedHashSet<>();
        for (Element designate : elements(root, "Designate")) {
            if (pids.contains(designate.getAttribute("pid")) || pids.contains(designate.getAttribute("factoryPid"))) {
                for (Element object : elements(designate, "Object")) {
                    ocds.add(object.getAttribute("ocdref"));
                }
            }
        }
        ocds.addAll(pids);
        for (String id : ocds) {
            for (Element ocd : elements(root, "OCD")) {
                if (id.equals(ocd.getAttribute("id"))) {
                    List<Option> options = new ArrayList<>();
                    for (Element ad : elements(ocd, "AD")) {
                        String description = text(ad.getAttribute("description"), texts);
                        if (description.isEmpty()) {
                            description = text(ad.getAttribute("name"), texts);
                        }
                        options.add(new Option(ad.getAttribute("id"), description, ad.getAttribute("default")));
                    }
                    return options;
                }
            }
        }
        return List.of();
    }

    /**
     * @param componentDescription a Declarative Services component description (XML)
     * @param module the component's name
     * @return the configuration PIDs the component declares, {@code $} read as its name; empty if it declares none
     * @throws IOException if the description cannot be read
     * @throws SAXException if it is not XML
     */
    static List<String> configurationPids(InputStream componentDescription, String module)
            throws IOException, SAXException {
        List<String> pids = new ArrayList<>();
        Document document = parse(componentDescription);
        for (Element component : elements(document.getDocumentElement(), "component")) {
            String declared = component.getAttribute("configuration-pid");
            if (module.equals(component.getAttribute("name")) && !declared.isBlank()) {
                for (String pid : declared.trim().split("\\s+")) {
                    pids.add(pid.equals("$") ? module : pid);
                }
            }
        }
        return pids;
    }

    private static List<URL> componentDescriptions(Bundle bundle) {
        List<URL> urls = new ArrayList<>();
        String header = bundle.getHeaders("").get("Service-Component");
        if (header == null) {
            return urls;
        }
        for (String entry : header.split(",")) {
            String path = entry.trim();
            int slash = path.lastIndexOf('/');
            if (path.indexOf('*') >= 0) {
                Enumeration<URL> found = bundle.findEntries(slash < 0 ? "/" : path.substring(0, slash),
                        path.substring(slash + 1), false);
                while (found != null && found.hasMoreElements()) {
                    urls.add(found.nextElement());
                }
            } else if (!path.isEmpty() && bundle.getEntry(path) != null) {
                urls.add(bundle.getEntry(path));
            }
        }
        return urls;
    }

    private static Properties properties(Bundle bundle, String base) {
        URL url = bundle.getEntry(base + ".properties");
        if (url == null) {
            return null;
        }
        Properties properties = new Properties();
        try (InputStream in = url.openStream()) {
            properties.load(in);
        } catch (IOException e) {
            return null;
        }
        return properties;
    }

    private static String text(String value, Properties texts) {
        if (!value.startsWith("%")) {
            return value;
        }
        String key = value.substring(1);
        return texts == null ? key : texts.getProperty(key, key);
    }

    /** @return the element and its descendants with this local name (any namespace, or none) */
    private static List<Element> elements(Element root, String localName) {
        List<Element> found = new ArrayList<>();
        if (localName.equals(name(root))) {
            found.add(root);
        }
        NodeList nodes = root.getElementsByTagNameNS("*", "*");
        for (int i = 0; i < nodes.getLength(); i++) {
            Node node = nodes.item(i);
            if (node instanceof Element e && localName.equals(name(e))) {
                found.add(e);
            }
        }
        return found;
    }

    private static String name(Element element) {
        return element.getLocalName() == null ? element.getTagName() : element.getLocalName();
    }

    private static Document parse(InputStream in) throws IOException, SAXException {
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setNamespaceAware(true);
            factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            factory.setXIncludeAware(false);
            factory.setExpandEntityReferences(false);
            DocumentBuilder builder = factory.newDocumentBuilder();
            builder.setErrorHandler(new DefaultHandler()); // fatal errors throw; nothing is printed
            return builder.parse(in);
        } catch (ParserConfigurationException e) {
            throw new IllegalStateException("the JDK's XML parser cannot be configured securely", e);
        }
    }
}
