package layer45.orchestrator.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which PostgreSQL the throwaway servers run, and what a test says where there is none. */
class PostgresInstallationTest {

    @TempDir
    Path versions;

    @Test
    void withoutAServerTheFailureSaysToRunDepsSh() {
        IllegalStateException missing = assertThrows(IllegalStateException.class,
                () -> PostgresInstallation.find(versions.resolve("postgresql")));
        assertTrue(missing.getMessage().startsWith("no PostgreSQL server is installed (no " + versions
                + "/postgresql/*/bin with initdb, postgres, pg_ctl): run scripts/deps.sh as root"), missing.getMessage());
    }

    @Test
    void theNewestCompleteVersionRuns() throws Exception {
        for (String version : List.of("9.6", "13", "15", "16")) {
            for (String program : version.equals("16") ? List.of("initdb", "postgres") // no pg_ctl: not complete
                    : List.of("initdb", "postgres", "pg_ctl")) {
                Files.createDirectories(versions.resolve(version).resolve("bin"));
                Files.createFile(versions.resolve(version).resolve("bin").resolve(program),
                        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
            }
        }
        Files.createDirectories(versions.resolve("common").resolve("bin"));
        PostgresInstallation installation = PostgresInstallation.find(versions);
        assertEquals(versions.resolve("15").resolve("bin"), installation.bin());
        assertEquals(installation.bin().resolve("initdb").toString(), installation.command("initdb", "-N")
                .get(installation.asOwner().size()));
    }
}
