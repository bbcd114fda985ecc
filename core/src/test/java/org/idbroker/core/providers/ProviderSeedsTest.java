package org.idbroker.core.providers;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.idbroker.core.TestingDatabase;
import org.junit.jupiter.api.Test;

class ProviderSeedsTest {

    private static final Map<String, String> SETTINGS = Map.of("enabled", "false", "displayName", "OpenID Connect");

    @Test
    void aFreshDatabaseHasNoInstanceUntilAnInstalledTypeSeedsItsOwnOnce() {
        try (TestingDatabase db = TestingDatabase.start()) {
            ProviderSeeds seeds = new ProviderSeeds(db.jdbi());
            assertThat(ids(db)).isEmpty();

            assertThat(seeds.seedOnce("oidc", "GenericOidc", SETTINGS)).isTrue();
            assertThat(seeds.seedOnce("oidc", "GenericOidc", SETTINGS)).isFalse();

            assertThat(ids(db)).containsExactly("GenericOidc");
            assertThat(store(db).find("GenericOidc")).map(ProviderRecord::settings).contains(SETTINGS);
        }
    }

    @Test
    void anInstanceTheAdministratorDeletedIsNotMadeAgain() {
        try (TestingDatabase db = TestingDatabase.start()) {
            ProviderSeeds seeds = new ProviderSeeds(db.jdbi());
            seeds.seedOnce("oidc", "GenericOidc", SETTINGS);
            store(db).delete("GenericOidc");

            assertThat(seeds.seedOnce("oidc", "GenericOidc", SETTINGS)).isFalse();
            assertThat(ids(db)).isEmpty();
        }
    }

    @Test
    void anInstanceOfThatIdMadeBeforeTheSeedingIsKeptAsItIs() {
        try (TestingDatabase db = TestingDatabase.start()) {
            store(db).save("GenericOidc", "oidc", Map.of("enabled", "true", "issuer", "https://idp.example.com/"), Map.of());

            assertThat(new ProviderSeeds(db.jdbi()).seedOnce("oidc", "GenericOidc", SETTINGS)).isFalse();
            assertThat(store(db).find("GenericOidc")).map(ProviderRecord::settings)
                    .contains(Map.of("enabled", "true", "issuer", "https://idp.example.com/"));
        }
    }

    @Test
    void anOlderDatabasesUntouchedGenericOidcGoesBackToTheSeedingAndIsMadeAgain() {
        try (TestingDatabase db = TestingDatabase.atVersion("9")) {
            assertThat(ids(db)).containsExactly("GenericOidc");
            db.migrate();

            assertThat(ids(db)).isEmpty();
            assertThat(new ProviderSeeds(db.jdbi()).seedOnce("oidc", "GenericOidc", SETTINGS)).isTrue();
        }
    }

    @Test
    void anOlderDatabasesChangedGenericOidcIsKeptAndCountsAsSeeded() {
        try (TestingDatabase db = TestingDatabase.atVersion("9")) {
            db.jdbi().useHandle(h -> h.execute("update providers set settings = '{\"enabled\": \"true\", \"displayName\": \"Corp\"}',"
                    + " version = version + 1 where id = 'GenericOidc'"));
            db.migrate();

            assertThat(new ProviderSeeds(db.jdbi()).seedOnce("oidc", "GenericOidc", SETTINGS)).isFalse();
            assertThat(store(db).find("GenericOidc")).map(r -> r.settings().get("displayName")).contains("Corp");
        }
    }

    @Test
    void anOlderDatabasesDeletedGenericOidcStaysDeleted() {
        try (TestingDatabase db = TestingDatabase.atVersion("9")) {
            db.jdbi().useHandle(h -> h.execute("delete from providers where id = 'GenericOidc'"));
            db.migrate();

            assertThat(new ProviderSeeds(db.jdbi()).seedOnce("oidc", "GenericOidc", SETTINGS)).isFalse();
            assertThat(ids(db)).isEmpty();
        }
    }

    private static ProviderStore store(TestingDatabase db) {
        return new ProviderStore(db.jdbi(), db.cipher());
    }

    private static List<String> ids(TestingDatabase db) {
        return store(db).list().stream().map(ProviderRecord::id).toList();
    }
}
