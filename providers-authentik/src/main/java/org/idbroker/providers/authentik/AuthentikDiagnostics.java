package org.idbroker.providers.authentik;

import static java.util.Objects.requireNonNull;

import com.nimbusds.jose.util.DefaultResourceRetriever;
import com.nimbusds.jose.util.JSONObjectUtils;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.idbroker.providers.oidc.OidcConfig;
import org.idbroker.providers.oidc.OidcProviderFactory;
import org.idbroker.spi.Finding;

/**
 * What an Authentik expert checks beyond OpenID Connect: the signing key (HS256 with an empty key
 * set when none is chosen), an encryption key chosen by accident, an http:// issuer behind a proxy,
 * groups that come with the profile scope, and {@code email_verified} being false since 2025.10.
 */
final class AuthentikDiagnostics {

    private static final int MAX_BYTES = 512 * 1024;

    private final OidcConfig config;
    private final boolean trustEmail;

    AuthentikDiagnostics(OidcConfig config, boolean trustEmail) {
        this.config = requireNonNull(config, "config is null");
        this.trustEmail = trustEmail;
    }

    /** A generic finding in Authentik's words, where Authentik behaves differently. */
    Finding reword(Finding finding) {
        if (finding.code().equals(Finding.SCOPES_NOT_LISTED) && finding.subjects().equals(List.of("groups"))
                && config.scopes().contains("profile")) {
            return Finding.ok("scopes", "Authentik has no groups scope and ignores it: the groups claim comes with the profile"
                    + " scope, which is requested");
        }
        return finding;
    }

    List<Finding> run() {
        List<Finding> findings = new ArrayList<>();
        Map<String, Object> discovery;
        try {
            discovery = read(config.discoveryUri());
        } catch (Exception e) {
            // the generic checks already report an unreadable discovery document
            findings.add(emailVerified());
            return findings;
        }
        Object issuer = discovery.get("issuer");
        if (issuer instanceof String published) {
            issuerScheme(published).ifPresent(findings::add);
            issuerLayout(published).ifPresent(findings::add);
        }
        Object jwksUri = discovery.get("jwks_uri");
        if (jwksUri instanceof String jwks) {
            findings.addAll(keys(URI.create(jwks), discovery));
        }
        if (!config.scopes().contains("profile")) {
            findings.add(Finding.warn("authentik groups", "the profile scope is not requested: Authentik sends groups,"
                    + " preferred_username and name only with profile; add profile to the Scopes"));
        }
        findings.add(emailVerified());
        return findings;
    }

    private java.util.Optional<Finding> issuerScheme(String published) {
        URI uri = URI.create(published);
        if ("http".equalsIgnoreCase(uri.getScheme()) && !OidcProviderFactory.isLoopback(uri.getHost())) {
            return java.util.Optional.of(Finding.fail("authentik issuer", "Authentik publishes the http:// issuer " + published
                    + ": it does not know it is reached over https, usually because the reverse proxy in front of it does not"
                    + " send X-Forwarded-Proto: https (and the Host header). Fix the proxy, then enter the https:// issuer"));
        }
        return java.util.Optional.empty();
    }

    private java.util.Optional<Finding> issuerLayout(String published) {
        String path = URI.create(published).getPath();
        if (path == null || path.isEmpty() || path.equals("/")) {
            return java.util.Optional.of(Finding.ok("authentik issuer", "Authentik runs in global issuer mode (" + published
                    + "): every application shares the issuer, and only the audience (client id) tells them apart"));
        }
        if (!path.startsWith("/application/o/") || !path.endsWith("/")) {
            return java.util.Optional.of(Finding.warn("authentik issuer", "the issuer " + published + " does not look like"
                    + " Authentik's https://HOST/application/o/SLUG/: check that this is an Authentik OAuth2 provider"));
        }
        return java.util.Optional.empty();
    }

    private List<Finding> keys(URI jwks, Map<String, Object> discovery) {
        List<Finding> findings = new ArrayList<>();
        List<?> keys;
        try {
            Object value = read(jwks).get("keys");
            keys = value instanceof List<?> list ? list : List.of();
        } catch (Exception e) {
            return findings; // the generic checks report an unreadable key set
        }
        boolean signing = keys.stream().anyMatch(k -> k instanceof Map<?, ?> m && !"enc".equals(m.get("use")));
        boolean encryption = keys.stream().anyMatch(k -> k instanceof Map<?, ?> m && "enc".equals(m.get("use")));
        if (!signing) {
            String how = "In Authentik, edit the OAuth2 provider and choose a Signing Key (for example the"
                    + " \"authentik Self-signed Certificate\"): tokens are then signed RS256 or ES256 and checked with the keys"
                    + " Authentik publishes, and the client secret no longer signs them.";
            findings.add(config.clientSecret() == null
                    ? Finding.fail("authentik signing key", "no Signing Key is chosen in the Authentik provider, so it signs"
                            + " tokens HS256 with the client secret, and no client secret is configured here. " + how)
                    : Finding.warn("authentik signing key", "no Signing Key is chosen in the Authentik provider: it signs tokens"
                            + " HS256 with the client secret and publishes an empty key set. Sign-ins work, but anyone who knows"
                            + " the client secret can forge tokens. " + how));
        }
        Object encAlgs = discovery.get("id_token_encryption_alg_values_supported");
        if (encryption || (encAlgs instanceof List<?> list && !list.isEmpty())) {
            findings.add(Finding.fail("authentik encryption key", "an Encryption Key is chosen in the Authentik provider, so"
                    + " its tokens are encrypted (JWE), which the broker does not accept: leave the Encryption Key empty in"
                    + " the Authentik provider"));
        }
        return findings;
    }

    private Finding emailVerified() {
        String fact = "Authentik (2025.10 and later) sends email_verified false for every user, since it does not verify"
                + " addresses.";
        if (trustEmail) {
            return Finding.ok("authentik email_verified", fact + " Trust Email is on: a first sign-in links to an existing"
                    + " account with the same email address. Keep it on only if people cannot change their own email address"
                    + " in Authentik, or someone could take over an account by setting its address");
        }
        return Finding.warn("authentik email_verified", fact + " Trust Email is off, so the first sign-in of a person whose"
                + " email address already has an account (such as the administrator made with 'idbroker admin') is refused"
                + " instead of linked. Turn on Trust Email if only Authentik's administrators set users' addresses");
    }

    private Map<String, Object> read(URI uri) throws Exception {
        int timeout = (int) config.httpTimeout().toMillis();
        String body = new DefaultResourceRetriever(timeout, timeout, MAX_BYTES).retrieveResource(uri.toURL()).getContent();
        return JSONObjectUtils.parse(body);
    }
}
