package org.idbroker.providers.oidc;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import no.nav.security.mock.oauth2.OAuth2Config;
import no.nav.security.mock.oauth2.token.DefaultOAuth2TokenCallback;
import no.nav.security.mock.oauth2.token.KeyProvider;
import no.nav.security.mock.oauth2.token.OAuth2TokenProvider;
import org.idbroker.testkit.IdpUnderTest;
import org.idbroker.testkit.TestPerson;

/** mock-oauth2-server as the provider test kit's IdP: RS256 or ES256, the claims in the ID token, {@code sub} the person's id. */
public final class MockOAuth2Idp implements IdpUnderTest {

    private static final String ISSUER_ID = "kit";
    private final MockOAuth2Server server;

    private MockOAuth2Idp(MockOAuth2Server server) {
        this.server = server;
    }

    /**
     * @param algorithm the signing algorithm: RS256 (the server's ready-made keys) or ES256 (a key made
     *     at the first token, which for EC is quick)
     */
    public static MockOAuth2Idp start(String algorithm) {
        MockOAuth2Server server = algorithm.equals("RS256") ? new MockOAuth2Server()
                : new MockOAuth2Server(new OAuth2Config(false, null, null, false,
                        new OAuth2TokenProvider(new KeyProvider(List.of(), algorithm))));
        server.start();
        return new MockOAuth2Idp(server);
    }

    @Override
    public String issuer() {
        return server.issuerUrl(ISSUER_ID).toString();
    }

    @Override
    public String clientId() {
        return "idbroker-kit-client";
    }

    @Override
    public String clientSecret() {
        return "kit-client-secret-0123456789-abcdefghijklmnopqrstuvwxyz";
    }

    @Override
    public String subjectOf(TestPerson person) {
        return person.id();
    }

    @Override
    public void nextSignIn(TestPerson person) {
        server.enqueueCallback(new DefaultOAuth2TokenCallback(ISSUER_ID, person.id(), "JWT", List.of(clientId()), claims(person), 3600));
    }

    @Override
    public void nextSignInFromAnotherIssuer(TestPerson person) {
        Map<String, Object> claims = claims(person);
        claims.put("iss", server.issuerUrl("another-issuer").toString());
        server.enqueueCallback(new DefaultOAuth2TokenCallback(ISSUER_ID, person.id(), "JWT", List.of(clientId()), claims, 3600));
    }

    @Override
    public void nextSignInForAnotherClient(TestPerson person) {
        // the server sets the ID token's aud to the requesting client; a claim of the callback overrides it
        Map<String, Object> claims = claims(person);
        claims.put("aud", List.of("another-client"));
        server.enqueueCallback(new DefaultOAuth2TokenCallback(ISSUER_ID, person.id(), "JWT", List.of("another-client"),
                claims, 3600));
    }

    private static Map<String, Object> claims(TestPerson person) {
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("preferred_username", person.username());
        claims.put("name", person.displayName());
        claims.put("email", person.email());
        claims.put("email_verified", person.emailVerified());
        claims.put("groups", person.groups());
        return claims;
    }

    @Override
    public void close() {
        server.shutdown();
    }
}
