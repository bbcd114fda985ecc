package org.idbroker.it.support;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.idbroker.spi.IdentityProviderFactory;

/**
 * Builds a provider module jar at test time: compiles sources against the SPI (and, for an OpenID Connect flavour, the
 * generic module's flavour API), adds the service entry; the jar bundles neither.
 */
public final class ProviderJar {

    private ProviderJar() {
    }

    /**
     * @param jar where to write the jar
     * @param sources Java sources by path, such as {@code org/example/ticket/TicketProviderFactory.java}
     * @param factories the factory classes to register in {@code META-INF/services}; none for a jar without a factory
     */
    public static Path build(Path jar, Map<String, String> sources, List<String> factories) {
        return build(jar, sources, factories, List.of(IdentityProviderFactory.class));
    }

    /**
     * As {@link #build(Path, Map, List)}, compiled against the jars or folders holding {@code api}, as a module's
     * {@code provided} dependencies.
     */
    public static Path build(Path jar, Map<String, String> sources, List<String> factories, List<Class<?>> api) {
        try {
            Path work = Files.createTempDirectory("provider-jar");
            Path src = work.resolve("src");
            Path classes = Files.createDirectories(work.resolve("classes"));
            List<String> args = new ArrayList<>(List.of("--release", "17", "-classpath",
                    String.join(java.io.File.pathSeparator, api.stream().map(ProviderJar::location).map(Path::toString).toList()),
                    "-d", classes.toString()));
            for (Map.Entry<String, String> source : sources.entrySet()) {
                Path file = src.resolve(source.getKey());
                Files.createDirectories(file.getParent());
                Files.writeString(file, source.getValue());
                args.add(file.toString());
            }
            JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
            java.io.ByteArrayOutputStream errors = new java.io.ByteArrayOutputStream();
            int code = javac.run(null, null, errors, args.toArray(String[]::new));
            if (code != 0) {
                throw new IllegalStateException("the provider sources do not compile: " + errors.toString(StandardCharsets.UTF_8));
            }
            try (OutputStream out = Files.newOutputStream(jar); JarOutputStream jarOut = new JarOutputStream(out);
                    Stream<Path> files = Files.walk(classes)) {
                for (Path file : files.filter(Files::isRegularFile).toList()) {
                    jarOut.putNextEntry(new JarEntry(classes.relativize(file).toString().replace('\\', '/')));
                    jarOut.write(Files.readAllBytes(file));
                    jarOut.closeEntry();
                }
                if (!factories.isEmpty()) {
                    jarOut.putNextEntry(new JarEntry("META-INF/services/" + IdentityProviderFactory.class.getName()));
                    jarOut.write((String.join("\n", factories) + "\n").getBytes(StandardCharsets.UTF_8));
                    jarOut.closeEntry();
                }
            }
            return jar;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The jar or folder a class was loaded from. */
    private static Path location(Class<?> type) {
        try {
            return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A source file of this test module's resources, such as {@code dropin/TicketProviderFactory.java}. */
    public static String resource(String name) {
        try (var in = ProviderJar.class.getClassLoader().getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalArgumentException("no test resource " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
