package org.idbroker.core.signin;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.idbroker.core.TestingDatabase;
import org.idbroker.core.apikeys.ApiKeys;
import org.idbroker.core.auth.Callers;
import org.idbroker.core.auth.Credentials;
import org.idbroker.core.events.Events;
import org.idbroker.core.providers.ConfiguredProvider;
import org.idbroker.core.sessions.SessionLifetimes;
import org.idbroker.core.sessions.Sessions;
import org.idbroker.core.signin.SignInOutcome.Previewed;
import org.idbroker.core.signin.SignInOutcome.Refused;
import org.idbroker.core.signin.SignInOutcome.SignedIn;
import org.idbroker.core.signin.SignInOutcome.Started;
import org.idbroker.core.teams.Memberships;
import org.idbroker.core.users.User;
import org.idbroker.core.users.Users;
import org.idbroker.spi.AuthenticatedIdentity;
import org.idbroker.spi.CallbackRequest;
import org.idbroker.spi.IdentityProvider;
import org.idbroker.spi.RejectionReason;
import org.idbroker.spi.SignInRejectedException;
import org.idbroker.spi.SignInRequest;
import org.idbroker.spi.SignInStart;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The sign-in use case against a real PostgreSQL, with a provider that vouches for whoever the test
 * says: the matching rules, the session, the events, and the claims preview changing nothing.
 */
class SignInsTest {

    private static final String ISSUER = "https://idp.example.com";

    private static TestingDatabase db;
    private static Sessions sessions;
    private static Users users;
    private static SignIns signIns;
    private static final ScriptedProvider IDP = new ScriptedProvider();
    private static volatile ConfiguredProvider corp;

    @BeforeAll
    static void start() {
        db = TestingDatabase.start();
        sessions = new Sessions(db.jdbi(), db.cipher(), db.clock(), SessionLifetimes.DEFAULT);
        users = new Users(db.jdbi());
        IdentityMatcher matcher = new IdentityMatcher(db.jdbi());
        Callers callers = new Callers(sessions, new ApiKeys(db.jdbi(), db.clock()));
        signIns = new SignIns(db.jdbi(), id -> Optional.ofNullable(corp).filter(p -> p.id().equals(id)),
                new LoginTransactions(db.jdbi(), db.cipher(), db.clock()), matcher, sessions,
                new ClaimsPreviews(callers, matcher, new Memberships(db.jdbi()), new Events(db.jdbi())),
                URI.create("https://broker.example.com"));
    }

    @AfterAll
    static void stop() {
        db.close();
    }

    @BeforeEach
    void enabledProvider() {
        provider(true, true, false);
    }

    @Test
    void aFirstSignInCreatesTheAccountAndASessionAndTheSecondFindsItByIssuerAndSubject() {
        SignedIn first = (SignedIn) signIn(identity("s-grace", "grace", "grace@example.com", true, List.of("ops")), "/app/teams");

        assertThat(first.rule()).isEqualTo(MatchRule.CREATED);
        assertThat(first.redirectAfter()).isEqualTo("/app/teams");
        assertThat(first.sessionLifetime()).isEqualTo(SessionLifetimes.DEFAULT.absolute());
        User grace = sessions.findWithUser(first.sessionToken(), false).orElseThrow().user();
        assertThat(grace.username()).isEqualTo("grace");
        assertThat(grace.externalGroups()).containsExactly("ops");

        SignedIn second = (SignedIn) signIn(identity("s-grace", "grace", "grace@example.com", true, List.of("dev")), "/");
        assertThat(second.rule()).isEqualTo(MatchRule.EXTERNAL_IDENTIFIER);
        assertThat(sessions.findWithUser(second.sessionToken(), false).orElseThrow().user().externalGroups()).containsExactly("dev");
        assertThat(lastEvent(Events.SIGN_IN)).containsEntry("outcome", Events.SUCCESS);
    }

    @Test
    void theSessionTheBrowserCameWithEndsAtSignIn() {
        SignedIn before = (SignedIn) signIn(identity("s-hal", "hal", "hal@example.com", true, List.of()), "/");

        SignedIn after = (SignedIn) signIn(identity("s-hal", "hal", "hal@example.com", true, List.of()), "/",
                new Credentials(null, before.sessionToken()));

        assertThat(after.sessionToken()).isNotEqualTo(before.sessionToken());
        assertThat(sessions.find(before.sessionToken())).isEmpty();
        assertThat(sessions.find(after.sessionToken())).isPresent();
    }

    @Test
    void aVerifiedEmailLinksTheExistingAccountAndAnUnverifiedOneOnlyWhenTheProviderTrustsEmail() {
        createUser("ivy", "ivy@example.com");

        Refused unverified = (Refused) signIn(identity("s-ivy", "ivy.idp", "IVY@example.com", false, List.of()), "/");
        assertThat(unverified.failure()).isEqualTo(SignInFailure.ACCOUNT_REFUSED);
        assertThat(unverified.code()).isEqualTo("email_not_verified");
        assertThat(lastEvent(Events.SIGN_IN)).containsEntry("outcome", Events.FAILURE).containsEntry("reason", "email_not_verified");

        provider(true, true, true);
        SignedIn trusted = (SignedIn) signIn(identity("s-ivy", "ivy.idp", "IVY@example.com", false, List.of()), "/");
        assertThat(trusted.rule()).isEqualTo(MatchRule.EMAIL);
        assertThat(trusted.username()).isEqualTo("ivy");
    }

    @Test
    void twoAccountsWithTheEmailAreAmbiguous() {
        createUser("jo1", "jo@example.com");
        createUser("jo2", "JO@example.com");

        Refused refused = (Refused) signIn(identity("s-jo", "jo", "jo@example.com", true, List.of()), "/");

        assertThat(refused.code()).isEqualTo("ambiguous_email");
    }

    @Test
    void withoutAutoCreationNobodyNewGetsInAndATakenUsernameGetsANumber() {
        provider(true, false, false);
        Refused refused = (Refused) signIn(identity("s-kim", "kim", "kim@example.com", true, List.of()), "/");
        assertThat(refused.code()).isEqualTo("no_matching_account");
        assertThat(users.findByUsername("kim")).isEmpty();

        createUser("lee", "lee@elsewhere.example");
        provider(true, true, false);
        SignedIn created = (SignedIn) signIn(identity("s-lee", "lee", "lee@example.com", true, List.of()), "/");
        assertThat(created.username()).isEqualTo("lee2");
    }

    @Test
    void aDisabledAccountIsRefused() {
        SignedIn first = (SignedIn) signIn(identity("s-max", "max", "max@example.com", true, List.of()), "/");
        db.jdbi().useHandle(h -> h.execute("update users set active = false where username = ?", first.username()));

        Refused refused = (Refused) signIn(identity("s-max", "max", "max@example.com", true, List.of()), "/");

        assertThat(refused.code()).isEqualTo("user_inactive");
    }

    @Test
    void theProvidersRefusalKeepsItsReasonAndIsRecorded() {
        IDP.refuseWith = new SignInRejectedException(RejectionReason.IDP_ERROR, "access_denied: the user said no");
        try {
            Refused refused = (Refused) signIn(identity("s-ned", "ned", null, false, List.of()), "/");

            assertThat(refused.failure()).isEqualTo(SignInFailure.IDP_REFUSED);
            assertThat(refused.code()).isEqualTo("idp_error");
            assertThat(lastEvent(Events.SIGN_IN)).containsEntry("reason", "idp_error");
        } finally {
            IDP.refuseWith = null;
        }
    }

    @Test
    void aDisabledOrUnknownProviderIsRefusedBeforeTheIdp() {
        provider(false, true, false);

        Refused disabled = (Refused) signIns.start("Corp", SignInMode.SIGN_IN, "/", null, Credentials.NONE, null);
        Refused unknown = (Refused) signIns.start("No\nSuch", SignInMode.SIGN_IN, "/", null, Credentials.NONE, null);

        assertThat(disabled.failure()).isEqualTo(SignInFailure.UNKNOWN_PROVIDER);
        assertThat(unknown.providerId()).isEqualTo("(invalid id)");
    }

    @Test
    void aCallbackParameterThatIsTooLongIsRefused() {
        Refused refused = (Refused) signIns.finish("Corp", Map.of("state", List.of("x".repeat(SignIns.MAX_VALUE_LENGTH + 1))),
                null, Credentials.NONE, null);

        assertThat(refused.failure()).isEqualTo(SignInFailure.INVALID_REQUEST);
        assertThat(refused.code()).isEqualTo("invalid_callback");
    }

    @Test
    void aClaimsPreviewNeedsTheAdministratorAndChangesNothing() {
        Refused anonymous = (Refused) signIns.start("Corp", SignInMode.CLAIMS_PREVIEW, "/", null, Credentials.NONE, null);
        assertThat(anonymous.failure()).isEqualTo(SignInFailure.NOT_ALLOWED);

        Users.SeedResult admin = users.seedAdministrator("root", "root@example.com");
        String adminSession = db.jdbi().inTransaction(h -> sessions.create(h, admin.user().id(), "Corp", null, null, null));
        Credentials asAdmin = new Credentials(null, adminSession);
        Started started = (Started) signIns.start("Corp", SignInMode.CLAIMS_PREVIEW, "/ignored", null, asAdmin, null);
        IDP.next = identity("s-olga", "olga", "olga@example.com", true, List.of("ops"));

        Previewed previewed = (Previewed) signIns.finish("Corp", Map.of("state", List.of(IDP.lastState)), started.browserKey(),
                asAdmin, null);

        assertThat(previewed.preview().outcome()).isEqualTo("would-sign-in");
        assertThat(previewed.preview().matchedBy()).isEqualTo("created");
        assertThat(users.findByUsername("olga")).isEmpty();
        assertThat(lastEvent(ClaimsPreviews.EVENT)).containsEntry("outcome", Events.SUCCESS);
    }

    private static SignInOutcome signIn(AuthenticatedIdentity identity, String redirectAfter) {
        return signIn(identity, redirectAfter, Credentials.NONE);
    }

    private static SignInOutcome signIn(AuthenticatedIdentity identity, String redirectAfter, Credentials credentials) {
        Started started = (Started) signIns.start("Corp", SignInMode.SIGN_IN, redirectAfter, null, credentials, null);
        assertThat(started.authorizationUri().getQuery()).isEqualTo("state=" + IDP.lastState);
        IDP.next = identity;
        return signIns.finish("Corp", Map.of("state", List.of(IDP.lastState), "code", List.of("c")), started.browserKey(),
                credentials, null);
    }

    private static void provider(boolean enabled, boolean autoCreate, boolean trustEmail) {
        corp = new ConfiguredProvider("Corp", "scripted", "Corp", enabled, new ProviderPolicy("Corp", autoCreate, trustEmail),
                Map.of(), IDP, null, 1);
    }

    private static void createUser(String username, String email) {
        db.jdbi().useTransaction(h -> Users.createWithUniqueUsername(h, username, username, email));
    }

    private static Map<String, Object> lastEvent(String type) {
        return db.jdbi().withHandle(h -> h.createQuery("select outcome, reason from events where type = :type order by id desc limit 1")
                .bind("type", type).mapToMap().one());
    }

    private static AuthenticatedIdentity identity(String subject, String username, String email, boolean verified, List<String> groups) {
        return new AuthenticatedIdentity(ISSUER, subject, username, username, email, verified, groups, Map.of("sub", subject), null, null);
    }

    /** Sends the browser to a made-up IdP and, at the callback, vouches for whoever the test set. */
    private static final class ScriptedProvider implements IdentityProvider {
        volatile String lastState;
        volatile AuthenticatedIdentity next;
        volatile SignInRejectedException refuseWith;

        @Override
        public SignInStart startSignIn(SignInRequest request) {
            lastState = request.state();
            return new SignInStart(URI.create(ISSUER + "/authorize?state=" + request.state()), Map.of("nonce", "n"));
        }

        @Override
        public AuthenticatedIdentity finishSignIn(CallbackRequest callback, Map<String, String> remembered)
                throws SignInRejectedException {
            assertThat(remembered).containsEntry("nonce", "n");
            if (refuseWith != null) {
                throw refuseWith;
            }
            return next;
        }
    }
}
