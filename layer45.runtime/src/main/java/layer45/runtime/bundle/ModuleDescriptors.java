package layer45.runtime.bundle;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Enumeration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.function.Function;

import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;

import org.osgi.framework.Bundle;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;
import org.xml.sax.SAXException;
import org.xml.sax.helpers.DefaultHandler;

/**
 * What a module bundle's descriptors say about its modules' own configuration: the configuration PIDs its
 * Declarative Services components declare, and the properties its Metatype documents describe for them
 * ({@code OSGI-INF/metatype/*.xml}, read straight from the bundle, so no Metatype service is needed). Descriptors
 * come from operators' jars: they are parsed without DTDs or external entities.
 */
public final class ModuleDescriptors {

    private ModuleDescriptors() {
    }

    /**
     * One configuration property a module declares.
     *
     * @param name the property name
     * @param description what it does, or its label when there is no description, or ""
     * @param defaultValue its default, or "" when it has none
     */
    public record Option(String name, String description, String defaultValue) {
    }

    /**
     * @param bundle the module's bundle (installed is enough)
     * @param module the module's (component's) name
     * @return the properties the bundle's Metatype declares for the module's configuration, in declaration order;
     *         empty if it declares none
     * @throws IOException if a descriptor cannot be read
     * @throws SAXException if a descriptor is not XML
     */
    public static List<Option> options(Bundle bundle, String module) throws IOException, SAXException {
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
        return List.of();
    }

    /**
     * @param bundle the module's bundle
     * @param module the module's (component's) name
     * @return the module's name, then the configuration PIDs its component declares
     * @throws IOException if a descriptor cannot be read
     * @throws SAXException if a descriptor is not XML
     */
    public static Set<String> pids(Bundle bundle, String module) throws IOException, SAXException {
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
    public static List<Option> options(InputStream document, Collection<String> pids,
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
    public static List<String> configurationPids(InputStream componentDescription, String module)
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

    /**
     * @param root an element
     * @param localName a local name
     * @return the element and its descendants with this local name (any namespace, or none)
     */
    public static List<Element> elements(Element root, String localName) {
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

    /**
     * Parses an XML descriptor from a module jar: namespace aware, no DTDs, no external entities, nothing printed.
     *
     * @param in the document
     * @return the document
     * @throws IOException if it cannot be read
     * @throws SAXException if it is not XML, or declares a DTD
     */
    public static Document parse(InputStream in) throws IOException, SAXException {
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
