package layer45.runtime.bundle;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.reflect.Proxy;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Hashtable;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.Bundle;

/** A module's own parameters are checked against what its bundle declares. */
class OwnParametersTest {

    @TempDir
    Path dir;

    /** A bundle whose only descriptor is a Metatype document designating {@code start.tag} for echo-tag-client. */
    private Bundle echoTag() throws IOException {
        URL metatype = Files.writeString(dir.resolve("metatype.xml"), """
                <MetaData>
                  <OCD id="config"><AD id="start.tag" type="String"/><AD id="end.tag" type="String"/></OCD>
                  <Designate pid="echo-tag-client"><Object ocdref="config"/></Designate>
                </MetaData>
                """).toUri().toURL();
        return (Bundle) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] { Bundle.class },
                (proxy, method, args) -> switch (method.getName()) {
                    case "findEntries" -> Collections.enumeration(List.of(metatype));
                    case "getHeaders" -> new Hashtable<String, String>();
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }

    @Test
    void declaredKeysPassAndAMisspellingSaysWhatIsKnown() throws IOException {
        Bundle bundle = echoTag();
        assertDoesNotThrow(() -> OwnParameters.check(bundle, "echo-tag-client", List.of("start.tag", "end.tag")));
        IllegalArgumentException typo = assertThrows(IllegalArgumentException.class,
                () -> OwnParameters.check(bundle, "echo-tag-client", List.of("start_tag")));
        assertTrue(typo.getMessage().contains("'start_tag' is not a parameter of module 'echo-tag-client'"),
                typo.getMessage());
        assertTrue(typo.getMessage().contains("its own are start.tag, end.tag"), typo.getMessage());
        assertTrue(typo.getMessage().contains("the runtime's are protocol, process"), typo.getMessage());
    }

    @Test
    void aModuleThatDeclaresNothingIsNotChecked() throws IOException {
        Bundle bundle = echoTag();
        assertDoesNotThrow(() -> OwnParameters.check(bundle, "another-module", List.of("anything")));
    }
}
