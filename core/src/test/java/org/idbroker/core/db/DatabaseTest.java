package org.idbroker.core.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.idbroker.core.TestingDatabase;
import org.junit.jupiter.api.Test;

/**
 * {@link Database#migrate()} runs one Flyway command: it upgrades an older schema, leaves a current one alone, and
 * still refuses, in its own words, a schema a newer IdBroker migrated, which now shows up as a failed validation.
 */
class DatabaseTest {

    @Test
    void upgradesAnOlderSchemaThenFindsItCurrentWithoutMigratingAgain() {
        try (TestingDatabase db = TestingDatabase.atVersion("3")) {
            db.migrate();
            long rows = historyRows(db);
            try (Database other = Database.open(db.settings())) {
                other.requireCurrentSchema();
                other.migrate();
                assertThat(other.isReady()).isTrue();
            }
            try (Database other = Database.open(db.settings())) {
                other.migrate();
            }
            assertThat(historyRows(db)).as("a current schema is not migrated again").isEqualTo(rows);
        }
    }

    @Test
    void refusesASchemaANewerIdBrokerMigrated() {
        try (TestingDatabase db = TestingDatabase.start()) {
            db.jdbi().useHandle(h -> h.execute("""
                    insert into flyway_schema_history (installed_rank, version, description, type, script, checksum,
                        installed_by, execution_time, success)
                    values (9999, '9999', 'from the future', 'SQL', 'V9999__from_the_future.sql', 0, 'test', 0, true)"""));
            long rows = historyRows(db);
            try (Database older = Database.open(db.settings())) {
                assertThatThrownBy(older::migrate).isInstanceOf(SchemaMismatchException.class)
                        .hasMessageContaining("the database schema is at V9999, newer than this IdBroker knows");
                assertThatThrownBy(older::requireCurrentSchema).isInstanceOf(SchemaMismatchException.class)
                        .hasMessageContaining("newer than this IdBroker knows");
            }
            assertThat(historyRows(db)).isEqualTo(rows);
        }
    }

    @Test
    void anotherFailedValidationIsStillAFailedMigrationNotAVersionMismatch() {
        try (TestingDatabase db = TestingDatabase.start()) {
            db.jdbi().useHandle(h -> h.execute("update flyway_schema_history set checksum = 1 where version = '1'"));
            try (Database other = Database.open(db.settings())) {
                assertThatThrownBy(other::migrate).isInstanceOf(DatabaseUnavailableException.class)
                        .hasMessageContaining("cannot migrate the database schema: Validate failed");
            }
        }
    }

    private static long historyRows(TestingDatabase db) {
        return db.jdbi().withHandle(h -> h.createQuery("select count(*) from flyway_schema_history").mapTo(Long.class).one());
    }
}
