package layer45.itest;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import layer45.api.Transport;
import layer45.api.spi.Outcome;
import layer45.runtime.driver.DriverFlow;
import layer45.runtime.driver.InMemoryFlowDriver;

import org.junit.jupiter.api.Test;

/**
 * What a module author does first, end to end: {@code ./layer45 new} makes a project, Maven builds it offline against
 * this checkout's freshly built API and test library (running its unit tests), and the jar, dropped as it is into
 * the autoload folder of a real runtime in a real framework, loads and customizes the flows its target matches.
 */
class NewModuleIT {

    @Test
    void aGeneratedProjectBuildsAndItsJarLoadsFromTheAutoloadFolderAsItIs() throws Exception {
        try (ModuleWorkspace author = ModuleWorkspace.create()) {
            ProcessResult made = author.run(null, author.checkout(),
                    "./layer45 new shout-test --dir ~/shout-test --package org.example.shout", 60);
            assertEquals(0, made.exitCode(), made.stdout() + made.stderr());
            assertTrue(made.stdout().startsWith("created ~/shout-test: module shout-test, component"
                    + " org.example.shout.ShoutTest\n"), made.stdout());
            Path project = author.home().resolve("shout-test");
            assertTrue(Files.isRegularFile(project.resolve("src/main/java/org/example/shout/ShoutTest.java")));
            assertTrue(Files.isRegularFile(project.resolve("src/test/java/org/example/shout/ShoutTestTest.java")));
            assertTrue(Files.readString(project.resolve("README.md")).startsWith("# shout-test\n"));

            ProcessResult built = author.run(null, project, "mvn -B package", 600);
            assertEquals(0, built.exitCode(), built.stdout() + built.stderr());
            assertTrue(built.stdout().contains("[INFO] Tests run: 5, Failures: 0, Errors: 0, Skipped: 0\n"),
                    "the project's unit tests ran and passed:\n" + built.stdout());
            Path jar = project.resolve("target/shout-test-0.1.0.jar");
            assertTrue(Files.isRegularFile(jar), built.stdout());

            try (OsgiFixture osgi = OsgiFixture.startWithoutModules(Map.of())) {
                Files.copy(jar, osgi.autoload().resolve(".shout-test.jar.part"));
                Files.move(osgi.autoload().resolve(".shout-test.jar.part"), osgi.autoload().resolve("shout-test.jar"));
                osgi.awaitLive("shout-test");
                InMemoryFlowDriver driver = osgi.driver();
                try (DriverFlow curl = driver.open(InMemoryFlowDriver.flow(Transport.TCP, "curl", "10.45.0.2:40000",
                        "10.45.0.1:8000"))) {
                    assertArrayEquals(ascii("GET / HTTP/1.1\r\n\r\n"), curl.send(ascii("GET / HTTP/1.1\r\n\r\n")));
                    assertEquals(Outcome.ORIGINAL, curl.lastOutcome(), "send is not customized");
                    assertArrayEquals(ascii("oh "), curl.recv(ascii("oh hel")), "a possible start of the word is held");
                    assertArrayEquals(ascii("HELLO, layer45"), curl.recv(ascii("lo, layer45")));
                    assertEquals(17, curl.app().length, "curl reads as many bytes as the server sent");
                }
                try (DriverFlow wget = driver.open(InMemoryFlowDriver.flow(Transport.TCP, "wget", "10.45.0.2:40001",
                        "10.45.0.1:8000"))) {
                    assertArrayEquals(ascii("hello"), wget.recv(ascii("hello")), "another program is left alone");
                }
                assertEquals(2, osgi.runtime().module("shout-test").recv.customized);
            }
        }
    }

    private static byte[] ascii(String text) {
        return text.getBytes(US_ASCII);
    }
}
