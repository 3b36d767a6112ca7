package layer45.runtime.shell;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import layer45.runtime.bundle.ModuleDescriptors;
import layer45.runtime.bundle.ModuleDescriptors.Option;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;

/** Module-own configuration properties, read from the Metatype documents bnd writes. */
class MetatypeOptionsTest {

    /** What bnd generates for the echo-tag bundle (one OCD, designated for both of its components). */
    static final String ECHO_TAG = """
            <?xml version="1.0" encoding="UTF-8"?>
            <metatype:MetaData xmlns:metatype="http://www.osgi.org/xmlns/metatype/v1.2.0" \
            localization="OSGI-INF/l10n/layer45.customizations.echotag.EchoTag$Config">
              <OCD id="layer45.customizations.echotag.EchoTag$Config" name="layer45 echo tag" \
            description="Tags wrapped around each chunk sent">
                <AD id="start.tag" type="String" name="Start tag" \
            description="US-ASCII text written before each chunk sent" default="&lt;start&gt;"/>
                <AD id="end.tag" type="String" name="End tag" \
            description="US-ASCII text written after each chunk sent" default="&lt;end&gt;"/>
              </OCD>
              <Designate pid="echo-tag-client">
                <Object ocdref="layer45.customizations.echotag.EchoTag$Config"/>
              </Designate>
              <Designate pid="echo-tag-server">
                <Object ocdref="layer45.customizations.echotag.EchoTag$Config"/>
              </Designate>
            </metatype:MetaData>
            """;

    static final List<Option> ECHO_TAG_OPTIONS = List.of(
            new Option("start.tag", "US-ASCII text written before each chunk sent", "<start>"),
            new Option("end.tag", "US-ASCII text written after each chunk sent", "<end>"));

    @TempDir
    Path dir;

    @Test
    void theObjectClassDesignatedForTheModulesPid() throws Exception {
        assertEquals(ECHO_TAG_OPTIONS, ModuleDescriptors.options(stream(ECHO_TAG), List.of("echo-tag-server"), null));
        assertEquals(List.of(), ModuleDescriptors.options(stream(ECHO_TAG), List.of("dns-tag"), null));
    }

    @Test
    void anObjectClassNamedAfterThePidAndLocalizedTexts() throws Exception {
        String xml = """
                <MetaData localization="OSGI-INF/l10n/dns">
                  <OCD id="dns-tag" name="%dns">
                    <AD id="tag" type="String" name="%tag.name" default="x"/>
                    <AD id="ttl" type="Integer" name="TTL" description="%ttl.description"/>
                    <AD id="quiet" type="Boolean"/>
                  </OCD>
                </MetaData>
                """;
        Properties texts = new Properties();
        texts.setProperty("tag.name", "Tag");
        assertEquals(List.of(new Option("tag", "Tag", "x"), new Option("ttl", "ttl.description", ""),
                new Option("quiet", "", "")), ModuleDescriptors.options(stream(xml), List.of("dns-tag"),
                        base -> base.equals("OSGI-INF/l10n/dns") ? texts : null));
    }

    @Test
    void theConfigurationPidsAComponentDeclares() throws Exception {
        String component = """
                <?xml version="1.0" encoding="UTF-8"?>
                <scr:component xmlns:scr="http://www.osgi.org/xmlns/scr/v1.5.0" name="dns-tag" \
                configuration-pid="$ layer45.dns">
                  <implementation class="x.DnsTag"/>
                </scr:component>
                """;
        assertEquals(List.of("dns-tag", "layer45.dns"),
                ModuleDescriptors.configurationPids(stream(component), "dns-tag"));
        assertEquals(List.of(), ModuleDescriptors.configurationPids(stream(component), "other"));
    }

    @Test
    void readsTheBundlesDocumentsThroughTheFramework() throws Exception {
        Path metatype = Files.createDirectories(dir.resolve("OSGI-INF/metatype"));
        Files.writeString(metatype.resolve("other.xml"), "<MetaData><OCD id=\"unrelated\"/></MetaData>");
        Files.writeString(metatype.resolve("echo.xml"), ECHO_TAG);
        Files.writeString(dir.resolve("OSGI-INF/echo-tag-client.xml"), """
                <scr:component xmlns:scr="http://www.osgi.org/xmlns/scr/v1.5.0" name="echo-tag-client"/>
                """);
        Bundle bundle = Osgi.fake(Bundle.class, Map.of(
                "findEntries", args -> Collections.enumeration(List.of(url(metatype.resolve("other.xml")),
                        url(metatype.resolve("echo.xml")))),
                "getEntry", args -> Files.exists(dir.resolve((String) args[0]))
                        ? url(dir.resolve((String) args[0])) : null,
                "getHeaders", args -> new Hashtable<>(Map.of("Service-Component", "OSGI-INF/echo-tag-client.xml"))));
        BundleContext context = Osgi.fake(BundleContext.class,
                Map.of("getBundle", args -> (Long) args[0] == 7 ? bundle : null));

        MetatypeOptions options = new MetatypeOptions(context, () -> null);

        assertEquals(ECHO_TAG_OPTIONS, options.options(7, "echo-tag-client"));
        assertEquals(List.of(), options.options(8, "echo-tag-client"));
    }

    @Test
    void aBrokenDocumentGivesNoOptions() throws Exception {
        Path broken = Files.writeString(dir.resolve("broken.xml"), "<MetaData><OCD");
        Bundle bundle = Osgi.fake(Bundle.class, Map.of(
                "findEntries", args -> Collections.enumeration(List.of(url(broken))),
                "getHeaders", args -> new Hashtable<String, String>()));
        BundleContext context = Osgi.fake(BundleContext.class, Map.of("getBundle", args -> bundle));
        assertEquals(List.of(), new MetatypeOptions(context, () -> null).options(7, "echo-tag-client"));
    }

    @Test
    void configuredValuesAreTheModulesOwnInConfigurationAdmin() throws Exception {
        Files.createDirectories(dir.resolve("OSGI-INF"));
        Files.writeString(dir.resolve("OSGI-INF/dns.xml"), """
                <scr:component xmlns:scr="http://www.osgi.org/xmlns/scr/v1.5.0" name="dns-tag" \
                configuration-pid="layer45.dns(1)"/>
                """);
        Bundle bundle = Osgi.fake(Bundle.class, Map.of(
                "getEntry", args -> Files.exists(dir.resolve((String) args[0]))
                        ? url(dir.resolve((String) args[0])) : null,
                "getHeaders", args -> new Hashtable<>(Map.of("Service-Component", "OSGI-INF/dns.xml"))));
        BundleContext context = Osgi.fake(BundleContext.class, Map.of("getBundle", args -> bundle));
        List<String> filters = new ArrayList<>();
        Hashtable<String, Object> properties = new Hashtable<>(Map.of("service.pid", "layer45.dns(1)", "tag", "T",
                "ttl", 30, "layer45.priority", 5, "component.name", "dns-tag", "felix.fileinstall.filename", "x"));
        Configuration configuration = Osgi.fake(Configuration.class, Map.of("getProperties", args -> properties));
        ConfigurationAdmin admin = Osgi.fake(ConfigurationAdmin.class, Map.of("listConfigurations", args -> {
            filters.add((String) args[0]);
            return args[0].equals("(service.pid=layer45.dns\\(1\\))") ? new Configuration[] { configuration } : null;
        }));

        assertEquals(Map.of("tag", "T", "ttl", 30),
                new MetatypeOptions(context, () -> admin).configured(7, "dns-tag"));
        assertEquals(List.of("(service.pid=layer45.dns\\(1\\))"), filters); // the declared PID first: found

        assertEquals(Map.of(), new MetatypeOptions(context, () -> null).configured(7, "dns-tag"));
        filters.clear();
        assertEquals(Map.of(), new MetatypeOptions(context, () -> admin).configured(7, "other"));
        assertEquals(List.of("(service.pid=other)"), filters);
    }

    private static InputStream stream(String text) {
        return new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
    }

    private static URL url(Path path) {
        try {
            return path.toUri().toURL();
        } catch (java.net.MalformedURLException e) {
            throw new IllegalStateException(e);
        }
    }
}
