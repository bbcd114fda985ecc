package org.idbroker.it.support;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import no.nav.security.mock.oauth2.OAuth2Config;
import no.nav.security.mock.oauth2.token.DefaultOAuth2TokenCallback;
import okhttp3.mockwebserver.RecordedRequest;

/** A real OpenID provider over HTTP (mock-oauth2-server), scripted with the person who signs in next. */
public final class TestingIdp implements AutoCloseable {

    private final MockOAuth2Server server;
    private final String issuerId;

    private TestingIdp(MockOAuth2Server server, String issuerId) {
        this.server = server;
        this.issuerId = issuerId;
    }

    public static TestingIdp start() {
        return start("idp", false);
    }

    /** @param interactive whether the IdP shows its login form (for browser tests) */
    public static TestingIdp start(String issuerId, boolean interactive) {
        MockOAuth2Server server = new MockOAuth2Server(
                OAuth2Config.Companion.fromJson("{\"interactiveLogin\": " + interactive + "}"));
        server.start();
        return new TestingIdp(server, issuerId);
    }

    public String issuer() {
        return server.issuerUrl(issuerId).toString();
    }

    public String clientId() {
        return "idbroker-test-client";
    }

    public String clientSecret() {
        return "test-client-secret-with-enough-length-for-hs256-0123456789";
    }

    /** The next sign-in is this person, with these claims (groups, preferred_username, email, ...). */
    public void nextSignIn(String subject, Map<String, Object> claims) {
        server.enqueueCallback(new DefaultOAuth2TokenCallback(issuerId, subject, "JWT", List.of(clientId()),
                new LinkedHashMap<>(claims), 3600));
    }

    /** The next sign-in's ID token is for another audience. */
    public void nextSignInForAudience(String subject, String audience, Map<String, Object> claims) {
        server.enqueueCallback(new DefaultOAuth2TokenCallback(issuerId, subject, "JWT", List.of(audience),
                new LinkedHashMap<>(claims), 3600));
    }

    /** The event a back-channel logout token carries in its {@code events} claim. */
    public static final String BACKCHANNEL_LOGOUT_EVENT = "http://schemas.openid.net/event/backchannel-logout";

    /**
     * A back-channel logout token as this IdP would send it: signed with its key, header
     * {@code typ: logout+jwt}, for the broker's client, with a fresh {@code jti}, {@code iat},
     * {@code exp} in two minutes and the logout event. {@code claims} are added last: a claim
     * mapped to {@code null} is left out. A {@code null} subject leaves out {@code sub} (a token
     * naming only a {@code sid}).
     */
    public String logoutToken(String subject, Map<String, Object> claims) {
        return logoutToken(subject, clientId(), 120, claims);
    }

    /** A logout token for another audience or with another lifetime (negative: already expired). */
    public String logoutToken(String subject, String audience, long lifetimeSeconds, Map<String, Object> claims) {
        Map<String, Object> all = new LinkedHashMap<>();
        all.put("events", Map.of(BACKCHANNEL_LOGOUT_EVENT, Map.of()));
        if (subject == null) {
            all.put("sub", null);
        }
        all.putAll(claims);
        return server.issueToken(issuerId, clientId(), new DefaultOAuth2TokenCallback(issuerId,
                subject == null ? "ignored" : subject, "logout+jwt", List.of(audience), all, lifetimeSeconds)).serialize();
    }

    /** The next request the IdP received, or {@code null}. */
    public RecordedRequest takeRequest() {
        try {
            return server.takeRequest(200, java.util.concurrent.TimeUnit.MILLISECONDS);
        } catch (RuntimeException e) {
            return null;
        }
    }

    /** The next request received at {@code path}, skipping the others; fails when none came. */
    public RecordedRequest takeRequestTo(String path) {
        RecordedRequest request;
        while ((request = takeRequest()) != null) {
            if (request.getRequestUrl().encodedPath().equals(path)) {
                return request;
            }
        }
        throw new AssertionError("the IdP received no request to " + path);
    }

    /** Forgets the requests received so far. */
    public void drainRequests() {
        while (takeRequest() != null) {
            // drop
        }
    }

    public MockOAuth2Server server() {
        return server;
    }

    @Override
    public void close() {
        server.shutdown();
    }
}
