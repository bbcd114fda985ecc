package org.idbroker.server.cli;

import java.nio.file.Path;
import org.idbroker.server.providers.ProviderTypes;
import org.idbroker.server.providers.ProviderTypesLoader;
import picocli.CommandLine.Option;

/** Where third-party provider jars are: the installation's {@code providers/} folder unless told. */
final class ProvidersOptions {

    @Option(names = "--providers-dir", paramLabel = "DIR", defaultValue = "${env:IDBROKER_PROVIDERS_DIR}",
            description = "Folder of provider module jars to load (default: the installation's providers/ folder). "
                    + "Env: IDBROKER_PROVIDERS_DIR.")
    Path providersDir;

    /** The built-in provider types and those of the jars in the folder; a bad jar stops here, named. */
    ProviderTypes load() {
        try {
            return providersDir != null ? ProviderTypesLoader.load(providersDir) : ProviderTypesLoader.load();
        } catch (IllegalStateException e) {
            throw new CliException(e.getMessage(), 1);
        }
    }
}
