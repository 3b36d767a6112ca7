package layer45.runtime.deploy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.Manifest;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;

import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import org.xml.sax.SAXException;

/**
 * What a customization jar is, read before it is installed: its bytes and hash, its bundle identity, the layer45 API
 * versions it accepts, and the customization components its Declarative Services descriptors declare (so
 * parameters can be given to them before they start).
 *
 * @param bytes the jar's content
 * @param sha256 its SHA-256, in hex
 * @param symbolicName its {@code Bundle-SymbolicName}, without directives
 * @param version its {@code Bundle-Version}, or "0.0.0"
 * @param apiRange its import range of {@code layer45.api}, or "" if it does not import it
 * @param customizations the components that provide {@code layer45.api.Customization}
 * @param protocols the components that provide {@code layer45.mnet.NetworkProtocolHandler}: a network protocol jar
 *        (such as {@code protocols/demo-l3}) declares these and no customization
 */
record JarFacts(byte[] bytes, String sha256, String symbolicName, String version, String apiRange,
        List<DeclaredComponent> customizations, List<DeclaredComponent> protocols) {

    /** The largest jar the runtime reads: customization modules are small. */
    static final long MAX_SIZE = 64L << 20;

    private static final String CUSTOMIZATION = "layer45.api.Customization";
    /** The service a network protocol jar provides; named, not imported: the stack's bundle may be absent. */
    static final String NETWORK_PROTOCOL = "layer45.mnet.NetworkProtocolHandler";
    private static final Pattern VERSION = Pattern.compile("version\\s*=\\s*\"?([^\";]+)\"?");

    /**
     * A component a jar declares.
     *
     * @param name the component name, which is the module's name
     * @param configurationPid where its own configuration lives (its name, unless it says otherwise)
     */
    record DeclaredComponent(String name, String configurationPid) {
    }

    /** @return whether the jar only plugs network protocols into the stack, and customizes no flow */
    boolean networkProtocolsOnly() {
        return customizations.isEmpty() && !protocols.isEmpty();
    }

    /** @return the jar's size in bytes */
    long size() {
        return bytes.length;
    }

    /** @return the names of the customization components */
    List<String> moduleNames() {
        return customizations.stream().map(DeclaredComponent::name).toList();
    }

    /**
     * Reads a jar.
     *
     * @param path the jar
     * @return what it is
     * @throws Refused if it cannot be read, is not a jar, or is not a bundle
     */
    static JarFacts read(Path path) throws Refused {
        byte[] bytes;
        try {
            long size = Files.size(path);
            if (size > MAX_SIZE) {
                throw new Refused("it is " + size + " bytes, more than the " + MAX_SIZE + " a customization jar may"
                        + " have");
            }
            bytes = Files.readAllBytes(path);
        } catch (IOException e) {
            throw new Refused("it cannot be read: " + e.getMessage(), e);
        }
        return of(bytes);
    }

    /**
     * @param bytes a jar's content
     * @return what it is
     * @throws Refused if it is not a jar or not a bundle
     */
    static JarFacts of(byte[] bytes) throws Refused {
        Manifest manifest = null;
        Map<String, byte[]> descriptors = new LinkedHashMap<>();
        int entries = 0;
        try (ZipInputStream zip = new ZipInputStream(new ByteArrayInputStream(bytes))) {
            for (ZipEntry entry; (entry = zip.getNextEntry()) != null;) {
                entries++;
                String name = entry.getName();
                if (name.equals("META-INF/MANIFEST.MF")) {
                    manifest = new Manifest(zip);
                } else if (name.startsWith("OSGI-INF/") && name.endsWith(".xml")) {
                    descriptors.put(name, zip.readNBytes(Math.min(bytes.length, 4 << 20)));
                }
            }
        } catch (IOException e) {
            throw new Refused("it is not a jar (a zip file): " + e.getMessage(), e, true);
        }
        if (entries == 0) {
            throw new Refused("it is not a jar: it has no entries (is it a zip file at all?)", null, true);
        }
        if (manifest == null) {
            throw new Refused("it is not an OSGi bundle: it has no META-INF/MANIFEST.MF; build it with bnd"
                    + " (bnd-maven-plugin), as the examples in customizations/ are");
        }
        Attributes main = manifest.getMainAttributes();
        String symbolicName = main.getValue("Bundle-SymbolicName");
        if (symbolicName == null || symbolicName.isBlank()) {
            throw new Refused("it is not an OSGi bundle: its manifest has no Bundle-SymbolicName; build it with bnd"
                    + " (bnd-maven-plugin), as the examples in customizations/ are");
        }
        String version = main.getValue("Bundle-Version");
        String apiRange = apiRange(main.getValue("Import-Package"));
        List<DeclaredComponent> customizations = new ArrayList<>();
        List<DeclaredComponent> protocols = new ArrayList<>();
        for (String header : Headers.clauses(main.getValue("Service-Component"))) {
            String path = header.split(";", 2)[0].trim();
            for (Map.Entry<String, byte[]> descriptor : descriptors.entrySet()) {
                if (Headers.matches(path, descriptor.getKey())) {
                    Document document = parse(descriptor.getKey(), descriptor.getValue());
                    customizations.addAll(declared(document, CUSTOMIZATION));
                    protocols.addAll(declared(document, NETWORK_PROTOCOL));
                }
            }
        }
        return new JarFacts(bytes, sha256(bytes), symbolicName.split(";", 2)[0].trim(),
                version == null ? "0.0.0" : version.trim(), apiRange, List.copyOf(customizations),
                List.copyOf(protocols));
    }

    private static String apiRange(String importPackage) {
        for (String clause : Headers.clauses(importPackage)) {
            String[] parts = clause.split(";", 2);
            if (parts[0].trim().equals("layer45.api")) {
                var version = parts.length > 1 ? VERSION.matcher(parts[1]) : null;
                return version != null && version.find() ? version.group(1).trim() : "0.0.0";
            }
        }
        return "";
    }

    /** Reads a Declarative Services descriptor; descriptors come from operators' jars, so no DTDs or entities. */
    private static Document parse(String entry, byte[] xml) throws Refused {
        Document document;
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setNamespaceAware(true);
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            factory.setExpandEntityReferences(false);
            DocumentBuilder builder = factory.newDocumentBuilder();
            try (InputStream in = new ByteArrayInputStream(xml)) {
                document = builder.parse(in);
            }
        } catch (ParserConfigurationException | SAXException | IOException e) {
            throw new Refused("its component descriptor " + entry + " is not valid XML: " + e.getMessage(), e);
        }
        return document;
    }

    /** @return the components of a descriptor that provide a service */
    private static List<DeclaredComponent> declared(Document document, String service) {
        List<DeclaredComponent> found = new ArrayList<>();
        NodeList components = document.getElementsByTagNameNS("*", "component");
        for (int i = 0; i < components.getLength(); i++) {
            Element component = (Element) components.item(i);
            if (!provides(component, service)) {
                continue;
            }
            String name = component.getAttribute("name");
            if (name.isBlank()) {
                name = component.getElementsByTagNameNS("*", "implementation").getLength() > 0
                        ? ((Element) component.getElementsByTagNameNS("*", "implementation").item(0))
                                .getAttribute("class")
                        : "";
            }
            String pid = component.getAttribute("configuration-pid").trim();
            found.add(new DeclaredComponent(name, pid.isEmpty() || pid.equals("$") ? name : pid.split("\\s+")[0]));
        }
        return found;
    }

    private static boolean provides(Element component, String service) {
        NodeList provides = component.getElementsByTagNameNS("*", "provide");
        for (int i = 0; i < provides.getLength(); i++) {
            if (service.equals(((Element) provides.item(i)).getAttribute("interface"))) {
                return true;
            }
        }
        return false;
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
