package org.idbroker.server.cli;

import static java.util.Objects.requireNonNull;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import org.idbroker.core.crypto.SecretCipher;
import org.idbroker.core.db.Database;
import org.idbroker.core.providers.ProviderStore;
import org.idbroker.server.BrokerServer;
import org.idbroker.server.config.ConfigApplier;
import org.idbroker.server.config.ConfigFile;
import org.idbroker.server.providers.ProviderTypes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code start --apply FILE}: applies the file on the migrated database before the node serves. Every
 * node does it; nodes starting at once take turns on the apply lock, so the first makes the changes
 * and the others find nothing left to change. A file that cannot be applied stops the start.
 */
final class StartupApply implements BrokerServer.DatabaseStep {

    private static final Logger LOG = LoggerFactory.getLogger(StartupApply.class);

    private final Path file;
    private final ConfigFile config;
    private final ProviderTypes types;
    private final URI publicUrl;

    StartupApply(Path file, ProviderTypes types, URI publicUrl) {
        this.file = requireNonNull(file, "file is null");
        this.types = requireNonNull(types, "types is null");
        this.publicUrl = requireNonNull(publicUrl, "publicUrl is null");
        try {
            this.config = ConfigFile.parse(ApplyCommand.read(file));
        } catch (ConfigFile.InvalidFileException e) {
            throw new Refused(file, e.problems());
        }
    }

    @Override
    public void run(Database database, SecretCipher cipher) {
        List<String> changes;
        try {
            changes = new ConfigApplier(database.jdbi(), new ProviderStore(database.jdbi(), cipher), types, publicUrl,
                    System::getenv).apply(config, false);
        } catch (ConfigFile.InvalidFileException e) {
            throw new Refused(file, e.problems());
        }
        if (changes.isEmpty()) {
            LOG.info("--apply {}: no changes, the broker already is as the file describes it", file);
        }
        changes.forEach(line -> LOG.info("--apply {}: {}", file, line));
    }

    /** The file was not applied: the start stops, and the command prints every problem. */
    static final class Refused extends RuntimeException {
        private final transient List<ConfigFile.Problem> problems;

        Refused(Path file, List<ConfigFile.Problem> problems) {
            super("--apply " + file + " was not applied, nothing changed and the broker did not start: " + problems.size()
                    + " problem(s)", null, false, false);
            this.problems = List.copyOf(problems);
        }

        List<ConfigFile.Problem> problems() {
            return problems;
        }
    }
}
