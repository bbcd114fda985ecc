package org.idbroker.providers.oidc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.net.URI;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import no.nav.security.mock.oauth2.token.DefaultOAuth2TokenCallback;
import okhttp3.mockwebserver.RecordedRequest;
import org.idbroker.spi.AuthenticatedIdentity;
import org.idbroker.spi.CallbackRequest;
import org.idbroker.spi.EndSessionRequest;
import org.idbroker.spi.IdentityProvider;
import org.idbroker.spi.ProviderContext;
import org.idbroker.spi.ProviderSettings;
import org.idbroker.spi.RejectionReason;
import org.idbroker.spi.SignInRejectedException;
import org.idbroker.spi.SignInRequest;
import org.idbroker.spi.SignInStart;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Full sign-ins against mock-oauth2-server, a real OpenID provider over HTTP. */
class OidcProviderMockServerTest {

    private static final URI REDIRECT = URI.create("http://localhost:8080/api/users/authenticatedToken/GenericOidc");

    private MockOAuth2Server server;

    @BeforeEach
    void start() {
        server = new MockOAuth2Server();
        server.start();
    }

    @AfterEach
    void stop() {
        server.shutdown();
    }

    private IdentityProvider provider(Map<String, String> overrides) throws Exception {
        Map<String, String> settings = new HashMap<>();
        settings.put("issuer", server.issuerUrl("default").toString());
        settings.put("clientId", "client-1");
        settings.put("clientSecret", "secret-1");
        settings.putAll(overrides);
        return new OidcProviderFactory().create(new ProviderContext("GenericOidc", new ProviderSettings(settings), REDIRECT));
    }

    private static AuthenticatedIdentity signIn(IdentityProvider provider) throws Exception {
        SignInStart start = provider.startSignIn(new SignInRequest("state-123"));
        CallbackRequest callback = Browser.authorize(start.authorizationUri());
        return provider.finishSignIn(callback, start.remember());
    }

    private void enqueueClaims(Map<String, Object> claims) {
        server.enqueueCallback(new DefaultOAuth2TokenCallback("default", "subject-1", "JWT", null, claims, 3600));
    }

    private RecordedRequest request(String pathPart) throws InterruptedException {
        for (int i = 0; i < 20; i++) {
            RecordedRequest request = server.takeRequest(2, TimeUnit.SECONDS);
            if (request == null) {
                break;
            }
            if (request.getPath().contains(pathPart)) {
                return request;
            }
        }
        throw new AssertionError("no request to " + pathPart);
    }

    @Test
    void signsInWithClaimsAndGroupsFromTheIdToken() throws Exception {
        enqueueClaims(Map.of("preferred_username", "alice", "email", "alice@example.com", "email_verified", true,
                "name", "Alice Doe", "groups", List.of("admins", "developers", "admins"), "sid", "session-9"));
        IdentityProvider provider = provider(Map.of());

        AuthenticatedIdentity identity = signIn(provider);

        assertThat(identity.issuer()).isEqualTo(server.issuerUrl("default").toString());
        assertThat(identity.subject()).isEqualTo("subject-1");
        assertThat(identity.username()).isEqualTo("alice");
        assertThat(identity.displayName()).isEqualTo("Alice Doe");
        assertThat(identity.email()).isEqualTo("alice@example.com");
        assertThat(identity.emailVerified()).isTrue();
        assertThat(identity.groups()).containsExactly("admins", "developers");
        assertThat(identity.idpSessionId()).isEqualTo("session-9");
        assertThat(identity.idToken()).isNotBlank();
        assertThat(identity.claims()).containsEntry("preferred_username", "alice").doesNotContainKeys("id_token", "access_token");
    }

    /** The paths of every request the IdP got so far. */
    private List<String> requestPaths() {
        List<String> paths = new java.util.ArrayList<>();
        while (true) {
            try {
                paths.add(server.takeRequest(200, TimeUnit.MILLISECONDS).getPath());
            } catch (RuntimeException e) {
                return paths; // the mock server says so when no request is left
            }
        }
    }

    @Test
    void skipsUserinfoWhenTheIdTokenCarriesEveryClaimTheSettingsUse() throws Exception {
        enqueueClaims(Map.of("preferred_username", "alice", "email", "alice@example.com", "email_verified", true,
                "name", "Alice Doe", "groups", List.of("admins")));

        AuthenticatedIdentity identity = signIn(provider(Map.of()));

        assertThat(identity.groups()).containsExactly("admins");
        assertThat(requestPaths()).anyMatch(p -> p.contains("/token")).noneMatch(p -> p.contains("/userinfo"));
    }

    @Test
    void readsUserinfoWhenTheIdTokenLacksAClaimTheSettingsUse() throws Exception {
        // no groups in the ID token: an IdP that sends them only in userinfo
        enqueueClaims(Map.of("preferred_username", "alice", "email", "alice@example.com", "email_verified", true,
                "name", "Alice Doe"));

        signIn(provider(Map.of()));

        assertThat(requestPaths()).anyMatch(p -> p.contains("/userinfo"));
    }

    @Test
    void readsUserinfoAtEverySignInWhenSetToAlways() throws Exception {
        enqueueClaims(Map.of("preferred_username", "alice", "email", "alice@example.com", "email_verified", true,
                "name", "Alice Doe", "groups", List.of("admins")));

        signIn(provider(Map.of("userInfo", "always")));

        assertThat(requestPaths()).anyMatch(p -> p.contains("/userinfo"));
    }

    @Test
    void acceptsGroupsAsASingleStringAndEmailVerifiedAsText() throws Exception {
        enqueueClaims(Map.of("preferred_username", "bob", "groups", "operators", "email", "bob@example.com",
                "email_verified", "true"));

        AuthenticatedIdentity identity = signIn(provider(Map.of()));

        assertThat(identity.groups()).containsExactly("operators");
        assertThat(identity.emailVerified()).isTrue();
        assertThat(identity.displayName()).isEqualTo("bob");
    }

    @Test
    void usesTheConfiguredUsernameAndRoleClaims() throws Exception {
        enqueueClaims(Map.of("preferred_username", "carol", "email", "carol@example.com", "roles", List.of("auditor"),
                "groups", List.of("ignored")));

        AuthenticatedIdentity identity = signIn(provider(Map.of("usernameClaimType", "email", "roleClaimType", "roles")));

        assertThat(identity.username()).isEqualTo("carol@example.com");
        assertThat(identity.groups()).containsExactly("auditor");
        assertThat(identity.emailVerified()).isFalse();
    }

    @Test
    void neverUsesTheSubjectAsUsername() throws Exception {
        enqueueClaims(Map.of());

        AuthenticatedIdentity identity = signIn(provider(Map.of()));

        assertThat(identity.username()).isNull();
        assertThat(identity.subject()).isEqualTo("subject-1");
    }

    @Test
    void sendsScopesResourceStatePkceAndNonceInTheAuthorizationRequest() throws Exception {
        IdentityProvider provider = provider(Map.of("scopes", "openid profile email groups", "resource", "https://api.example.com/"));

        SignInStart start = provider.startSignIn(new SignInRequest("state-123"));
        URI uri = start.authorizationUri();

        assertThat(Browser.param(uri, "scope")).isEqualTo("openid profile email groups");
        assertThat(Browser.param(uri, "resource")).isEqualTo("https://api.example.com/");
        assertThat(Browser.param(uri, "state")).isEqualTo("state-123");
        assertThat(Browser.param(uri, "code_challenge_method")).isEqualTo("S256");
        assertThat(Browser.param(uri, "code_challenge")).isNotBlank();
        assertThat(Browser.param(uri, "nonce")).isEqualTo(start.remember().get(OidcProvider.REMEMBER_NONCE));
        assertThat(Browser.param(uri, "redirect_uri")).isEqualTo(REDIRECT.toString());
        assertThat(start.remember()).containsKeys(OidcProvider.REMEMBER_STATE, OidcProvider.REMEMBER_NONCE,
                OidcProvider.REMEMBER_CODE_VERIFIER);

        CallbackRequest callback = Browser.authorize(uri);
        provider.finishSignIn(callback, start.remember());
        RecordedRequest authorize = request("/authorize");
        assertThat(authorize.getRequestUrl().queryParameter("resource")).isEqualTo("https://api.example.com/");
        assertThat(authorize.getRequestUrl().queryParameter("scope")).isEqualTo("openid profile email groups");
        RecordedRequest token = request("/token");
        String body = token.getBody().readUtf8();
        assertThat(body).contains("code_verifier=" + start.remember().get(OidcProvider.REMEMBER_CODE_VERIFIER));
        assertThat(body).contains("resource=https%3A%2F%2Fapi.example.com%2F");
    }

    @Test
    void authenticatesWithBasicCredentialsByDefault() throws Exception {
        signIn(provider(Map.of()));

        RecordedRequest token = request("/token");
        assertThat(token.getHeader("Authorization")).isEqualTo("Basic Y2xpZW50LTE6c2VjcmV0LTE="); // client-1:secret-1
        assertThat(token.getBody().readUtf8()).doesNotContain("client_secret");
    }

    @Test
    void authenticatesWithPostedCredentialsWhenChosen() throws Exception {
        signIn(provider(Map.of("clientAuthentication", "client_secret_post")));

        RecordedRequest token = request("/token");
        assertThat(token.getHeader("Authorization")).isNull();
        assertThat(token.getBody().readUtf8()).contains("client_id=client-1").contains("client_secret=secret-1");
    }

    @Test
    void refusesACallbackWhoseStateIsNotTheRememberedOne() throws Exception {
        IdentityProvider provider = provider(Map.of());
        SignInStart start = provider.startSignIn(new SignInRequest("state-123"));
        CallbackRequest callback = Browser.authorize(start.authorizationUri());
        Map<String, List<String>> tampered = new HashMap<>(callback.parameters());
        tampered.put("state", List.of("someone-elses-state"));

        SignInRejectedException e = catchThrowableOfType(SignInRejectedException.class,
                () -> provider.finishSignIn(new CallbackRequest(tampered), start.remember()));

        assertThat(e.reason()).isEqualTo(RejectionReason.INVALID_CALLBACK);
        assertThat(e.getMessage()).contains("state");
    }

    @Test
    void refusesACallbackWithoutCode() throws Exception {
        IdentityProvider provider = provider(Map.of());
        SignInStart start = provider.startSignIn(new SignInRequest("state-123"));

        SignInRejectedException e = catchThrowableOfType(SignInRejectedException.class, () -> provider.finishSignIn(
                new CallbackRequest(Map.of("state", List.of("state-123"))), start.remember()));

        assertThat(e.reason()).isEqualTo(RejectionReason.INVALID_CALLBACK);
    }

    @Test
    void reportsTheIdpsErrorInPlainWords() throws Exception {
        IdentityProvider provider = provider(Map.of());
        SignInStart start = provider.startSignIn(new SignInRequest("state-123"));
        CallbackRequest callback = new CallbackRequest(Map.of("error", List.of("access_denied"),
                "error_description", List.of("User is not in the allowed group"), "state", List.of("state-123")));

        SignInRejectedException e = catchThrowableOfType(SignInRejectedException.class,
                () -> provider.finishSignIn(callback, start.remember()));

        assertThat(e.reason()).isEqualTo(RejectionReason.IDP_ERROR);
        assertThat(e.getMessage()).contains("access_denied").contains("access was denied")
                .contains("User is not in the allowed group");
    }

    @Test
    void refusesAnIdTokenWhoseNonceIsNotTheRememberedOne() throws Exception {
        IdentityProvider provider = provider(Map.of());
        SignInStart start = provider.startSignIn(new SignInRequest("state-123"));
        CallbackRequest callback = Browser.authorize(start.authorizationUri());
        Map<String, String> remembered = new HashMap<>(start.remember());
        remembered.put(OidcProvider.REMEMBER_NONCE, "another-nonce");

        SignInRejectedException e = catchThrowableOfType(SignInRejectedException.class,
                () -> provider.finishSignIn(callback, remembered));

        assertThat(e.reason()).isEqualTo(RejectionReason.TOKEN_NONCE_MISMATCH);
    }

    @Test
    void refusesAnExpiredIdToken() throws Exception {
        server.enqueueCallback(new DefaultOAuth2TokenCallback("default", "subject-1", "JWT", null, Map.of(), -600));

        SignInRejectedException e = catchThrowableOfType(SignInRejectedException.class, () -> signIn(provider(Map.of())));

        assertThat(e.reason()).isEqualTo(RejectionReason.TOKEN_EXPIRED);
    }

    @Test
    void handlesAnIssuerWithATrailingSlashWithoutDoubleSlashInDiscovery() throws Exception {
        IdentityProvider provider = provider(Map.of("issuer", server.issuerUrl("default") + "/"));

        AuthenticatedIdentity identity = signIn(provider);

        assertThat(identity.subject()).isNotBlank();
        RecordedRequest discovery = request("openid-configuration");
        assertThat(discovery.getPath()).isEqualTo("/default/.well-known/openid-configuration");
    }

    @Test
    void buildsTheEndSessionAddressWithHintClientAndRedirect() throws Exception {
        IdentityProvider provider = provider(Map.of());

        URI uri = provider.endSessionUri(new EndSessionRequest("the-id-token", URI.create("https://broker.example.com/bye")))
                .orElseThrow();

        assertThat(uri.toString()).startsWith(server.endSessionEndpointUrl("default").toString());
        assertThat(Browser.param(uri, "id_token_hint")).isEqualTo("the-id-token");
        assertThat(Browser.param(uri, "client_id")).isEqualTo("client-1");
        assertThat(Browser.param(uri, "post_logout_redirect_uri")).isEqualTo("https://broker.example.com/bye");
    }

    @Test
    void passesTheLoginHintAndTheLogoutStateOnToTheIdp() throws Exception {
        IdentityProvider provider = provider(Map.of());

        URI start = provider.startSignIn(new SignInRequest("state-123", "alice@example.com")).authorizationUri();
        URI end = provider.endSessionUri(new EndSessionRequest("t", URI.create("https://broker.example.com/bye"), "s-1"))
                .orElseThrow();

        assertThat(Browser.param(start, "login_hint")).isEqualTo("alice@example.com");
        assertThat(Browser.param(provider.startSignIn(new SignInRequest("state-123")).authorizationUri(), "login_hint")).isNull();
        assertThat(Browser.param(end, "state")).isEqualTo("s-1");
    }

    @Test
    void givesNoEndSessionAddressWhenSignOutAtTheIdpIsOff() throws Exception {
        IdentityProvider provider = provider(Map.of("signOutAtIdp", "false"));

        assertThat(provider.endSessionUri(new EndSessionRequest("t", URI.create("https://broker.example.com/bye")))).isEmpty();
    }

    @Test
    void diagnosesAHealthyProvider() throws Exception {
        IdentityProvider provider = provider(Map.of());

        assertThat(provider.diagnose()).extracting(f -> f.check() + ":" + f.severity())
                .contains("discovery:OK", "issuer:OK", "signing keys:OK", "signing algorithms:OK", "encryption:OK");
    }
}
