package org.idbroker.providers.oidc;

import static java.util.Objects.requireNonNull;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.util.DefaultResourceRetriever;
import com.nimbusds.jose.util.JSONObjectUtils;
import com.nimbusds.oauth2.sdk.auth.ClientAuthenticationMethod;
import com.nimbusds.oauth2.sdk.pkce.CodeChallengeMethod;
import com.nimbusds.openid.connect.sdk.op.OIDCProviderMetadata;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.idbroker.spi.Finding;
import org.idbroker.spi.SignInRejectedException;

/** The checks an expert would make on the configuration and the IdP's metadata. */
final class Diagnostics {

    private final OidcConfig config;
    private final Discovery discovery;

    Diagnostics(OidcConfig config, Discovery discovery) {
        this.config = requireNonNull(config, "config is null");
        this.discovery = requireNonNull(discovery, "discovery is null");
    }

    List<Finding> run() {
        List<Finding> findings = new ArrayList<>();
        OIDCProviderMetadata metadata;
        try {
            metadata = discovery.fetch();
        } catch (SignInRejectedException e) {
            findings.add(Finding.fail("discovery", e.getMessage()));
            findings.add(redirectUri());
            return findings;
        }
        findings.add(Finding.ok("discovery", "the discovery document " + config.discoveryUri() + " was read"));
        findings.add(issuer(config.issuer().toString(), metadata.getIssuer().getValue()));
        findings.add(signingKeys(metadata));
        findings.add(scopes(metadata));
        findings.add(clientAuthentication(metadata));
        pkce(metadata, findings);
        if (config.signOutAtIdp() && metadata.getEndSessionEndpointURI() == null) {
            findings.add(Finding.warn("end session", "Sign Out at the Provider is on, but the provider publishes no"
                    + " end_session_endpoint: signing out will only end the broker's session"));
        }
        findings.add(redirectUri());
        return findings;
    }

    static Finding issuer(String configured, String published) {
        if (configured.equals(published)) {
            return Finding.ok("issuer", "the configured issuer equals the provider's: " + published);
        }
        String problem;
        if (strip(configured).equals(strip(published))) {
            problem = "differs from it only by a trailing slash";
        } else if (configured.equalsIgnoreCase(published)) {
            problem = "differs from it only by upper and lower case";
        } else if (schemeless(configured).equals(schemeless(published)) || strip(schemeless(configured)).equals(strip(schemeless(published)))) {
            problem = published.startsWith("http:")
                    ? "differs by http vs https: the provider publishes an http:// issuer, usually because a TLS-terminating"
                            + " proxy does not tell it the original scheme (set X-Forwarded-Proto at the proxy)"
                    : "differs by http vs https";
        } else {
            problem = "is a different address";
        }
        return Finding.fail("issuer", "the configured issuer '" + configured + "' " + problem + "; the provider calls itself '"
                + published + "', and tokens must carry exactly that issuer: enter '" + published + "' as the issuer");
    }

    private static String strip(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    private static String schemeless(String url) {
        return url.replaceFirst("^(?i)https?://", "");
    }

    private Finding signingKeys(OIDCProviderMetadata metadata) {
        URI jwks = metadata.getJWKSetURI();
        boolean hmac = metadata.getIDTokenJWSAlgs() != null
                && metadata.getIDTokenJWSAlgs().stream().anyMatch(JWSAlgorithm.Family.HMAC_SHA::contains);
        if (jwks == null) {
            return Finding.fail("signing keys", "the provider publishes no jwks_uri");
        }
        List<?> keys;
        try {
            int timeout = (int) config.httpTimeout().toMillis();
            String body = new DefaultResourceRetriever(timeout, timeout, 512 * 1024).retrieveResource(jwks.toURL()).getContent();
            Map<String, Object> json = JSONObjectUtils.parse(body);
            Object value = json.get("keys");
            keys = value instanceof List<?> list ? list : List.of();
        } catch (Exception e) {
            return Finding.fail("signing keys", "the key set " + jwks + " could not be read (" + Errors.rootMessage(e) + ")");
        }
        if (keys.isEmpty()) {
            String text = "the key set " + jwks + " holds no keys: the provider signs tokens with HS256 using the client"
                    + " secret (Authentik does this when no signing key is chosen).";
            if (config.clientSecret() == null) {
                return Finding.fail("signing keys", text + " No client secret is configured, so tokens cannot be checked:"
                        + " choose a signing key at the provider (recommended), or enter the client secret");
            }
            return Finding.warn("signing keys", text + " This works with the configured client secret, but choosing a"
                    + " signing key (RS256 or ES256) at the provider is recommended" + (hmac ? "" : "; note the provider"
                    + " does not announce HS256 in id_token_signing_alg_values_supported"));
        }
        return Finding.ok("signing keys", "the key set " + jwks + " holds " + keys.size() + " key(s)");
    }

    private Finding scopes(OIDCProviderMetadata metadata) {
        if (metadata.getScopes() == null) {
            return Finding.ok("scopes", "the provider does not list its scopes; requesting " + config.scopes());
        }
        List<String> supported = metadata.getScopes().toStringList();
        List<String> unknown = config.scopes().stream().filter(s -> !supported.contains(s)).toList();
        if (unknown.isEmpty()) {
            return Finding.ok("scopes", "all requested scopes " + config.scopes() + " are supported");
        }
        return Finding.warn("scopes", "the provider does not list the scopes " + unknown + " (it supports " + supported
                + "); they may be ignored or refused. Claims such as groups may need a scope mapping at the provider");
    }

    private Finding clientAuthentication(OIDCProviderMetadata metadata) {
        String method = config.clientAuthentication().value();
        if (config.clientSecret() == null) {
            return Finding.ok("client authentication", "no client secret: the broker acts as a public client with PKCE");
        }
        List<ClientAuthenticationMethod> supported = metadata.getTokenEndpointAuthMethods();
        if (supported != null && !supported.contains(ClientAuthenticationMethod.parse(method))) {
            return Finding.fail("client authentication", "the provider does not accept " + method + " (it accepts "
                    + supported + "): change the Client Authentication setting");
        }
        if (config.clientAuthentication() == ClientAuthMethod.CLIENT_SECRET_BASIC
                && !URLEncoder.encode(config.clientSecret(), StandardCharsets.UTF_8).equals(config.clientSecret())) {
            return Finding.warn("client authentication", "the client secret contains characters that are URL-encoded"
                    + " in Basic authentication; providers that do not decode them (Authentik) refuse it: prefer client_secret_post");
        }
        return Finding.ok("client authentication", "the provider accepts " + method);
    }

    private void pkce(OIDCProviderMetadata metadata, List<Finding> findings) {
        List<CodeChallengeMethod> methods = metadata.getCodeChallengeMethods();
        if (methods != null && !methods.contains(CodeChallengeMethod.S256)) {
            findings.add(Finding.warn("pkce", "the provider does not announce PKCE S256 (it announces " + methods
                    + "); the broker always sends an S256 challenge"));
        }
    }

    private Finding redirectUri() {
        return Finding.ok("redirect uri", "register this redirect URI at the provider, exactly as written: " + config.redirectUri());
    }
}
