package org.idbroker.server.providers;

import java.io.IOException;
import java.io.InputStream;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.idbroker.spi.IdentityProviderFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds the provider types: the built-in ones on the class path, and each jar in the installation's
 * {@code providers/} folder, loaded in its own class loader that sees only the JDK, the host's
 * {@code org.idbroker.spi} packages and the packages a module on the class path exports to drop-in jars by
 * naming them in {@value #EXPORTS} (the generic OpenID Connect module's flavour API), so the server names
 * no provider package.
 */
public final class ProviderTypesLoader {

    private static final Logger LOG = LoggerFactory.getLogger(ProviderTypesLoader.class);
    private static final String SPI_PACKAGE = "org.idbroker.spi.";
    /** A resource listing, one per line, packages (not their subpackages) that drop-in jars may use. */
    static final String EXPORTS = "META-INF/idbroker/exported-packages";

    private ProviderTypesLoader() {
    }

    /** Built-in types plus the jars in {@code $IDBROKER_HOME/providers} (the installation folder). */
    public static ProviderTypes load() {
        String home = System.getProperty("idbroker.home");
        return load(home == null ? null : Path.of(home).resolve("providers"));
    }

    /** Built-in types plus the jars in {@code providersDir}, which may be {@code null} or absent. */
    public static ProviderTypes load(Path providersDir) {
        List<IdentityProviderFactory> factories = new ArrayList<>();
        Map<String, String> origins = new HashMap<>();
        for (IdentityProviderFactory factory : ProviderTypes.builtIn()) {
            factories.add(factory);
            origins.put(factory.type(), "the built-in " + factory.getClass().getName());
        }
        if (providersDir != null && Files.isDirectory(providersDir)) {
            for (Path jar : jars(providersDir)) {
                List<IdentityProviderFactory> found = loadJar(jar);
                for (IdentityProviderFactory factory : found) {
                    String where = "the provider jar " + jar.getFileName();
                    String previous = origins.putIfAbsent(factory.type(), where);
                    if (previous != null) {
                        String other = previous.equals(where) ? "another factory in the same jar" : previous;
                        throw new IllegalStateException(where + " declares the provider type id '" + factory.type()
                                + "', which " + other + " already has: every type id must be unique; remove one of them"
                                + " from " + providersDir);
                    }
                }
                factories.addAll(found);
                LOG.info("Loaded provider types {} from {}", found.stream().map(IdentityProviderFactory::type).toList(),
                        jar.getFileName());
            }
        }
        return new ProviderTypes(factories);
    }

    private static List<Path> jars(Path dir) {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.getFileName().toString().endsWith(".jar")).sorted().toList();
        } catch (IOException e) {
            throw new IllegalStateException("cannot list the providers folder " + dir + ": " + e.getMessage(), e);
        }
    }

    private static List<IdentityProviderFactory> loadJar(Path jar) {
        URL url;
        try {
            url = jar.toUri().toURL();
        } catch (MalformedURLException e) {
            throw new IllegalStateException("cannot read the provider jar " + jar, e);
        }
        ClassLoader loader = new URLClassLoader("provider:" + jar.getFileName(), new URL[] {url}, new HostApiClassLoader(exports()));
        List<IdentityProviderFactory> found;
        try {
            found = ServiceLoader.load(IdentityProviderFactory.class, loader).stream().map(ServiceLoader.Provider::get).toList();
        } catch (ServiceConfigurationError | LinkageError e) {
            throw new IllegalStateException("the provider jar " + jar.getFileName() + " cannot be loaded: " + e.getMessage(), e);
        }
        if (found.isEmpty()) {
            throw new IllegalStateException("the provider jar " + jar.getFileName() + " holds no provider factory: it needs "
                    + "META-INF/services/org.idbroker.spi.IdentityProviderFactory naming its factory class");
        }
        return found;
    }

    /** The packages the class path's modules export to drop-in jars ({@value #EXPORTS}). */
    static Set<String> exports() {
        Set<String> packages = new TreeSet<>();
        try {
            Enumeration<URL> lists = ProviderTypesLoader.class.getClassLoader().getResources(EXPORTS);
            while (lists.hasMoreElements()) {
                try (InputStream in = lists.nextElement().openStream()) {
                    new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().map(String::strip)
                            .filter(line -> !line.isEmpty() && !line.startsWith("#")).forEach(packages::add);
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + EXPORTS + " on the class path: " + e.getMessage(), e);
        }
        return packages;
    }

    /** Parent of every provider jar's class loader: the JDK, plus the host's SPI and exported packages, nothing else. */
    private static final class HostApiClassLoader extends ClassLoader {
        private final ClassLoader host = ProviderTypesLoader.class.getClassLoader();
        private final Set<String> exported;

        HostApiClassLoader(Set<String> exported) {
            super("idbroker-host-api", ClassLoader.getPlatformClassLoader());
            this.exported = Set.copyOf(exported);
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            int dot = name.lastIndexOf('.');
            if (name.startsWith(SPI_PACKAGE) || (dot > 0 && exported.contains(name.substring(0, dot)))) {
                return host.loadClass(name);
            }
            return super.loadClass(name, resolve);
        }
    }
}
