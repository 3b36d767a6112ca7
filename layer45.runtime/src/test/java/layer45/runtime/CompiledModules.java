package layer45.runtime;

import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.Charset;
import java.nio.file.Files;
import java.nio.file.Path;

import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

/**
 * Compiles module classes the way a third party would have built them against another API version, for the
 * refusal tests: the class links against the real {@code layer45.api} at run time but lacks what the old API lacked.
 */
final class CompiledModules {

    private CompiledModules() {
    }

    /**
     * Compiles {@code source} (class {@code className}, default package) against a layer45.api whose Customization
     * has only {@code send}, and loads it so it implements the real Customization.
     */
    static Object compileAgainstOldApi(String className, String source, Charset charset) throws Exception {
        Path dir = Files.createTempDirectory("layer45-old-api");
        try {
            Path api = dir.resolve("src/layer45/api");
            Files.createDirectories(api);
            Files.writeString(api.resolve("Customization.java"), """
                    package layer45.api;
                    public interface Customization {
                        Verdict send(Chunk source, Output output, Flow flow);
                    }
                    """, charset);
            Path module = dir.resolve("src/" + className + ".java");
            Files.writeString(module, source, charset);
            Path classes = Files.createDirectories(dir.resolve("classes"));
            JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
            int status = javac.run(null, null, null, "-d", classes.toString(), "-cp",
                    System.getProperty("java.class.path"), "-implicit:none",
                    api.resolve("Customization.java").toString(), module.toString());
            if (status != 0) {
                throw new IllegalStateException("javac failed with status " + status);
            }
            // Only the module class comes from the old build; layer45.api comes from the real API.
            Files.delete(classes.resolve("layer45/api/Customization.class"));
            ClassLoader loader = new URLClassLoader(new URL[] { classes.toUri().toURL() },
                    CompiledModules.class.getClassLoader());
            return loader.loadClass(className).getDeclaredConstructor().newInstance();
        } finally {
            deleteTree(dir);
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        try (var paths = Files.walk(dir)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
