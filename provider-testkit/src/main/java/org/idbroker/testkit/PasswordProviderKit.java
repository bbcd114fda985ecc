package org.idbroker.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * The password-form part of the suite: the {@link SignInKit}'s neutral checks with a person typing a username and
 * password into the broker's own form ({@code /app/sign-in/{id}}), checked by the module against a real upstream,
 * plus what only the form has: its fields and their autocomplete, the after-login path kept, a wrong or empty
 * password, a post from another browser (CSRF), a form posted twice, throttling, an upstream gone away, and no
 * password in any log line, event or table. A module subclasses it, says how to start its upstream and how an instance points at it.
 *
 * @param <U> the upstream under test
 */
public abstract class PasswordProviderKit<U extends PasswordUpstream> extends SignInKit {

    protected U upstream;

    /** Starts a fresh, empty upstream. */
    protected abstract U startUpstream();

    /** The {@code configure} arguments (after the type) that point an instance at {@code upstream}. */
    protected abstract List<String> connectionArguments(U upstream);

    /** The password the kit gives {@code person}. */
    protected static String passwordOf(TestPerson person) {
        return "Kit-pw/" + person.id() + "-Secret";
    }

    @Override
    protected final void useStandardUpstream() {
        upstream = startUpstream();
        List<String> args = new ArrayList<>(List.of("--provider", PROVIDER_ID, "--type", providerType(), "--enabled", "true",
                "--display-name", "Kit Directory", "--allow-auto-user-creation", "true"));
        args.addAll(connectionArguments(upstream));
        broker.configure(args.toArray(String[]::new));
    }

    @Override
    protected final List<HttpResponse<String>> signIn(TestingBrowser who, TestPerson person) {
        upstream.enrol(person, passwordOf(person));
        return who.signInWithPassword(broker, PROVIDER_ID, null, person.username(), passwordOf(person));
    }

    @Override
    protected final List<HttpResponse<String>> previewSignIn(TestingBrowser who, TestPerson person) {
        upstream.enrol(person, passwordOf(person));
        return who.signInWithPassword(broker, PROVIDER_ID, "mode=test", person.username(), passwordOf(person));
    }

    @Override
    protected final String issuer() {
        return upstream.issuer();
    }

    @Override
    protected final String subjectOf(TestPerson person) {
        return upstream.subjectOf(person);
    }

    @Override
    protected final void stopUpstream() {
        if (upstream != null) {
            upstream.close();
        }
    }

    @Test
    void theSignInButtonLeadsToAFormAskingForUsernameAndPassword() {
        useStandardUpstream();

        HttpResponse<String> providers = browser.getJson(broker.uri("/api/authentication/providers"));
        assertThat(providers.body()).contains("\"signInUrl\":\"/app/sign-in/" + PROVIDER_ID + "\"");
        HttpResponse<String> form = landing(browser.follow(broker.uri("/app/sign-in/" + PROVIDER_ID)));

        assertThat(form.statusCode()).isEqualTo(200);
        assertThat(form.body()).contains("<form method=\"post\" action=\"/app/sign-in/" + PROVIDER_ID + "\"")
                .contains("name=\"username\" autocomplete=\"username\"")
                .contains("type=\"password\" id=\"password\" name=\"password\" autocomplete=\"current-password\"")
                .contains("name=\"state\"").contains("Kit Directory");
        assertThat(form.headers().firstValue("Content-Security-Policy")).hasValueSatisfying(v -> assertThat(v).contains("form-action 'self'"));
        assertThat(browser.cookie("idb_login")).isPresent();
    }

    @Test
    void keepsTheAfterLoginPathOfARedirectSignInStart() {
        useStandardUpstream();
        upstream.enrol(ALICE, passwordOf(ALICE));

        List<HttpResponse<String>> start = browser.follow(broker.uri("/api/users/authenticate/" + PROVIDER_ID
                + "?redirectAfterLoginTo=/app/teams"));
        assertThat(start.get(0).headers().firstValue("Location")).hasValueSatisfying(
                l -> assertThat(l).endsWith("/app/sign-in/" + PROVIDER_ID + "?redirectAfterLoginTo=%2Fapp%2Fteams"));
        List<HttpResponse<String>> hops = browser.submitPasswordForm(landing(start), ALICE.username(), passwordOf(ALICE));

        assertThat(hops.get(0).statusCode()).isEqualTo(303);
        assertThat(hops.get(0).headers().firstValue("Location")).hasValueSatisfying(l -> assertThat(l).endsWith("/app/teams"));
        assertSignedInAs(browser, ALICE, ALICE.groups());
    }

    @Test
    void refusesAWrongPasswordWithTheFormAgainAndThenTakesTheRightOne() {
        useStandardUpstream();
        upstream.enrol(ALICE, passwordOf(ALICE));

        List<HttpResponse<String>> hops = browser.signInWithPassword(broker, PROVIDER_ID, null, ALICE.username(), "not-her-password");

        RefusalPage page = assertRefused(hops, new ExpectedRefusal(401, "invalid_credentials", ""));
        assertThat(page.message()).isNotBlank();
        assertThat(landing(hops).body()).contains("id=\"password-form\"");
        assertThat(broker.strings("select outcome || ':' || reason from events where type = 'sign-in'"))
                .containsExactly("failure:invalid_credentials");

        browser.submitPasswordForm(landing(hops), ALICE.username(), passwordOf(ALICE));
        assertSignedInAs(browser, ALICE, ALICE.groups());
    }

    @Test
    void takesEachFormOnceWhateverItsOutcome() {
        useStandardUpstream();
        upstream.enrol(ALICE, passwordOf(ALICE));
        HttpResponse<String> form = landing(browser.follow(broker.uri("/app/sign-in/" + PROVIDER_ID)));
        HttpResponse<String> again = landing(browser.submitPasswordForm(form, ALICE.username(), "not-her-password"));
        assertThat(again.body()).contains("id=\"password-form\"");

        RefusalPage replay = RefusalPage.of(landing(browser.submitPasswordForm(form, ALICE.username(), passwordOf(ALICE))))
                .orElseThrow();

        assertThat(replay.status()).isEqualTo(400);
        assertThat(replay.code()).isEqualTo("state_unknown");
        assertThat(browser.cookie("idb_session")).isEmpty();
        assertThat(broker.strings("select reason from events where type = 'sign-in'"))
                .containsExactlyInAnyOrder("invalid_credentials", "state_unknown");
        browser.submitPasswordForm(again, ALICE.username(), passwordOf(ALICE));
        assertSignedInAs(browser, ALICE, ALICE.groups());
    }

    @Test
    void refusesAnUnknownUsernameAsAWrongPassword() {
        useStandardUpstream();

        List<HttpResponse<String>> hops = browser.signInWithPassword(broker, PROVIDER_ID, null, "nobody-here", "whatever-1");

        assertRefused(hops, new ExpectedRefusal(401, "invalid_credentials", ""));
        assertThat(broker.count("select count(*) from users")).isZero();
    }

    @Test
    void refusesAnEmptyPasswordWithoutSigningIn() {
        useStandardUpstream();
        upstream.enrol(ALICE, passwordOf(ALICE));

        List<HttpResponse<String>> hops = browser.signInWithPassword(broker, PROVIDER_ID, null, ALICE.username(), "");

        assertRefused(hops, new ExpectedRefusal(400, "credentials_missing", "password"));
        assertThat(broker.count("select count(*) from users")).isZero();
    }

    @Test
    void refusesAFormPostedWithoutTheBrowsersOwnLoginState() {
        useStandardUpstream();
        upstream.enrol(ALICE, passwordOf(ALICE));
        HttpResponse<String> form = landing(browser.follow(broker.uri("/app/sign-in/" + PROVIDER_ID)));

        TestingBrowser attacker = new TestingBrowser();
        HttpResponse<String> refused = landing(attacker.submitPasswordForm(form, ALICE.username(), passwordOf(ALICE)));
        RefusalPage foreign = RefusalPage.of(refused).orElseThrow();
        assertThat(refused.headers().firstValue("Content-Security-Policy")).as("the refusal page is never framed either")
                .hasValueSatisfying(v -> assertThat(v).contains("frame-ancestors 'none'"));
        assertThat(refused.headers().firstValue("Cache-Control")).hasValue("no-store");
        RefusalPage none = RefusalPage.of(landing(attacker.postForm(broker.uri("/app/sign-in/" + PROVIDER_ID),
                "username=alice&password=" + passwordOf(ALICE)))).orElseThrow();

        assertThat(foreign.status()).isEqualTo(400);
        assertThat(foreign.code()).isEqualTo("state_other_browser");
        assertThat(none.code()).isEqualTo("state_missing");
        assertThat(attacker.cookie("idb_session")).isEmpty();
        assertThat(broker.count("select count(*) from users")).isZero();
    }

    @Test
    void throttlesRepeatedWrongPasswordsAndSaysWhenToTryAgain() {
        useStandardUpstream();
        upstream.enrol(ALICE, passwordOf(ALICE));
        for (int i = 0; i < 5; i++) {
            assertRefused(browser.signInWithPassword(broker, PROVIDER_ID, null, ALICE.username(), "wrong-" + i),
                    new ExpectedRefusal(401, "invalid_credentials", ""));
        }

        List<HttpResponse<String>> hops = browser.signInWithPassword(broker, PROVIDER_ID, null, ALICE.username(), passwordOf(ALICE));

        assertRefused(hops, new ExpectedRefusal(429, "too_many_attempts", "Try again in"));
        assertThat(landing(hops).headers().firstValue("Retry-After")).hasValueSatisfying(
                v -> assertThat(Long.parseLong(v)).isPositive().isLessThanOrEqualTo(15 * 60));
        assertThat(broker.count("select count(*) from users")).isZero();
    }

    @Test
    void throttlesAnotherSpellingOfTheSameUsernameWithIt() {
        useStandardUpstream();
        upstream.enrol(ALICE, passwordOf(ALICE));
        for (int i = 0; i < 5; i++) {
            browser.signInWithPassword(broker, PROVIDER_ID, null, ALICE.username(), "wrong-" + i);
        }
        // the directory takes fullwidth letters, case and runs of spaces for the same name (RFC 4518)
        String fullwidth = ALICE.username().toUpperCase(java.util.Locale.ROOT).chars()
                .map(c -> c >= 'A' && c <= 'Z' ? c - 'A' + 0xFF21 : c)
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString();

        List<HttpResponse<String>> hops = browser.signInWithPassword(broker, PROVIDER_ID, null, fullwidth, passwordOf(ALICE));

        assertRefused(hops, new ExpectedRefusal(429, "too_many_attempts", "Try again in"));
        assertThat(broker.count("select count(*) from users")).isZero();
    }

    @Test
    void writesThePasswordToNoLogLineEventOrTable() {
        useStandardUpstream();
        upstream.enrol(ALICE, passwordOf(ALICE));
        String wrong = "Wr0ng-" + ALICE.id() + "-Passw0rd";
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        ConcurrentLinkedQueue<String> lines = new ConcurrentLinkedQueue<>();
        AppenderBase<ILoggingEvent> capture = new AppenderBase<>() {
            @Override
            protected void append(ILoggingEvent event) {
                lines.add(event.getFormattedMessage() + (event.getThrowableProxy() == null ? "" : " " + event.getThrowableProxy().getMessage()));
            }
        };
        capture.start();
        root.addAppender(capture);
        try {
            browser.signInWithPassword(broker, PROVIDER_ID, null, ALICE.username(), wrong);
            browser.signInWithPassword(broker, PROVIDER_ID, null, ALICE.username(), passwordOf(ALICE));
            assertSignedInAs(browser, ALICE, ALICE.groups());
        } finally {
            root.detachAppender(capture);
        }

        assertThat(lines).isNotEmpty().noneMatch(l -> l.contains(wrong) || l.contains(passwordOf(ALICE)));
        for (String table : List.of("events", "users", "external_identities", "sessions", "spent_login_states", "password_failures")) {
            assertThat(broker.strings("select coalesce(string_agg(t::text, ' '), '') from " + table + " t"))
                    .as(table).noneMatch(row -> row.contains(wrong) || row.contains(passwordOf(ALICE)));
        }
        assertThat(broker.strings("select reason from events where type = 'sign-in' and outcome = 'failure'"))
                .containsExactly("invalid_credentials");
    }

    @Test
    void saysSoWhenTheUpstreamCannotBeReached() {
        useStandardUpstream();
        upstream.enrol(ALICE, passwordOf(ALICE));
        upstream.goAway();

        List<HttpResponse<String>> hops = browser.signInWithPassword(broker, PROVIDER_ID, null, ALICE.username(), passwordOf(ALICE));

        RefusalPage page = assertRefused(hops, new ExpectedRefusal(502, "idp_unavailable", ""));
        assertThat(page.message()).isNotBlank();
        assertThat(broker.count("select count(*) from users")).isZero();
    }
}
