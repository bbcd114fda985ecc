package org.idbroker.core.signin;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
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
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.SqlLogger;
import org.jdbi.v3.core.statement.StatementContext;
import org.jdbi.v3.core.transaction.DelegatingTransactionHandler;
import org.jdbi.v3.core.transaction.TransactionHandler;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The sign-in use case against a real PostgreSQL, with a provider that vouches for whoever the test
 * says: the matching rules, the session, the events, the claims preview changing nothing, and each login state leading
 * anywhere once.
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
        LoginStates states = new LoginStates(db.jdbi(), db.cipher(), db.clock());
        signIns = new SignIns(db.jdbi(), id -> Optional.ofNullable(corp).filter(p -> p.id().equals(id)), states, matcher, sessions,
                new ClaimsPreviews(callers, matcher, new Memberships(db.jdbi()), states), URI.create("https://broker.example.com"));
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

        Map<String, List<String>> callback = Map.of("state", List.of(sealedState(started)));
        long spent = spentStates();
        Previewed previewed = (Previewed) signIns.finish("Corp", callback, started.browserKey(), asAdmin, null);

        assertThat(previewed.preview().outcome()).isEqualTo("would-sign-in");
        assertThat(previewed.preview().matchedBy()).isEqualTo("created");
        assertThat(users.findByUsername("olga")).isEmpty();
        assertThat(lastEvent(ClaimsPreviews.EVENT)).containsEntry("outcome", Events.SUCCESS);
        assertThat(spentStates()).as("nothing stored but the spent state").isEqualTo(spent + 1);
        Refused replay = (Refused) signIns.finish("Corp", callback, started.browserKey(), asAdmin, null);
        assertThat(replay.code()).isEqualTo("state_unknown");

        Started notYours = (Started) signIns.start("Corp", SignInMode.CLAIMS_PREVIEW, "/", null, asAdmin, null);
        Refused other = (Refused) signIns.finish("Corp", Map.of("state", List.of(sealedState(notYours))), notYours.browserKey(),
                Credentials.NONE, null);
        assertThat(other.code()).isEqualTo("test_sign_in_not_yours");
        Refused afterwards = (Refused) signIns.finish("Corp", Map.of("state", List.of(sealedState(notYours))),
                notYours.browserKey(), asAdmin, null);
        assertThat(afterwards.code()).as("refused once, the state is spent").isEqualTo("state_unknown");
    }

    @Test
    void aStartStoresNothingAndTheStateTakesTheProvidersStatesPlaceInTheAddress() {
        long spent = spentStates();
        Started started = (Started) signIns.start("Corp", SignInMode.SIGN_IN, "/app", null, Credentials.NONE, null);

        String sealed = sealedState(started);
        assertThat(sealed).isNotEqualTo(IDP.lastState).matches("[A-Za-z0-9_-]{100,400}");
        assertThat(started.authorizationUri().toString()).isEqualTo(ISSUER + "/authorize?client_id=c&state=" + sealed + "&x=y");
        assertThat(spentStates()).isEqualTo(spent);
        assertThat(count("select count(*) from login_transactions")).isZero();
    }

    @Test
    void aReplayedCallbackIsRefusedBeforeTheIdpIsAskedWhateverTheFirstOutcome() {
        Started started = (Started) signIns.start("Corp", SignInMode.SIGN_IN, "/", null, Credentials.NONE, null);
        IDP.next = identity("s-pia", "pia", "pia@example.com", true, List.of());
        Map<String, List<String>> callback = Map.of("state", List.of(sealedState(started)), "code", List.of("c"));
        assertThat(signIns.finish("Corp", callback, started.browserKey(), Credentials.NONE, null)).isInstanceOf(SignedIn.class);
        int asked = IDP.finishes.get();

        Refused replay = (Refused) signIns.finish("Corp", callback, started.browserKey(), Credentials.NONE, null);

        assertThat(replay.code()).isEqualTo("state_unknown");
        assertThat(IDP.finishes.get()).isEqualTo(asked);
        assertThat(lastEvent(Events.SIGN_IN)).containsEntry("reason", "state_unknown");

        // refused by the provider, and by the account rules: spent all the same
        IDP.refuseWith = new SignInRejectedException(RejectionReason.IDP_ERROR, "access_denied");
        try {
            assertThat(replayAfter(identity("s-pia", "pia", "pia@example.com", true, List.of()))).isEqualTo("idp_error");
        } finally {
            IDP.refuseWith = null;
        }
        provider(true, false, false);
        assertThat(replayAfter(identity("s-quin", "quin", "quin@example.com", true, List.of()))).isEqualTo("no_matching_account");
        IDP.refuseWith = new SignInRejectedException(RejectionReason.IDP_UNAVAILABLE, "too many calls waiting on the IdP",
                ProviderBusy.INSTANCE);
        try {
            assertThat(replayAfter(identity("s-pia", "pia", "pia@example.com", true, List.of()))).isEqualTo("idp_unavailable");
        } finally {
            IDP.refuseWith = null;
        }
    }

    /** A sign-in refused with a code, then the same callback again: refused as used, and the IdP not asked again. */
    private static String replayAfter(AuthenticatedIdentity identity) {
        Started started = (Started) signIns.start("Corp", SignInMode.SIGN_IN, "/", null, Credentials.NONE, null);
        IDP.next = identity;
        Map<String, List<String>> callback = Map.of("state", List.of(sealedState(started)), "code", List.of("c"));
        Refused first = (Refused) signIns.finish("Corp", callback, started.browserKey(), Credentials.NONE, null);
        int asked = IDP.finishes.get();
        Refused replay = (Refused) signIns.finish("Corp", callback, started.browserKey(), Credentials.NONE, null);
        assertThat(replay.code()).isEqualTo("state_unknown");
        assertThat(IDP.finishes.get()).isEqualTo(asked);
        return first.code();
    }

    @Test
    void ofTwoFinishesOfOneStateAtOnceExactlyOneSignsIn() throws Exception {
        Started started = (Started) signIns.start("Corp", SignInMode.SIGN_IN, "/", null, Credentials.NONE, null);
        IDP.next = identity("s-rae", "rae", "rae@example.com", true, List.of());
        Map<String, List<String>> callback = Map.of("state", List.of(sealedState(started)), "code", List.of("c"));
        long sessionsBefore = count("select count(*) from sessions");
        // both past the check that the state is not spent, and at the IdP, before either goes on
        IDP.barrier = new CyclicBarrier(2);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            List<Future<SignInOutcome>> finishes = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                finishes.add(pool.submit(() -> signIns.finish("Corp", callback, started.browserKey(), Credentials.NONE, null)));
            }
            List<SignInOutcome> outcomes = new ArrayList<>();
            for (Future<SignInOutcome> finish : finishes) {
                outcomes.add(finish.get(30, TimeUnit.SECONDS));
            }

            assertThat(outcomes).filteredOn(SignedIn.class::isInstance).hasSize(1);
            assertThat(outcomes).filteredOn(Refused.class::isInstance).singleElement()
                    .satisfies(o -> assertThat(((Refused) o).code()).isEqualTo("state_unknown"));
            assertThat(count("select count(*) from sessions")).isEqualTo(sessionsBefore + 1);
        } finally {
            IDP.barrier = null;
            pool.shutdownNow();
        }
    }

    @Test
    void aProviderWhoseAddressLacksTheStateIsRefusedAsAFaultOfItsModule() {
        IDP.withoutState = true;
        try {
            Refused refused = (Refused) signIns.start("Corp", SignInMode.SIGN_IN, "/", null, Credentials.NONE, null);

            assertThat(refused.failure()).isEqualTo(SignInFailure.PROVIDER_UNUSABLE);
            assertThat(refused.message()).contains("without the state parameter").contains("provider module");
        } finally {
            IDP.withoutState = false;
        }
    }

    @Test
    void aStateTooLongToCarryIsRefusedAtTheStartAndSaysWhy() {
        Refused refused = (Refused) signIns.start("Corp", SignInMode.SIGN_IN, "/" + "€".repeat(2047), null, Credentials.NONE, null);

        assertThat(refused.failure()).isEqualTo(SignInFailure.INVALID_REQUEST);
        assertThat(refused.code()).isEqualTo("state_too_long");
        assertThat(refused.message()).contains("4,096").contains("redirectAfterLoginTo");
        assertThat(lastEvent(Events.SIGN_IN)).containsEntry("reason", "state_too_long");
    }

    @Test
    void aCallbackStateLongerThan4096CharactersIsUnknown() {
        Refused refused = (Refused) signIns.finish("Corp", Map.of("state", List.of("s".repeat(LoginStates.MAX_LENGTH + 1))),
                null, Credentials.NONE, null);

        assertThat(refused.code()).isEqualTo("state_unknown");
    }

    /**
     * What a returning person's redirect sign-in costs PostgreSQL: the start nothing; the callback one read-only look-up
     * (the state is not spent) and one transaction (spend, match, event, session). With login transactions it was an
     * insert at the start and a delete at the callback, each its own commit: 5 statements and 3 commits.
     */
    @Test
    void aRedirectSignInIsOneLookUpAndOneTransaction() {
        signIn(identity("s-sam", "sam", "sam@example.com", true, List.of()), "/");
        AtomicInteger statements = new AtomicInteger();
        AtomicInteger autocommitted = new AtomicInteger();
        AtomicInteger commits = new AtomicInteger();
        List<String> verbs = new CopyOnWriteArrayList<>();
        TransactionHandler local = db.jdbi().getTransactionHandler();
        db.jdbi().setSqlLogger(new SqlLogger() {
            @Override
            public void logBeforeExecution(StatementContext ctx) {
                statements.incrementAndGet();
                verbs.add(ctx.getRenderedSql().strip().split("\\s+")[0]);
                try {
                    if (ctx.getConnection().getAutoCommit()) {
                        autocommitted.incrementAndGet();
                    }
                } catch (SQLException e) {
                    throw new IllegalStateException(e);
                }
            }
        });
        db.jdbi().setTransactionHandler(new DelegatingTransactionHandler(local) {
            @Override
            public void commit(Handle handle) {
                commits.incrementAndGet();
                super.commit(handle);
            }
        });
        try {
            Started started = (Started) signIns.start("Corp", SignInMode.SIGN_IN, "/", null, Credentials.NONE, null);
            assertThat(statements).as("the start").hasValue(0);
            IDP.next = identity("s-sam", "sam", "sam@example.com", true, List.of());
            assertThat(signIns.finish("Corp", Map.of("state", List.of(sealedState(started)), "code", List.of("c")),
                    started.browserKey(), Credentials.NONE, null)).isInstanceOf(SignedIn.class);
        } finally {
            db.jdbi().setSqlLogger(SqlLogger.NOP_SQL_LOGGER);
            db.jdbi().setTransactionHandler(local);
        }
        System.out.printf("a returning redirect sign-in: %d statements %s, %d autocommitted, %d committed transactions%n",
                statements.get(), verbs, autocommitted.get(), commits.get());
        assertThat(verbs).containsExactly("select", "insert", "with", "insert", "insert");
        assertThat(autocommitted).as("the look-up").hasValue(1);
        assertThat(commits).as("the sign-in's transaction").hasValue(1);
    }

    private static long spentStates() {
        return count("select count(*) from spent_login_states");
    }

    private static long count(String sql) {
        return db.jdbi().withHandle(h -> h.createQuery(sql).mapTo(Long.class).one());
    }

    /** The sealed state in the address the browser is sent to. */
    private static String sealedState(Started started) {
        return Arrays.stream(started.authorizationUri().getRawQuery().split("&")).filter(p -> p.startsWith("state="))
                .map(p -> URLDecoder.decode(p.substring(6), StandardCharsets.UTF_8)).findFirst().orElseThrow();
    }

    private static SignInOutcome signIn(AuthenticatedIdentity identity, String redirectAfter) {
        return signIn(identity, redirectAfter, Credentials.NONE);
    }

    private static SignInOutcome signIn(AuthenticatedIdentity identity, String redirectAfter, Credentials credentials) {
        Started started = (Started) signIns.start("Corp", SignInMode.SIGN_IN, redirectAfter, null, credentials, null);
        IDP.next = identity;
        return signIns.finish("Corp", Map.of("state", List.of(sealedState(started)), "code", List.of("c")), started.browserKey(),
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
        volatile boolean withoutState;
        volatile CyclicBarrier barrier;
        final AtomicInteger finishes = new AtomicInteger();

        @Override
        public SignInStart startSignIn(SignInRequest request) {
            lastState = request.state();
            return new SignInStart(URI.create(ISSUER + "/authorize?client_id=c&state=" + (withoutState ? "x" : request.state())
                    + "&x=y"), Map.of("nonce", "n", "state", request.state()));
        }

        @Override
        public AuthenticatedIdentity finishSignIn(CallbackRequest callback, Map<String, String> remembered)
                throws SignInRejectedException {
            finishes.incrementAndGet();
            assertThat(remembered).containsEntry("nonce", "n");
            assertThat(callback.single("state")).as("the provider gets back the state it gave").hasValue(remembered.get("state"));
            CyclicBarrier meet = barrier;
            if (meet != null) {
                try {
                    meet.await(10, TimeUnit.SECONDS);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }
            if (refuseWith != null) {
                throw refuseWith;
            }
            return next;
        }
    }
}
