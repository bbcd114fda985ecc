package org.idbroker.core.signin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.idbroker.core.TestingDatabase;
import org.idbroker.core.crypto.Tokens;
import org.idbroker.core.users.Users;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class LoginTransactionsTest {

    private static TestingDatabase db;
    private static LoginTransactions transactions;

    @BeforeAll
    static void start() {
        db = TestingDatabase.start();
        transactions = new LoginTransactions(db.jdbi(), db.cipher(), db.clock());
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
    void givesBackWhatWasRememberedOnce() throws Exception {
        String state = Tokens.random();
        String browser = Tokens.random();
        UUID admin = db.jdbi().inTransaction(h -> Users.createWithUniqueUsername(h, "ada", "Ada", "ada@example.com")).id();
        transactions.save(state, browser, "Corp", Map.of("nonce", "n-1", "verifier", "v-1"), "/app/teams",
                SignInMode.CLAIMS_PREVIEW, admin, null);

        LoginTransaction taken = transactions.consume(state, browser, "Corp");

        assertThat(taken.remembered()).containsExactlyInAnyOrderEntriesOf(Map.of("nonce", "n-1", "verifier", "v-1"));
        assertThat(taken.redirectAfter()).isEqualTo("/app/teams");
        assertThat(taken.mode()).isEqualTo(SignInMode.CLAIMS_PREVIEW);
        assertThat(taken.startedBy()).isEqualTo(admin);
        assertThatThrownBy(() -> transactions.consume(state, browser, "Corp"))
                .isInstanceOfSatisfying(LoginStateException.class, e -> assertThat(e.refusal()).isEqualTo(SignInRefusal.STATE_UNKNOWN));
    }

    @Test
    void anotherBrowserIsRefusedAndTheRightOneCanStillFinish() throws Exception {
        String state = Tokens.random();
        String browser = Tokens.random();
        transactions.save(state, browser, "Corp", Map.of(), "/", SignInMode.SIGN_IN, null, null);

        assertThatThrownBy(() -> transactions.consume(state, Tokens.random(), "Corp"))
                .isInstanceOfSatisfying(LoginStateException.class,
                        e -> assertThat(e.refusal()).isEqualTo(SignInRefusal.STATE_OTHER_BROWSER));
        assertThatThrownBy(() -> transactions.consume(state, null, "Corp"))
                .isInstanceOfSatisfying(LoginStateException.class,
                        e -> assertThat(e.refusal()).isEqualTo(SignInRefusal.STATE_OTHER_BROWSER));
        assertThat(transactions.consume(state, browser, "Corp").mode()).isEqualTo(SignInMode.SIGN_IN);
    }

    @Test
    void aCallbackAtAnotherHostThanTheStartSaysWhereTheSignInStarted() {
        String state = Tokens.random();
        transactions.save(state, Tokens.random(), "Corp", Map.of(), "/", SignInMode.SIGN_IN, null, "127.0.0.1:8080");

        assertThatThrownBy(() -> transactions.consume(state, null, "Corp", "localhost:8080"))
                .isInstanceOfSatisfying(LoginStateException.class, e -> {
                    assertThat(e.refusal()).isEqualTo(SignInRefusal.STATE_OTHER_HOST);
                    assertThat(e.startedHost()).contains("127.0.0.1:8080");
                });
    }

    @Test
    void expiresAfterTenMinutes() {
        String state = Tokens.random();
        String browser = Tokens.random();
        transactions.save(state, browser, "Corp", Map.of(), "/", SignInMode.SIGN_IN, null, null);
        db.clock().advance(LoginTransactions.LIFETIME.plus(Duration.ofSeconds(1)));

        assertThatThrownBy(() -> transactions.consume(state, browser, "Corp"))
                .isInstanceOfSatisfying(LoginStateException.class, e -> assertThat(e.refusal()).isEqualTo(SignInRefusal.STATE_EXPIRED));
    }

    @Test
    void aStateIsBoundToItsProviderAndMustBePresent() {
        String state = Tokens.random();
        String browser = Tokens.random();
        transactions.save(state, browser, "Corp", Map.of(), "/", SignInMode.SIGN_IN, null, null);

        assertThatThrownBy(() -> transactions.consume(state, browser, "Other"))
                .isInstanceOfSatisfying(LoginStateException.class, e -> assertThat(e.refusal()).isEqualTo(SignInRefusal.STATE_UNKNOWN));
        assertThatThrownBy(() -> transactions.consume(" ", browser, "Corp"))
                .isInstanceOfSatisfying(LoginStateException.class, e -> assertThat(e.refusal()).isEqualTo(SignInRefusal.STATE_MISSING));
        assertThatThrownBy(() -> transactions.consume("x".repeat(513), browser, "Corp"))
                .isInstanceOfSatisfying(LoginStateException.class, e -> assertThat(e.refusal()).isEqualTo(SignInRefusal.STATE_UNKNOWN));
    }
}
