package layer45.itest;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;

import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;

/**
 * Builds a small bundle at test time: compiles Java sources with the JDK's compiler and writes them with a manifest
 * into a jar. For bundles that must misbehave in ways a real build would not let through.
 */
final class GeneratedBundle {

    private final String symbolicName;
    private final Map<String, String> headers = new LinkedHashMap<>();
    private final Map<String, String> sources = new LinkedHashMap<>();
    private final List<Path> classPath = new ArrayList<>();
    private final Map<String, String> resources = new LinkedHashMap<>();

    private GeneratedBundle(String symbolicName) {
        this.symbolicName = symbolicName;
    }

    /**
     * @param symbolicName the bundle's symbolic name
     * @return a builder
     */
    static GeneratedBundle named(String symbolicName) {
        return new GeneratedBundle(symbolicName);
    }

    /** Adds a manifest header. */
    GeneratedBundle header(String name, String value) {
        headers.put(name, value);
        return this;
    }

    /**
     * Adds a source file.
     *
     * @param className the fully qualified class name
     * @param source its source
     */
    GeneratedBundle source(String className, String source) {
        sources.put(className, source);
        return this;
    }

    /**
     * Adds a resource, such as a Declarative Services descriptor.
     *
     * @param path its path in the jar, such as {@code OSGI-INF/component.xml}
     * @param content its text
     */
    GeneratedBundle resource(String path, String content) {
        resources.put(path, content);
        return this;
    }

    /** Compiles against the jar or directory a class was loaded from. */
    GeneratedBundle compileAgainst(Class<?> type) {
        try {
            classPath.add(Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI()));
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
        return this;
    }

    private void compile(JavaCompiler compiler, List<Path> files, Path classes) throws IOException {
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        try (StandardJavaFileManager fileManager = compiler.getStandardFileManager(diagnostics, Locale.ROOT, UTF_8)) {
            List<String> options = List.of("-d", classes.toString(), "-proc:none", "-classpath",
                    String.join(java.io.File.pathSeparator, classPath.stream().map(Path::toString).toList()));
            boolean ok = compiler.getTask(null, fileManager, diagnostics, options, null,
                    fileManager.getJavaFileObjectsFromPaths(files)).call();
            if (!ok) {
                throw new IllegalStateException("cannot compile the sources of " + symbolicName + ": "
                        + diagnostics.getDiagnostics());
            }
        }
    }

    /**
     * Compiles the sources and writes the bundle.
     *
     * @param dir a scratch directory
     * @return the bundle jar
     * @throws IOException if writing fails
     */
    Path build(Path dir) throws IOException {
        JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
        if (compiler == null) {
            throw new IllegalStateException("no Java compiler: run the tests on a JDK");
        }
        Path work = Files.createDirectories(dir.resolve(symbolicName));
        Path src = Files.createDirectories(work.resolve("src"));
        Path classes = Files.createDirectories(work.resolve("classes"));
        List<Path> files = new ArrayList<>();
        for (Map.Entry<String, String> source : sources.entrySet()) {
            Path file = src.resolve(source.getKey().replace('.', '/') + ".java");
            Files.createDirectories(file.getParent());
            Files.writeString(file, source.getValue(), UTF_8);
            files.add(file);
        }
        if (!files.isEmpty()) { // a bundle of resources only needs no compiler
            compile(compiler, files, classes);
        }

        Manifest manifest = new Manifest();
        Attributes main = manifest.getMainAttributes();
        main.put(Attributes.Name.MANIFEST_VERSION, "1.0");
        main.putValue("Bundle-ManifestVersion", "2");
        main.putValue("Bundle-SymbolicName", symbolicName);
        main.putValue("Bundle-Version", "1.0.0");
        headers.forEach(main::putValue);
        Path jar = work.resolve(symbolicName + ".jar");
        try (OutputStream out = Files.newOutputStream(jar); JarOutputStream jarOut = new JarOutputStream(out, manifest);
                Stream<Path> walk = Files.walk(classes)) {
            for (Path file : walk.filter(Files::isRegularFile).sorted().toList()) {
                jarOut.putNextEntry(new JarEntry(classes.relativize(file).toString().replace('\\', '/')));
                Files.copy(file, jarOut);
                jarOut.closeEntry();
            }
            for (Map.Entry<String, String> resource : resources.entrySet()) {
                jarOut.putNextEntry(new JarEntry(resource.getKey()));
                jarOut.write(resource.getValue().getBytes(UTF_8));
                jarOut.closeEntry();
            }
        }
        return jar;
    }
}
