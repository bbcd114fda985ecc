package org.idbroker.server.cli;

import java.nio.file.Path;
import org.idbroker.server.providers.ProviderTypes;
import org.idbroker.server.providers.ProviderTypesLoader;
import picocli.CommandLine.Option;

/** Where third-party provider jars are: the installation's {@code providers/} folder unless told. */
final class ProvidersOptions {

    private static final String OPTION = "--providers-dir";
    static final String ENV = "IDBROKER_PROVIDERS_DIR";

    @Option(names = "--providers-dir", paramLabel = "DIR", description = "Folder of provider module jars to load (default: the installation's providers/ folder). "
                    + "Env: IDBROKER_PROVIDERS_DIR.")
    Path providersDir;

    /**
     * The types whose settings become {@code configure}'s options, found before picocli parses {@code args}: for
     * {@code configure}, the built-in ones and the jars of {@code --providers-dir} (else its environment variable,
     * else the installation's folder); a bad jar is left to {@link #load()} to report; for any other command, the
     * built-in ones.
     */
    static ProviderTypes forOptions(String... args) {
        if (args.length == 0 || !args[0].equals("configure")) {
            return new ProviderTypes(ProviderTypes.builtIn());
        }
        String dir = System.getenv(ENV);
        for (int i = 1; i < args.length; i++) {
            if (args[i].equals(OPTION) && i + 1 < args.length) {
                dir = args[i + 1];
            } else if (args[i].startsWith(OPTION + "=")) {
                dir = args[i].substring(OPTION.length() + 1);
            }
        }
        try {
            return dir != null && !dir.isBlank() ? ProviderTypesLoader.load(Path.of(dir)) : ProviderTypesLoader.load();
        } catch (RuntimeException e) {
            return new ProviderTypes(ProviderTypes.builtIn());
        }
    }

    /** The built-in provider types and those of the jars in the folder; a bad jar stops here, named. */
    ProviderTypes load() {
        try {
            return providersDir != null ? ProviderTypesLoader.load(providersDir) : ProviderTypesLoader.load();
        } catch (IllegalStateException e) {
            throw new CliException(e.getMessage(), 1);
        }
    }
}
