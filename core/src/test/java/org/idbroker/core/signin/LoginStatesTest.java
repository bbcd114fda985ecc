package org.idbroker.core.signin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.idbroker.core.TestingDatabase;
import org.idbroker.core.crypto.SecretCipher;
import org.idbroker.core.crypto.Tokens;
import org.idbroker.core.db.Database;
import org.idbroker.core.db.DatabaseSettings;
import org.idbroker.core.users.Users;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Sealed login states: what they carry, every refusal the stored login transactions gave, and the one-use guard. */
class LoginStatesTest {

    private static TestingDatabase db;
    private static LoginStates states;

    @BeforeAll
    static void start() {
        db = TestingDatabase.start();
        states = new LoginStates(db.jdbi(), db.cipher(), db.clock());
    }

    @AfterAll
    static void stop() {
        db.close();
    }

    @AfterEach
    void resetClock() {
        db.clock().reset();
    }

    @Test
    void givesBackWhatWasSealedAndLeadsAnywhereOnce() throws Exception {
        String id = LoginStates.newId();
        String browser = Tokens.random();
        UUID admin = db.jdbi().inTransaction(h -> Users.createWithUniqueUsername(h, "ada", "Ada", "ada@example.com")).id();
        String sealed = states.seal(id, browser, "Corp", Map.of("state", id, "nonce", "n-1", "verifier", "v-é"), "/app/teams",
                SignInMode.CLAIMS_PREVIEW, admin, "broker.example.com");

        assertThat(sealed).matches("[A-Za-z0-9_-]+").doesNotContain(id).doesNotContain("Corp").doesNotContain("n-1");
        LoginState opened = states.open(sealed, browser, "Corp", "broker.example.com");

        assertThat(opened.id()).isEqualTo(id);
        assertThat(opened.remembered()).containsExactlyInAnyOrderEntriesOf(Map.of("state", id, "nonce", "n-1", "verifier", "v-é"));
        assertThat(opened.redirectAfter()).isEqualTo("/app/teams");
        assertThat(opened.mode()).isEqualTo(SignInMode.CLAIMS_PREVIEW);
        assertThat(opened.startedBy()).isEqualTo(admin);
        assertThat(opened.expiresAt()).isBetween(db.clock().instant().plus(LoginStates.LIFETIME).minusSeconds(2),
                db.clock().instant().plus(LoginStates.LIFETIME));
        assertThat(states.open(sealed, browser, "Corp", null)).as("opening writes nothing").isEqualTo(opened);

        states.spend(opened);

        assertRefused(() -> states.open(sealed, browser, "Corp", null), SignInRefusal.STATE_UNKNOWN);
        assertRefused(() -> states.spend(opened), SignInRefusal.STATE_UNKNOWN);
        assertRefused(() -> states.open(sealed, Tokens.random(), "Corp", null), SignInRefusal.STATE_UNKNOWN);
    }

    @Test
    void aSignInWithoutAdministratorOrHostRoundTripsToo() throws Exception {
        String id = LoginStates.newId();
        String browser = Tokens.random();
        String sealed = states.seal(id, browser, "Corp", Map.of(), "/", SignInMode.SIGN_IN, null, null);

        LoginState opened = states.open(sealed, browser, "Corp", "anywhere:8080");

        assertThat(opened.mode()).isEqualTo(SignInMode.SIGN_IN);
        assertThat(opened.startedBy()).isNull();
        assertThat(opened.remembered()).isEmpty();
    }

    @Test
    void anyChangedByteOrCharacterGarbageOrAnotherKeyIsUnknownNeverAnError() throws Exception {
        String browser = Tokens.random();
        String sealed = states.seal(LoginStates.newId(), browser, "Corp", Map.of("nonce", "n"), "/", SignInMode.SIGN_IN, null, null);
        byte[] bytes = Base64.getUrlDecoder().decode(sealed);
        for (int i = 0; i < bytes.length; i++) {
            byte[] changed = bytes.clone();
            changed[i] ^= 0x01;
            String tampered = Base64.getUrlEncoder().withoutPadding().encodeToString(changed);
            assertRefused(() -> states.open(tampered, browser, "Corp", null), SignInRefusal.STATE_UNKNOWN);
        }
        for (int i = 0; i < sealed.length(); i++) {
            char c = sealed.charAt(i);
            String tampered = sealed.substring(0, i) + (c == 'A' ? 'B' : 'A') + sealed.substring(i + 1);
            assertRefused(() -> states.open(tampered, browser, "Corp", null), SignInRefusal.STATE_UNKNOWN);
        }
        for (String garbage : List.of("forged", "a", "!!!!", sealed + "=", sealed + "A", sealed.substring(1), "=".repeat(40),
                sealed.substring(0, sealed.length() - 1), "x".repeat(LoginStates.MAX_LENGTH + 1), Tokens.random())) {
            assertRefused(() -> states.open(garbage, browser, "Corp", null), SignInRefusal.STATE_UNKNOWN);
        }
        LoginStates otherKey = new LoginStates(db.jdbi(), new SecretCipher(key()), db.clock());
        assertRefused(() -> otherKey.open(sealed, browser, "Corp", null), SignInRefusal.STATE_UNKNOWN);
        assertRefused(() -> states.open(" ", browser, "Corp", null), SignInRefusal.STATE_MISSING);
        assertRefused(() -> states.open(null, browser, "Corp", null), SignInRefusal.STATE_MISSING);
        assertThat(states.open(sealed, browser, "Corp", null).remembered()).containsEntry("nonce", "n");
    }

    @Test
    void aStateSealedWithThePreviousKeyOpensWhileANodeIsGivenItAndNotAfter() throws Exception {
        byte[] oldKey = key();
        byte[] newKey = key();
        String browser = Tokens.random();
        String sealed = new LoginStates(db.jdbi(), new SecretCipher(oldKey), db.clock())
                .seal(LoginStates.newId(), browser, "Corp", Map.of(), "/", SignInMode.SIGN_IN, null, null);

        assertThat(new LoginStates(db.jdbi(), new SecretCipher(newKey, oldKey), db.clock()).open(sealed, browser, "Corp", null))
                .isNotNull();
        assertRefused(() -> new LoginStates(db.jdbi(), new SecretCipher(newKey), db.clock()).open(sealed, browser, "Corp", null),
                SignInRefusal.STATE_UNKNOWN);
    }

    @Test
    void anotherBrowserIsRefusedAndTheRightOneCanStillFinish() throws Exception {
        String browser = Tokens.random();
        String sealed = states.seal(LoginStates.newId(), browser, "Corp", Map.of(), "/", SignInMode.SIGN_IN, null, null);

        assertRefused(() -> states.open(sealed, Tokens.random(), "Corp", null), SignInRefusal.STATE_OTHER_BROWSER);
        assertRefused(() -> states.open(sealed, null, "Corp", null), SignInRefusal.STATE_OTHER_BROWSER);
        assertThat(states.open(sealed, browser, "Corp", null).mode()).isEqualTo(SignInMode.SIGN_IN);
    }

    @Test
    void aCallbackAtAnotherHostThanTheStartSaysWhereTheSignInStarted() throws Exception {
        String browser = Tokens.random();
        String sealed = states.seal(LoginStates.newId(), browser, "Corp", Map.of(), "/", SignInMode.SIGN_IN, null, "127.0.0.1:8080");

        assertThatThrownBy(() -> states.open(sealed, null, "Corp", "localhost:8080"))
                .isInstanceOfSatisfying(LoginStateException.class, e -> {
                    assertThat(e.refusal()).isEqualTo(SignInRefusal.STATE_OTHER_HOST);
                    assertThat(e.startedHost()).contains("127.0.0.1:8080");
                });
        assertRefused(() -> states.open(sealed, null, "Corp", "127.0.0.1:8080"), SignInRefusal.STATE_OTHER_BROWSER);
        assertRefused(() -> states.open(sealed, null, "Corp", null), SignInRefusal.STATE_OTHER_BROWSER);
        assertThat(states.open(sealed, browser, "Corp", "localhost:8080")).as("the browser's own cookie came along").isNotNull();
    }

    @Test
    void expiresAfterTenMinutes() throws Exception {
        String browser = Tokens.random();
        String sealed = states.seal(LoginStates.newId(), browser, "Corp", Map.of(), "/", SignInMode.SIGN_IN, null, null);
        db.clock().advance(LoginStates.LIFETIME.minus(Duration.ofSeconds(2)));
        assertThat(states.open(sealed, browser, "Corp", null)).isNotNull();

        db.clock().advance(Duration.ofSeconds(3));

        assertRefused(() -> states.open(sealed, browser, "Corp", null), SignInRefusal.STATE_EXPIRED);
    }

    @Test
    void aStateIsBoundToItsProvider() throws Exception {
        String browser = Tokens.random();
        String sealed = states.seal(LoginStates.newId(), browser, "Corp", Map.of(), "/", SignInMode.SIGN_IN, null, null);

        assertRefused(() -> states.open(sealed, browser, "Other", null), SignInRefusal.STATE_UNKNOWN);
        assertRefused(() -> states.open(sealed, browser, null, null), SignInRefusal.STATE_UNKNOWN);
    }

    @Test
    void ofTwoUsesAtOnceExactlyOneSpendsTheStateAndTheOtherWaitsForItsCommit() throws Exception {
        String browser = Tokens.random();
        String sealed = states.seal(LoginStates.newId(), browser, "Corp", Map.of(), "/", SignInMode.SIGN_IN, null, null);
        LoginState first = states.open(sealed, browser, "Corp", null);
        LoginState second = states.open(sealed, browser, "Corp", null);
        CountDownLatch spentInFirst = new CountDownLatch(1);
        CountDownLatch releaseFirst = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            Future<Boolean> a = pool.submit(() -> db.jdbi().inTransaction(h -> {
                states.spend(h, first);
                spentInFirst.countDown();
                releaseFirst.await(10, TimeUnit.SECONDS);
                return true;
            }));
            assertThat(spentInFirst.await(10, TimeUnit.SECONDS)).isTrue();
            Future<Boolean> b = pool.submit(() -> {
                try {
                    db.jdbi().useTransaction(h -> states.spend(h, second));
                    return true;
                } catch (LoginStateException e) {
                    assertThat(e.refusal()).isEqualTo(SignInRefusal.STATE_UNKNOWN);
                    return false;
                }
            });
            Thread.sleep(200);
            assertThat(b.isDone()).as("the second use waits for the first's transaction").isFalse();
            releaseFirst.countDown();

            assertThat(a.get(10, TimeUnit.SECONDS)).isTrue();
            assertThat(b.get(10, TimeUnit.SECONDS)).as("the second use is refused").isFalse();
        } finally {
            releaseFirst.countDown();
            pool.shutdownNow();
        }
    }

    @Test
    void aSpendRolledBackLeavesTheStateUsable() throws Exception {
        String browser = Tokens.random();
        String sealed = states.seal(LoginStates.newId(), browser, "Corp", Map.of(), "/", SignInMode.SIGN_IN, null, null);
        LoginState opened = states.open(sealed, browser, "Corp", null);

        assertThatThrownBy(() -> db.jdbi().useTransaction(h -> {
            states.spend(h, opened);
            throw new IllegalStateException("the sign-in failed");
        })).isInstanceOf(IllegalStateException.class);

        states.spend(opened, h -> { });
        assertRefused(() -> states.open(sealed, browser, "Corp", null), SignInRefusal.STATE_UNKNOWN);
    }

    @Test
    void aStateThatWouldBeLongerThan4096CharactersIsRefusedAtTheStart() throws Exception {
        String browser = Tokens.random();
        String id = LoginStates.newId();
        // an OpenID Connect sign-in as Authentik's provider starts it: the state, a nonce and a PKCE verifier kept
        Map<String, String> oidc = Map.of("state", id, "nonce", Tokens.random(), "code_verifier", Tokens.random());
        String typical = states.seal(id, browser, "Authentik", oidc, "/app/teams", SignInMode.SIGN_IN, null, "idbroker.example.com");
        // the longest the web layer lets through: a 2,048-character path and a 253-character host name with a port
        String longest = states.seal(LoginStates.newId(), browser, "A".repeat(64), oidc, "/" + "a".repeat(2047),
                SignInMode.CLAIMS_PREVIEW, UUID.randomUUID(), "h".repeat(253) + ":65535");
        System.out.printf("login state: %d characters for an Authentik-like sign-in, %d for the longest ASCII one%n",
                typical.length(), longest.length());

        assertThat(typical.length()).isBetween(200, 400);
        assertThat(longest.length()).isLessThanOrEqualTo(LoginStates.MAX_LENGTH);
        assertThat(states.open(longest, browser, "A".repeat(64), null).redirectAfter()).hasSize(2048);
        // non-ASCII characters take up to three bytes each
        assertRefused(() -> states.seal(LoginStates.newId(), browser, "Corp", Map.of(), "/" + "€".repeat(2047), SignInMode.SIGN_IN,
                null, null), SignInRefusal.STATE_TOO_LONG);
        assertThat(SignInRefusal.STATE_TOO_LONG.code()).isEqualTo("state_too_long");
    }

    @Test
    void theSealedStateTakesThePlaceOfTheProvidersStateAndNothingElse() {
        String id = LoginStates.newId();
        URI authorize = URI.create("https://idp.example.com/authorize?client_id=c&redirect_uri=https%3A%2F%2Fb%2Fcb%3Fstate%3D" + id
                + "&state=other&state=" + id + "&scope=openid+email#frag");

        URI carrying = LoginStates.carrying(authorize, id, "SEALED-value_1").orElseThrow();

        assertThat(carrying.toString()).isEqualTo("https://idp.example.com/authorize?client_id=c&redirect_uri=https%3A%2F%2Fb%2Fcb%3F"
                + "state%3D" + id + "&state=other&state=SEALED-value_1&scope=openid+email#frag");
        assertThat(LoginStates.carrying(URI.create("https://idp.example.com/authorize?state=other"), id, "s")).isEmpty();
        assertThat(LoginStates.carrying(URI.create("https://idp.example.com/authorize"), id, "s")).isEmpty();
        assertThat(LoginStates.carrying(URI.create("https://idp.example.com/a?x=a%2Bb&st%61te=" + id), id, "s"))
                .hasValue(URI.create("https://idp.example.com/a?x=a%2Bb&st%61te=s"));
    }

    @Test
    void spentIdsAreDeletedFiveMinutesAfterTheirStateExpired() throws Exception {
        Instant now = Instant.now();
        LoginState old = new LoginState(LoginStates.newId(), "Corp", Map.of(), "/", SignInMode.SIGN_IN,
                now.minus(LoginStates.SPENT_KEPT_AFTER_EXPIRY).minusSeconds(60), null);
        LoginState recent = new LoginState(LoginStates.newId(), "Corp", Map.of(), "/", SignInMode.SIGN_IN,
                now.minus(LoginStates.SPENT_KEPT_AFTER_EXPIRY).plusSeconds(60), null);
        states.spend(old);
        states.spend(recent);

        assertThat(states.purgeSpent()).isGreaterThanOrEqualTo(1);

        assertThat(spentRows(recent)).isEqualTo(1);
        assertThat(spentRows(old)).isZero();
    }

    private static long spentRows(LoginState state) {
        return db.jdbi().withHandle(h -> h.createQuery("select count(*) from spent_login_states where id = :id")
                .bind("id", Base64.getUrlDecoder().decode(state.id())).mapTo(Long.class).one());
    }

    /**
     * The spent-id look-up stays a primary-key scan on a connection that used it while the table was nearly empty:
     * as a prepared statement's generic plan it became a sequential scan there and stayed one as the table grew.
     */
    @Test
    void theSpentLookUpUsesTheKeyAfterTheTableGrew() throws Exception {
        DatabaseSettings settings = db.settings();
        try (Database one = Database.open(new DatabaseSettings(settings.jdbcUrl(), settings.username(), settings.password(), 1))) {
            LoginStates onOneConnection = new LoginStates(one.jdbi(), db.cipher(), db.clock());
            String browser = Tokens.random();
            // a broker's first minute: a page of spent ids, analysed (autovacuum does it after 50 rows)
            spendMany(0, 100, true);
            // enough uses for pgjdbc to prepare it on the server and PostgreSQL to weigh a generic plan
            for (int i = 0; i < 15; i++) {
                onOneConnection.open(onOneConnection.seal(LoginStates.newId(), browser, "Corp", Map.of(), "/", SignInMode.SIGN_IN,
                        null, null), browser, "Corp", null);
            }
            spendMany(100, 20_000, false);
            long[] before = scans(one);
            for (int i = 0; i < 10; i++) {
                onOneConnection.open(onOneConnection.seal(LoginStates.newId(), browser, "Corp", Map.of(), "/", SignInMode.SIGN_IN,
                        null, null), browser, "Corp", null);
            }
            long[] after = scans(one);
            assertThat(after[0] - before[0]).as("sequential scans of spent_login_states").isZero();
            assertThat(after[1] - before[1]).as("index scans of spent_login_states").isGreaterThanOrEqualTo(10);
        }
    }

    /** Spends ids {@code from} to {@code to} (made up), and analyses the table when asked, as autovacuum would. */
    private static void spendMany(int from, int to, boolean analyse) {
        db.jdbi().useHandle(h -> {
            h.execute("""
                    insert into spent_login_states (id, expires_at)
                    select sha256(g::text::bytea), now() + interval '10 minutes' from generate_series(?, ?) g""", from + 1, to);
            if (analyse) {
                h.execute("analyze spent_login_states");
            }
        });
    }

    /** Sequential and index scans of spent_login_states so far, with the one connection's own counts flushed. */
    private static long[] scans(Database one) throws InterruptedException {
        one.jdbi().useHandle(h -> h.execute("select pg_stat_force_next_flush()"));
        return db.scans("spent_login_states");
    }

    private static void assertRefused(ThrowingCallable call, SignInRefusal refusal) {
        assertThatThrownBy(call).isInstanceOfSatisfying(LoginStateException.class, e -> assertThat(e.refusal()).isEqualTo(refusal));
    }

    private static byte[] key() {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        return key;
    }
}
