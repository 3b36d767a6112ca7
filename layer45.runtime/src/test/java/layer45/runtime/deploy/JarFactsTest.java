package layer45.runtime.deploy;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

import org.junit.jupiter.api.Test;

/** What the runtime reads from a jar before it installs it, and what it refuses to read. */
class JarFactsTest {

    static byte[] jar(Map<String, String> headers, Map<String, String> entries) throws IOException {
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().putValue("Manifest-Version", "1.0");
        headers.forEach(manifest.getMainAttributes()::putValue);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (JarOutputStream out = new JarOutputStream(bytes, manifest)) {
            for (Map.Entry<String, String> entry : entries.entrySet()) {
                out.putNextEntry(new JarEntry(entry.getKey()));
                out.write(entry.getValue().getBytes(UTF_8));
                out.closeEntry();
            }
        }
        return bytes.toByteArray();
    }

    static String component(String name, String pid, String provides) {
        return """
                <?xml version="1.0" encoding="UTF-8"?>
                <scr:component xmlns:scr="http://www.osgi.org/xmlns/scr/v1.3.0" name="%s" %s>
                  <implementation class="x.Y"/>
                  <service><provide interface="%s"/></service>
                </scr:component>
                """.formatted(name, pid == null ? "" : "configuration-pid=\"" + pid + "\"", provides);
    }

    @Test
    void aBundleTellsItsIdentityApiRangeAndCustomizationComponents() throws Exception {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Bundle-SymbolicName", "dns-tag;singleton:=true");
        headers.put("Bundle-Version", "1.2.3");
        headers.put("Import-Package", "java.util,layer45.api;version=\"[1.0,2)\",org.osgi.framework;version=\"[1.10,2)\"");
        headers.put("Service-Component", "OSGI-INF/a.xml,OSGI-INF/b.xml,OSGI-INF/c.xml");
        Map<String, String> entries = new LinkedHashMap<>();
        entries.put("OSGI-INF/a.xml", component("dns-tag", null, "layer45.api.Customization"));
        entries.put("OSGI-INF/b.xml", component("dns-strip", "dns.strip.config", "layer45.api.Customization"));
        entries.put("OSGI-INF/c.xml", component("helper", null, "java.lang.Runnable"));
        entries.put("OSGI-INF/unlisted.xml", component("ghost", null, "layer45.api.Customization"));
        JarFacts facts = JarFacts.of(jar(headers, entries));
        assertEquals("dns-tag", facts.symbolicName());
        assertEquals("1.2.3", facts.version());
        assertEquals("[1.0,2)", facts.apiRange());
        assertEquals(List.of("dns-tag", "dns-strip"), facts.moduleNames(), "customizations only, listed ones only");
        assertEquals("dns.strip.config", facts.customizations().get(1).configurationPid());
        assertEquals("dns-tag", facts.customizations().get(0).configurationPid(), "the name when no PID is given");
        assertEquals(64, facts.sha256().length());
    }

    @Test
    void aNetworkProtocolJarDeclaresHandlersAndNoCustomization() throws Exception {
        JarFacts facts = JarFacts.of(jar(Map.of("Bundle-SymbolicName", "demo-l3", "Service-Component",
                "OSGI-INF/demo.xml"), Map.of("OSGI-INF/demo.xml", component("layer45.protocols.demo.DemoProtocol",
                        "layer45.protocol.demo", "layer45.mnet.NetworkProtocolHandler"))));

        assertEquals(List.of(), facts.moduleNames());
        assertEquals("layer45.protocols.demo.DemoProtocol", facts.protocols().getFirst().name());
        assertTrue(facts.networkProtocolsOnly());
    }

    @Test
    void aWildcardServiceComponentHeaderFindsTheDescriptors() throws Exception {
        JarFacts facts = JarFacts.of(jar(Map.of("Bundle-SymbolicName", "m", "Service-Component", "OSGI-INF/*.xml"),
                Map.of("OSGI-INF/one.xml", component("one", null, "layer45.api.Customization"))));
        assertEquals(List.of("one"), facts.moduleNames());
        assertEquals("", facts.apiRange(), "no layer45.api import");
    }

    @Test
    void whatIsNotAJarOrNotABundleIsRefusedWithWhatToDo() throws Exception {
        Refused garbage = assertThrows(Refused.class, () -> JarFacts.of("not a jar".getBytes(UTF_8)));
        assertTrue(garbage.getMessage().startsWith("it is not a jar"), garbage.getMessage());
        assertTrue(garbage.maybeIncomplete(), "a file that is not a zip may still be being written");
        Refused plain = assertThrows(Refused.class, () -> JarFacts.of(jar(Map.of(), Map.of("a.txt", "x"))));
        assertTrue(plain.getMessage().contains("no Bundle-SymbolicName"), plain.getMessage());
        assertTrue(plain.getMessage().contains("bnd"), "says how to build one: " + plain.getMessage());
        assertFalse(plain.maybeIncomplete());
    }

    @Test
    void aDescriptorWithADoctypeIsRefusedRatherThanExpanded() throws Exception {
        String hostile = """
                <?xml version="1.0"?>
                <!DOCTYPE c [<!ENTITY x SYSTEM "file:///etc/passwd">]>
                <component name="&x;"><service><provide interface="layer45.api.Customization"/></service></component>
                """;
        Refused refused = assertThrows(Refused.class, () -> JarFacts.of(jar(
                Map.of("Bundle-SymbolicName", "m", "Service-Component", "OSGI-INF/c.xml"),
                Map.of("OSGI-INF/c.xml", hostile))));
        assertTrue(refused.getMessage().contains("OSGI-INF/c.xml is not valid XML"), refused.getMessage());
    }

    @Test
    void headersSplitOnCommasOutsideQuotes() {
        assertEquals(List.of("a;version=\"[1,2)\"", "b", "c;x=\"1,2\""),
                Headers.clauses(" a;version=\"[1,2)\" , b,c;x=\"1,2\" ,"));
        assertEquals(List.of(), Headers.clauses(null));
        assertTrue(Headers.matches("OSGI-INF/*.xml", "OSGI-INF/x.xml"));
        assertFalse(Headers.matches("OSGI-INF/*.xml", "OSGI-INF/sub/x.xml"));
        assertFalse(Headers.matches("OSGI-INF/a.xml", "OSGI-INF/aaxml"));
    }

    @Test
    void locationsNameOriginPathAndContent() {
        java.nio.file.Path jar = java.nio.file.Path.of("/srv/autoload/dns #1.jar");
        String location = Origin.AUTOLOAD.location(jar, "ab12");
        assertEquals("layer45:autoload:/srv/autoload/dns #1.jar#ab12", location);
        assertEquals(Origin.AUTOLOAD, Origin.of(location));
        assertEquals(jar, Origin.source(location));
        assertEquals("ab12", Origin.sha256(location));
        assertEquals(Origin.INSMOD, Origin.of(Origin.INSMOD.location(jar, "ff")));
        assertEquals(null, Origin.of("file:/tmp/other.jar"));
    }
}
