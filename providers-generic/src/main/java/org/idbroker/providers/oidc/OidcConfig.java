package org.idbroker.providers.oidc;

import static java.util.Objects.requireNonNull;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.idbroker.spi.IdpCalls;

/**
 * The typed configuration of one OpenID Connect provider instance.
 *
 * @param issuer the configured issuer, as entered
 * @param discoveryUri where the OpenID configuration document is read
 * @param clientId the client id registered at the IdP
 * @param clientSecret the client secret, or {@code null} for a public client
 * @param roleClaimType the claim holding group or role names
 * @param usernameClaimType the claim holding the username
 * @param resource the RFC 8707 {@code resource} parameter, or {@code null}
 * @param scopes the scopes requested; includes {@code openid}
 * @param clockSkew tolerated clock difference when checking token times
 * @param clientAuthentication how the client authenticates at the token endpoint
 * @param signOutAtIdp whether logout also ends the session at the IdP
 * @param redirectUri the callback address sent to the IdP
 * @param httpTimeout connect and read timeout of every request to the IdP
 * @param discoveryLifetime how long the discovery document and the keys built from it are reused
 * @param idpCalls told of every call to the IdP ({@link IdpCalls#NONE} when null)
 * @param userInfo when the userinfo endpoint is read
 */
public record OidcConfig(
        URI issuer,
        URI discoveryUri,
        String clientId,
        String clientSecret,
        String roleClaimType,
        String usernameClaimType,
        URI resource,
        List<String> scopes,
        Duration clockSkew,
        ClientAuthMethod clientAuthentication,
        boolean signOutAtIdp,
        URI redirectUri,
        Duration httpTimeout,
        Duration discoveryLifetime,
        IdpCalls idpCalls,
        UserInfoUse userInfo) {

    public static final Duration DEFAULT_HTTP_TIMEOUT = Duration.ofSeconds(5);
    public static final Duration DEFAULT_DISCOVERY_LIFETIME = Duration.ofMinutes(10);

    public OidcConfig {
        requireNonNull(issuer, "issuer is null");
        requireNonNull(discoveryUri, "discoveryUri is null");
        requireNonNull(clientId, "clientId is null");
        requireNonNull(roleClaimType, "roleClaimType is null");
        requireNonNull(usernameClaimType, "usernameClaimType is null");
        scopes = List.copyOf(requireNonNull(scopes, "scopes is null"));
        requireNonNull(clockSkew, "clockSkew is null");
        requireNonNull(clientAuthentication, "clientAuthentication is null");
        requireNonNull(redirectUri, "redirectUri is null");
        requireNonNull(httpTimeout, "httpTimeout is null");
        requireNonNull(discoveryLifetime, "discoveryLifetime is null");
        if (idpCalls == null) {
            idpCalls = IdpCalls.NONE;
        }
        requireNonNull(userInfo, "userInfo is null");
        if (clientSecret != null && clientSecret.isEmpty()) {
            clientSecret = null;
        }
    }

    /**
     * The discovery address of an issuer: one trailing slash removed, then
     * {@code /.well-known/openid-configuration} appended, so that no {@code //} appears.
     */
    public static URI discoveryUriFor(URI issuer) {
        String base = issuer.toString();
        if (base.endsWith("/")) {
            base = base.substring(0, base.length() - 1);
        }
        return URI.create(base + "/.well-known/openid-configuration");
    }

    /** The same configuration with other timeouts, mostly for tests. */
    public OidcConfig withTimeouts(Duration newHttpTimeout, Duration newDiscoveryLifetime) {
        return new OidcConfig(issuer, discoveryUri, clientId, clientSecret, roleClaimType, usernameClaimType, resource,
                scopes, clockSkew, clientAuthentication, signOutAtIdp, redirectUri, newHttpTimeout, newDiscoveryLifetime, idpCalls,
                userInfo);
    }

    @Override
    public String toString() {
        // never print the secret
        return "OidcConfig[issuer=" + issuer + ", discoveryUri=" + discoveryUri + ", clientId=" + clientId
                + ", clientSecret=" + (clientSecret == null ? "none" : "****") + ", roleClaimType=" + roleClaimType
                + ", usernameClaimType=" + usernameClaimType + ", resource=" + resource + ", scopes=" + scopes
                + ", clockSkew=" + clockSkew + ", clientAuthentication=" + clientAuthentication.value()
                + ", signOutAtIdp=" + signOutAtIdp + ", redirectUri=" + redirectUri + ", userInfo=" + userInfo.value() + "]";
    }
}
