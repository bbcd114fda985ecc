package org.idbroker.providers.oidc;

import static java.util.Objects.requireNonNull;

import com.nimbusds.jose.Algorithm;
import com.nimbusds.jose.JWEAlgorithm;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.util.JSONObjectUtils;
import com.nimbusds.oauth2.sdk.ParseException;
import com.nimbusds.oauth2.sdk.auth.ClientAuthenticationMethod;
import com.nimbusds.oauth2.sdk.pkce.CodeChallengeMethod;
import com.nimbusds.openid.connect.sdk.op.OIDCProviderMetadata;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.idbroker.spi.Finding;

/**
 * The checks an expert would make on the configuration and the IdP's metadata: the discovery document
 * (DNS, TLS, HTTP status, content type), the issuer, the signing keys and algorithms, encryption, client
 * authentication, scopes, PKCE and the clock. Every request is made fresh, without the sign-in caches.
 */
final class Diagnostics {

    private final OidcConfig config;
    private final MetadataProbe probe;

    Diagnostics(OidcConfig config) {
        this.config = requireNonNull(config, "config is null");
        this.probe = new MetadataProbe(config.httpTimeout());
    }

    List<Finding> run() {
        List<Finding> findings = new ArrayList<>();
        MetadataProbe.Document document;
        try {
            document = probe.get(config.discoveryUri());
        } catch (MetadataProbe.ProbeException e) {
            findings.add(Finding.fail("discovery", "the discovery document " + config.discoveryUri() + " cannot be read: "
                    + e.getMessage()));
            return findings;
        }
        OIDCProviderMetadata metadata = discovery(document, findings);
        if (metadata == null) {
            return findings;
        }
        findings.add(issuer(config.issuer().toString(), metadata.getIssuer().getValue()));
        findings.add(signingKeys(metadata));
        findings.add(signingAlgorithms(metadata));
        findings.add(encryption(metadata));
        findings.add(clientAuthentication(metadata));
        findings.add(scopes(metadata));
        pkce(metadata, findings);
        if (config.signOutAtIdp() && metadata.getEndSessionEndpointURI() == null) {
            findings.add(Finding.warn("end session", "Sign Out at the Provider is on, but the provider publishes no"
                    + " end_session_endpoint: signing out will only end the broker's session; turn the setting off or"
                    + " enable RP-initiated logout at the provider"));
        }
        findings.add(clock(document));
        return findings;
    }

    /** Reads the raw discovery document for a support bundle; never holds a secret. */
    String discoveryDocument() throws MetadataProbe.ProbeException {
        MetadataProbe.Document document = probe.get(config.discoveryUri());
        if (document.status() != 200) {
            throw new MetadataProbe.ProbeException(config.discoveryUri() + " answered HTTP " + document.status());
        }
        return document.body();
    }

    private OIDCProviderMetadata discovery(MetadataProbe.Document document, List<Finding> findings) {
        URI uri = config.discoveryUri();
        if (document.status() != 200) {
            String hint = document.status() == 404
                    ? "; the issuer is probably wrong: it must be the address the discovery document hangs under"
                            + " (for Authentik https://HOST/application/o/SLUG/ with the application's slug)"
                    : document.status() / 100 == 5 ? "; the provider has a problem: check its logs"
                    : document.status() == 401 || document.status() == 403
                            ? "; discovery must be readable without credentials: check a proxy or firewall in front of it" : "";
            findings.add(Finding.fail("discovery", uri + " answered HTTP " + document.status() + " instead of 200" + hint));
            return null;
        }
        try {
            JSONObjectUtils.parse(document.body());
        } catch (java.text.ParseException e) {
            findings.add(Finding.fail("discovery", uri + " answered " + (document.contentType().isEmpty() ? "without a content type"
                    : document.contentType()) + " that is not JSON (a login page or a proxy's error page?): the issuer"
                    + " must point at the OpenID provider itself"));
            return null;
        }
        OIDCProviderMetadata metadata;
        try {
            metadata = OIDCProviderMetadata.parse(document.body());
        } catch (ParseException e) {
            findings.add(Finding.fail("discovery", uri + " is JSON but not an OpenID configuration document ("
                    + e.getMessage() + ")"));
            return null;
        }
        if (!document.isJson()) {
            findings.add(Finding.warn("discovery", uri + " was read, but it is sent as '" + document.contentType()
                    + "' instead of application/json; strict clients refuse it: fix the content type at the provider or its proxy"));
        } else {
            findings.add(Finding.ok("discovery", "the discovery document " + uri + " was read"));
        }
        return metadata;
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
            return Finding.fail("signing keys", "the provider publishes no jwks_uri, so token signatures cannot be checked");
        }
        List<?> keys;
        try {
            MetadataProbe.Document document = probe.get(jwks);
            if (document.status() != 200) {
                return Finding.fail("signing keys", "the key set " + jwks + " answered HTTP " + document.status() + " instead of 200");
            }
            Object value = JSONObjectUtils.parse(document.body()).get("keys");
            keys = value instanceof List<?> list ? list : List.of();
        } catch (MetadataProbe.ProbeException e) {
            return Finding.fail("signing keys", "the key set " + jwks + " cannot be read: " + e.getMessage());
        } catch (java.text.ParseException e) {
            return Finding.fail("signing keys", "the key set " + jwks + " is not JSON");
        }
        long signing = keys.stream().filter(k -> !(k instanceof Map<?, ?> m) || !"enc".equals(m.get("use"))).count();
        if (signing == 0) {
            String text = "the key set " + jwks + " holds no signing keys" + (keys.isEmpty() ? "" : " (only encryption keys)")
                    + ": the provider signs tokens with HS256 using the client secret (Authentik does this when no signing"
                    + " key is chosen).";
            if (config.clientSecret() == null) {
                return Finding.fail("signing keys", text + " No client secret is configured, so tokens cannot be checked:"
                        + " choose a signing key at the provider (recommended), or enter the client secret");
            }
            return Finding.warn("signing keys", text + " This works with the configured client secret, but choosing a"
                    + " signing key (RS256 or ES256) at the provider is recommended" + (hmac ? "" : "; note the provider"
                    + " does not announce HS256 in id_token_signing_alg_values_supported, so such tokens would be refused"));
        }
        return Finding.ok("signing keys", "the key set " + jwks + " holds " + signing + " signing key(s)");
    }

    private Finding signingAlgorithms(OIDCProviderMetadata metadata) {
        List<JWSAlgorithm> announced = metadata.getIDTokenJWSAlgs();
        if (announced == null || announced.isEmpty()) {
            return Finding.ok("signing algorithms", "the provider announces no id_token_signing_alg_values_supported;"
                    + " RS256 (the OpenID default) is expected");
        }
        List<String> usable = new ArrayList<>();
        List<String> refused = new ArrayList<>();
        for (JWSAlgorithm alg : announced) {
            if (Algorithm.NONE.getName().equals(alg.getName())) {
                refused.add("none (unsigned tokens are never accepted)");
            } else if (JWSAlgorithm.Family.HMAC_SHA.contains(alg)) {
                (config.clientSecret() != null ? usable : refused).add(alg.getName()
                        + (config.clientSecret() != null ? "" : " (needs the client secret, which is not configured)"));
            } else if (JWSAlgorithm.Family.SIGNATURE.contains(alg)) {
                usable.add(alg.getName());
            } else {
                refused.add(alg.getName() + " (not supported)");
            }
        }
        if (usable.isEmpty()) {
            return Finding.fail("signing algorithms", "the provider signs ID tokens only with " + refused + ": none of them"
                    + " can be checked; choose an RS256 or ES256 signing key at the provider"
                    + (config.clientSecret() == null ? ", or enter the client secret for HS256" : ""));
        }
        return Finding.ok("signing algorithms", "ID tokens signed with " + usable + " are accepted"
                + (refused.isEmpty() ? "" : "; also announced but refused: " + refused));
    }

    private Finding encryption(OIDCProviderMetadata metadata) {
        List<JWEAlgorithm> idToken = metadata.getIDTokenJWEAlgs();
        List<JWEAlgorithm> userInfo = metadata.getUserInfoJWEAlgs();
        boolean any = idToken != null && !idToken.isEmpty() || userInfo != null && !userInfo.isEmpty();
        if (!any) {
            return Finding.ok("encryption", "the provider announces no token encryption; tokens are signed only");
        }
        return Finding.warn("encryption", "the provider can encrypt"
                + (idToken != null && !idToken.isEmpty() ? " ID tokens (" + idToken + ")" : "")
                + (userInfo != null && !userInfo.isEmpty() ? " userinfo answers (" + userInfo + ")" : "")
                + ". The broker does not decrypt: keep encryption off for this client at the provider (in Authentik,"
                + " leave the provider's Encryption Key empty), or sign-ins fail with token_encrypted");
    }

    private Finding clientAuthentication(OIDCProviderMetadata metadata) {
        List<ClientAuthenticationMethod> supported = metadata.getTokenEndpointAuthMethods();
        List<ClientAuthenticationMethod> offered = supported == null || supported.isEmpty()
                ? List.of(ClientAuthenticationMethod.CLIENT_SECRET_BASIC) : supported;
        if (config.clientSecret() == null) {
            if (!offered.contains(ClientAuthenticationMethod.NONE)) {
                return Finding.warn("client authentication", "no client secret is configured, so the broker acts as a"
                        + " public client (PKCE only), but the provider announces only " + offered + ": if the token"
                        + " request is refused, make the client public at the provider or enter the client secret");
            }
            return Finding.ok("client authentication", "no client secret: the broker acts as a public client with PKCE");
        }
        String method = config.clientAuthentication().value();
        if (!offered.contains(ClientAuthenticationMethod.parse(method))) {
            List<String> ours = ClientAuthMethod.names().stream()
                    .filter(n -> offered.contains(ClientAuthenticationMethod.parse(n))).toList();
            return Finding.fail("client authentication", "the provider does not accept " + method + " (it accepts "
                    + offered + "): change the Client Authentication setting"
                    + (ours.isEmpty() ? "; the broker supports only " + ClientAuthMethod.names() : " to " + ours.get(0)));
        }
        if (config.clientAuthentication() == ClientAuthMethod.CLIENT_SECRET_BASIC
                && !URLEncoder.encode(config.clientSecret(), StandardCharsets.UTF_8).equals(config.clientSecret())) {
            return Finding.warn("client authentication", "the client secret contains characters that are URL-encoded"
                    + " in Basic authentication; providers that do not decode them (Authentik) refuse it: prefer client_secret_post");
        }
        return Finding.ok("client authentication", "the provider accepts " + method);
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
        return Finding.warn("scopes", "the provider does not list the requested scopes " + unknown + " in scopes_supported"
                + " (it lists " + supported + "). Providers may refuse them or, like Authentik, drop them silently: the"
                + " claims they would bring (such as groups) are then simply missing. Add a scope mapping at the provider"
                + " or remove them from Scopes").withCode(Finding.SCOPES_NOT_LISTED, unknown);
    }

    private void pkce(OIDCProviderMetadata metadata, List<Finding> findings) {
        List<CodeChallengeMethod> methods = metadata.getCodeChallengeMethods();
        if (methods != null && !methods.contains(CodeChallengeMethod.S256)) {
            findings.add(Finding.warn("pkce", "the provider does not announce PKCE S256 (it announces " + methods
                    + "); the broker always sends an S256 challenge"));
        }
    }

    /** The IdP's clock from its Date header against ours, with one second for the header's resolution. */
    private Finding clock(MetadataProbe.Document document) {
        if (document.idpDate().isEmpty()) {
            return Finding.warn("clock", "the provider sent no readable Date header, so its clock cannot be compared;"
                    + " make sure both machines synchronise their clocks (NTP)");
        }
        long roundTripMillis = Duration.between(document.sentAt(), document.receivedAt()).toMillis();
        java.time.Instant middle = document.sentAt().plusMillis(roundTripMillis / 2);
        long offsetMillis = Duration.between(middle, document.idpDate().get()).toMillis();
        long uncertainty = 1000 + roundTripMillis / 2;
        long difference = Math.max(0, Math.abs(offsetMillis) - uncertainty);
        long skew = config.clockSkew().toMillis();
        String measured = "the provider's clock is about " + seconds(Math.abs(offsetMillis))
                + (offsetMillis >= 0 ? " ahead of" : " behind") + " the broker's; the allowed skew is "
                + config.clockSkew().toSeconds() + " s";
        if (difference > skew) {
            return Finding.fail("clock", measured + ": tokens will be refused as expired or not yet valid. Synchronise both"
                    + " clocks (NTP); raise Clock Skew only as a stopgap");
        }
        if (difference > skew / 2 && difference > 5000) {
            return Finding.warn("clock", measured + ": close to the limit; synchronise both clocks (NTP)");
        }
        return Finding.ok("clock", measured);
    }

    private static String seconds(long millis) {
        return millis < 1000 ? "less than a second" : millis / 1000 + " s";
    }
}
