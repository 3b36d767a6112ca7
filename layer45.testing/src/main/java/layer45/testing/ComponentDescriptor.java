package layer45.testing;

import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;

import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;

import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * A Declarative Services component as its bundle declares it ({@code OSGI-INF/*.xml}, which bnd-maven-plugin writes
 * from the annotations at {@code process-classes}, before the tests run): its name, the methods DS calls, and its
 * properties with their types, among them the {@code layer45.*} target properties of
 * {@link layer45.api.CustomizationService}. What the runtime sees of a module, read the same way DS reads it.
 *
 * @param name the component's name: the module's name
 * @param implementation the implementation class's name
 * @param activate the activate method's name, or "" for none
 * @param modified the modified method's name, or "" for none
 * @param properties the component's properties, typed as DS types them (String, Integer, Boolean, ... or arrays
 *        of them for several values), in declaration order
 */
public record ComponentDescriptor(String name, String implementation, String activate, String modified,
        Map<String, Object> properties) {

    /** Makes the properties unmodifiable. */
    public ComponentDescriptor {
        properties = Collections.unmodifiableMap(new LinkedHashMap<>(properties));
    }

    /**
     * Finds the component whose implementation is {@code type}, in the class folder or jar {@code type} was loaded
     * from.
     *
     * @param type the implementation class
     * @return its descriptor
     * @throws IllegalArgumentException if there is none, saying where it looked and how to make one
     */
    public static ComponentDescriptor of(Class<?> type) {
        Path location = location(type);
        for (ComponentDescriptor d : read(location)) {
            if (d.implementation.equals(type.getName())) {
                return d;
            }
        }
        throw new IllegalArgumentException("no Declarative Services component has the implementation "
                + type.getName() + " in " + location.resolve("OSGI-INF") + ". Annotate the class with @Component and"
                + " @CustomizationService, and build with bnd-maven-plugin, which writes OSGI-INF/<name>.xml at"
                + " process-classes (mvn test runs it; an IDE may not); or give the module's name and properties"
                + " with ModuleTester.of(module, name, properties)");
    }

    /**
     * @param location a class folder or jar
     * @return every component it declares
     */
    static List<ComponentDescriptor> read(Path location) {
        List<ComponentDescriptor> found = new ArrayList<>();
        try {
            if (Files.isDirectory(location)) {
                Path folder = location.resolve("OSGI-INF");
                if (Files.isDirectory(folder)) {
                    try (Stream<Path> files = Files.list(folder)) {
                        for (Path file : files.filter(f -> f.toString().endsWith(".xml")).sorted().toList()) {
                            try (InputStream in = Files.newInputStream(file)) {
                                parse(in, found);
                            }
                        }
                    }
                }
            } else {
                try (JarFile jar = new JarFile(location.toFile())) {
                    for (Enumeration<JarEntry> e = jar.entries(); e.hasMoreElements();) {
                        JarEntry entry = e.nextElement();
                        if (entry.getName().matches("OSGI-INF/[^/]+\\.xml")) {
                            try (InputStream in = jar.getInputStream(entry)) {
                                parse(in, found);
                            }
                        }
                    }
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the component descriptors in " + location + ": " + e, e);
        }
        return found;
    }

    private static void parse(InputStream in, List<ComponentDescriptor> found) throws IOException {
        Element root;
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setNamespaceAware(true);
            factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            root = factory.newDocumentBuilder().parse(in).getDocumentElement();
        } catch (Exception e) {
            throw new IOException("a component descriptor is not XML: " + e.getMessage(), e);
        }
        if (!"component".equals(root.getLocalName())) {
            return; // another kind of XML in OSGI-INF
        }
        NodeList implementations = root.getElementsByTagName("implementation");
        if (implementations.getLength() == 0) {
            return;
        }
        String implementation = ((Element) implementations.item(0)).getAttribute("class");
        Map<String, Object> properties = new LinkedHashMap<>();
        NodeList list = root.getElementsByTagName("property");
        for (int i = 0; i < list.getLength(); i++) {
            Element p = (Element) list.item(i);
            String type = p.getAttribute("type").isEmpty() ? "String" : p.getAttribute("type");
            if (p.hasAttribute("value")) {
                properties.put(p.getAttribute("name"), value(type, p.getAttribute("value").trim()));
            } else {
                String[] lines = p.getTextContent().strip().split("\\R");
                Object[] values = (Object[]) java.lang.reflect.Array.newInstance(typeOf(type), lines.length);
                for (int j = 0; j < lines.length; j++) {
                    values[j] = value(type, lines[j].trim());
                }
                properties.put(p.getAttribute("name"), values);
            }
        }
        String name = root.getAttribute("name").isEmpty() ? implementation : root.getAttribute("name");
        found.add(new ComponentDescriptor(name, implementation, root.getAttribute("activate"),
                root.getAttribute("modified"), properties));
    }

    private static Class<?> typeOf(String type) {
        return switch (type) {
            case "Integer" -> Integer.class;
            case "Long" -> Long.class;
            case "Boolean" -> Boolean.class;
            case "Double" -> Double.class;
            case "Float" -> Float.class;
            case "Short" -> Short.class;
            case "Byte" -> Byte.class;
            case "Character", "Char" -> Character.class;
            default -> String.class;
        };
    }

    private static Object value(String type, String text) {
        return switch (type) {
            case "Integer" -> Integer.valueOf(text);
            case "Long" -> Long.valueOf(text);
            case "Boolean" -> Boolean.valueOf(text);
            case "Double" -> Double.valueOf(text);
            case "Float" -> Float.valueOf(text);
            case "Short" -> Short.valueOf(text);
            case "Byte" -> Byte.valueOf(text);
            case "Character", "Char" -> (char) Integer.parseInt(text);
            default -> text;
        };
    }

    private static Path location(Class<?> type) {
        try {
            return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException | NullPointerException e) {
            throw new IllegalArgumentException("cannot tell where " + type.getName() + " was loaded from, to find"
                    + " its component descriptor; give the module's name and properties with"
                    + " ModuleTester.of(module, name, properties)", e);
        }
    }
}
