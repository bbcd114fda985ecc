package org.idbroker.server.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.idbroker.core.crypto.MasterKeyCheck;
import org.idbroker.core.crypto.MasterKeys;
import org.idbroker.core.crypto.SecretCipher;
import org.idbroker.core.db.Database;
import org.idbroker.core.db.DatabaseSettings;
import org.idbroker.core.db.DevDatabase;
import org.idbroker.core.providers.ProviderStore;
import org.idbroker.server.providers.DefaultInstances;
import org.idbroker.server.providers.ProviderTypes;
import picocli.CommandLine.Option;

/** Where the data is: an external PostgreSQL, or the embedded one of a data folder. Shared by every command. */
final class DatabaseOptions {

    @Option(names = "--db-url", paramLabel = "JDBC_URL", description = "PostgreSQL to use, as jdbc:postgresql://HOST[:PORT]/DATABASE. Without it, the embedded "
                    + "PostgreSQL of --data-dir is used. Env: IDBROKER_DB_URL.")
    String dbUrl;

    @Option(names = "--db-username", paramLabel = "USER", description = "Database user. Env: IDBROKER_DB_USERNAME.")
    String dbUsername;

    @Option(names = "--db-password-file", paramLabel = "FILE", description = "File holding the database password (never given on the command line). Env: IDBROKER_DB_PASSWORD_FILE.")
    Path dbPasswordFile;

    @Option(names = "--db-pool-size", paramLabel = "N", description = "Most database connections this process opens (default: ${DEFAULT-VALUE}). Env: IDBROKER_DB_POOL_SIZE.")
    int poolSize;

    @Option(names = "--data-dir", paramLabel = "DIR", description = "Folder for the embedded PostgreSQL's data and the master key file (default: ${DEFAULT-VALUE}). "
                    + "Env: IDBROKER_DATA_DIR.")
    Path dataDir;

    @Option(names = "--pg-binaries-dir", paramLabel = "DIR", description = "Folder the embedded PostgreSQL's programs are unpacked into, once (default: "
                    + "~/.cache/idbroker/postgres, or $XDG_CACHE_HOME/idbroker/postgres when set). Env: IDBROKER_PG_BINARIES_DIR.")
    Path pgBinariesDir;

    @Option(names = "--master-key-file", paramLabel = "FILE", description = "File holding the master key that encrypts secrets at rest (default: DATA_DIR/master.key, made at "
                    + "first start). IDBROKER_MASTER_KEY (base64, 32 bytes) takes precedence. Env: IDBROKER_MASTER_KEY_FILE.")
    Path masterKeyFile;

    @Option(names = "--previous-master-key-file", paramLabel = "FILE",
            description = "File holding the master key being replaced, while the master key is rotated: secrets under "
                    + "either key are read, and new ones are encrypted with whichever the database's secrets are under "
                    + "(see 'rotate-master-key'). IDBROKER_PREVIOUS_MASTER_KEY (base64) takes precedence. "
                    + "Env: IDBROKER_PREVIOUS_MASTER_KEY_FILE.")
    Path previousMasterKeyFile;

    boolean embedded() {
        return dbUrl == null || dbUrl.isBlank();
    }

    /**
     * Opens (and for the embedded database, starts or joins) the database, whose schema must be at this version
     * ({@code doctor}, {@code support-bundle}: they never migrate).
     */
    OpenDatabase open() {
        return open(true, false);
    }

    /**
     * Like {@link #open()} for the commands that seed a clean install ({@code admin}, {@code client}): a database
     * without any schema yet gets one, and the built-in types their default instances; an older schema is refused as
     * by {@link #open()}.
     */
    OpenDatabase openForSeeding() {
        return openForSeeding(new ProviderTypes(ProviderTypes.builtIn()));
    }

    /** {@link #openForSeeding()}, seeding the default instances of these types ({@code configure}). */
    OpenDatabase openForSeeding(ProviderTypes types) {
        OpenDatabase open = open(true, true);
        return seeded(open, types);
    }

    /** Opens the database and migrates its schema, then seeds the built-in types' instances ({@code idbroker migrate}). */
    OpenDatabase openAndMigrate() {
        OpenDatabase open = open(false, false);
        try {
            open.database().connect().migrate();
        } catch (RuntimeException e) {
            open.close();
            throw e;
        }
        return seeded(open, new ProviderTypes(ProviderTypes.builtIn()));
    }

    private static OpenDatabase seeded(OpenDatabase open, ProviderTypes types) {
        try {
            DefaultInstances.seed(types, open.database().jdbi());
            return open;
        } catch (RuntimeException e) {
            open.close();
            throw e;
        }
    }

    /**
     * Like {@link #open()}, but an external database is only described: its pool connects and migrates at its
     * first use ({@link org.idbroker.server.BrokerServer#start} does it while it builds the HTTP API).
     */
    OpenDatabase prepare() {
        return open(false, false);
    }

    private OpenDatabase open(boolean connect, boolean installIfEmpty) {
        DevDatabase dev = null;
        DatabaseSettings settings;
        if (embedded()) {
            dev = DevDatabase.open(dataDir, pgBinariesDir);
            settings = dev.settings(poolSize);
        } else {
            try {
                settings = new DatabaseSettings(dbUrl.trim(), blankToNull(dbUsername), password(), poolSize);
            } catch (IllegalArgumentException e) {
                throw new CliException(e.getMessage(), 2);
            }
        }
        try {
            // only start, start-dev and migrate change the schema; every other command needs it current
            Database database = !connect ? Database.create(settings)
                    : installIfEmpty ? Database.open(settings).installOrRequireCurrentSchema()
                    : Database.open(settings).requireCurrentSchema();
            return new OpenDatabase(database, dev);
        } catch (RuntimeException e) {
            if (dev != null) {
                dev.close();
            }
            throw e;
        }
    }

    /** The master key (made at first use when its file is missing), with the previous one when given. */
    SecretCipher cipher() {
        Path file = masterKeyFile != null ? masterKeyFile : dataDir.resolve("master.key");
        try {
            byte[] key = MasterKeys.load(System.getenv("IDBROKER_MASTER_KEY"), file);
            return previousKeyGiven() ? new SecretCipher(key, previousKey()) : new SecretCipher(key);
        } catch (IllegalStateException | IllegalArgumentException e) {
            throw new CliException(e.getMessage());
        }
    }

    /**
     * For {@code rotate-master-key}: the new key (which must exist: it is never made here) and the previous one
     * (required), sealing with the new key.
     */
    SecretCipher rotationCipher() {
        try {
            byte[] newKey = MasterKeys.read(System.getenv("IDBROKER_MASTER_KEY"), "IDBROKER_MASTER_KEY",
                    masterKeyFile, "the new master key", "--master-key-file or IDBROKER_MASTER_KEY");
            if (!previousKeyGiven()) {
                throw new CliException("give the key the secrets are encrypted with now as --previous-master-key-file "
                        + "(or IDBROKER_PREVIOUS_MASTER_KEY), and the new key as --master-key-file (or IDBROKER_MASTER_KEY)", 2);
            }
            return new SecretCipher(newKey, previousKey());
        } catch (IllegalStateException | IllegalArgumentException e) {
            throw new CliException(e.getMessage(), 2);
        }
    }

    private boolean previousKeyGiven() {
        String fromEnvironment = System.getenv("IDBROKER_PREVIOUS_MASTER_KEY");
        return previousMasterKeyFile != null || fromEnvironment != null && !fromEnvironment.isBlank();
    }

    private byte[] previousKey() {
        return MasterKeys.read(System.getenv("IDBROKER_PREVIOUS_MASTER_KEY"), "IDBROKER_PREVIOUS_MASTER_KEY",
                previousMasterKeyFile, "the previous master key", "--previous-master-key-file or IDBROKER_PREVIOUS_MASTER_KEY");
    }

    private String password() {
        if (dbPasswordFile == null) {
            return null;
        }
        try {
            return Files.readString(dbPasswordFile).strip();
        } catch (IOException e) {
            throw new CliException("cannot read the database password file " + dbPasswordFile + ": " + e.getMessage());
        }
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }

    /** A migrated database, and the embedded server this process started, if any. */
    record OpenDatabase(Database database, DevDatabase embedded) implements AutoCloseable {

        /** The provider settings, their secrets sealed with {@code cipher} once it is checked against the database. */
        ProviderStore providerStore(SecretCipher cipher) {
            MasterKeyCheck.verify(database.jdbi(), cipher);
            return new ProviderStore(database.jdbi(), cipher);
        }

        @Override
        public void close() {
            database.close();
            if (embedded != null) {
                embedded.close();
            }
        }
    }
}
