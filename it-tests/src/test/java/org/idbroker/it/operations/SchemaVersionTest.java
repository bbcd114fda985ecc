package org.idbroker.it.operations;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.flywaydb.core.Flyway;
import org.idbroker.core.db.Database;
import org.idbroker.core.db.DatabaseSettings;
import org.idbroker.core.db.SchemaMismatchException;
import org.idbroker.it.support.TestingBroker;
import org.idbroker.it.support.TestingPostgres;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Only start, start-dev and migrate change the schema; every other command, and an older node, refuse a schema not theirs. */
class SchemaVersionTest {

    private String jdbcUrl;
    private final Path key = org.idbroker.testkit.TestingBroker.writeTemp("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=");

    @BeforeEach
    void database() {
        jdbcUrl = TestingPostgres.newDatabase();
    }

    @AfterEach
    void drop() {
        TestingPostgres.dropDatabase(jdbcUrl);
    }

    @Test
    void commandsRefuseAnOlderSchemaAndNeverMigrateIt() {
        Flyway.configure().dataSource(jdbcUrl, TestingPostgres.user(), null)
                .locations("classpath:db/migration").target("3").load().migrate();
        long before = historyRows();

        TestingBroker.CliResult doctor = cli("doctor", "--public-url", "https://broker.example.com");
        TestingBroker.CliResult bundle = cli("support-bundle", "--output", "/tmp/w18-never.zip");
        TestingBroker.CliResult admin = cli("admin", "--username", "a", "--email", "a@example.com");

        for (TestingBroker.CliResult result : List.of(doctor, bundle, admin)) {
            assertThat(result.exitCode()).isEqualTo(1);
            assertThat(result.err()).contains("older than this IdBroker expects (it is at V3").contains("idbroker migrate");
        }
        assertThat(historyRows()).as("nothing was migrated").isEqualTo(before);

        TestingBroker.CliResult migrate = cli("migrate");
        assertThat(migrate.exitCode()).as(migrate.err()).isZero();
        assertThat(migrate.out()).contains("The database schema is at V");
        TestingBroker.CliResult afterwards = cli("admin", "--username", "a", "--email", "a@example.com");
        assertThat(afterwards.exitCode()).as(afterwards.err()).isZero();
    }

    @Test
    void aCleanInstallIsSeededBeforeTheFirstStartButReadOnlyCommandsNeverMigrate() {
        TestingBroker.CliResult doctor = cli("doctor", "--public-url", "https://broker.example.com");
        assertThat(doctor.exitCode()).isEqualTo(1);
        assertThat(doctor.err()).contains("older than this IdBroker expects (it is at no version").contains("idbroker migrate");
        assertThat(historyRows()).as("doctor migrated nothing").isZero();

        // the guide's first step on a clean instance: seed an administrator, then start
        TestingBroker.CliResult admin = cli("admin", "--username", "a", "--email", "a@example.com");
        assertThat(admin.exitCode()).as(admin.err()).isZero();
        assertThat(historyRows()).as("admin gave the empty database its schema").isPositive();
    }

    @Test
    void anOlderNodeRefusesASchemaANewerOneMigrated() {
        assertThat(cli("migrate").exitCode()).isZero();
        try (Database database = Database.open(new DatabaseSettings(jdbcUrl, TestingPostgres.user(), null, 2))) {
            database.jdbi().useHandle(h -> h.execute("""
                    insert into flyway_schema_history (installed_rank, version, description, type, script, checksum,
                        installed_by, execution_time, success)
                    values (9999, '9999', 'from the future', 'SQL', 'V9999__from_the_future.sql', 0, 'test', 0, true)"""));
        }

        TestingBroker.CliResult migrate = cli("migrate");
        TestingBroker.CliResult admin = cli("admin", "--username", "a", "--email", "a@example.com");
        for (TestingBroker.CliResult result : List.of(migrate, admin)) {
            assertThat(result.exitCode()).isEqualTo(1);
            assertThat(result.err()).contains("the database schema is at V9999, newer than this IdBroker knows");
        }
        // what a starting node runs before it serves
        try (Database database = Database.create(new DatabaseSettings(jdbcUrl, TestingPostgres.user(), null, 2))) {
            assertThatThrownBy(() -> database.connect().migrate()).isInstanceOf(SchemaMismatchException.class)
                    .hasMessageContaining("newer than this IdBroker knows");
        }
    }

    private long historyRows() {
        try (Database database = Database.open(new DatabaseSettings(jdbcUrl, TestingPostgres.user(), null, 2))) {
            return database.jdbi().withHandle(h -> h.createQuery(
                    "select to_regclass('flyway_schema_history') is not null").mapTo(Boolean.class).one()
                    ? h.createQuery("select count(*) from flyway_schema_history").mapTo(Long.class).one() : 0L);
        }
    }

    private TestingBroker.CliResult cli(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--db-url", jdbcUrl, "--master-key-file", key.toString()));
        if (TestingPostgres.user() != null) {
            all.addAll(List.of("--db-username", TestingPostgres.user()));
        }
        return TestingBroker.run(all.toArray(String[]::new));
    }
}
