package org.idbroker.providers.github;

import static java.util.Objects.requireNonNull;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.idbroker.spi.AuthenticatedIdentity;
import org.idbroker.spi.CallbackRequest;
import org.idbroker.spi.Finding;
import org.idbroker.spi.IdentityProvider;
import org.idbroker.spi.RejectionReason;
import org.idbroker.spi.SignInRejectedException;
import org.idbroker.spi.SignInRequest;
import org.idbroker.spi.SignInStart;

/**
 * Signs a person in at GitHub with OAuth 2.0 (GitHub is not OpenID Connect): the authorization request with
 * {@code state} and a PKCE S256 challenge, the code exchange, then the REST API for who the person is. The subject
 * is the numeric user id (a login can be renamed and then taken by someone else), the email the primary address
 * (verified as GitHub says), the groups the organisations and {@code org:team} names.
 */
final class GitHubProvider implements IdentityProvider {

    static final String REMEMBER_STATE = "state";
    static final String REMEMBER_CODE_VERIFIER = "codeVerifier";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final GitHubConfig config;
    private final GitHubApi api;

    GitHubProvider(GitHubConfig config) {
        this.config = requireNonNull(config, "config is null");
        this.api = new GitHubApi(config);
    }

    @Override
    public SignInStart startSignIn(SignInRequest request) {
        byte[] random = new byte[32];
        RANDOM.nextBytes(random);
        String verifier = base64Url(random);
        URI authorize = URI.create(config.authorizeUri() + "?client_id=" + encode(config.clientId())
                + "&redirect_uri=" + encode(config.redirectUri().toString()) + "&scope=" + encode(String.join(" ", config.scopes()))
                + "&state=" + encode(request.state()) + "&code_challenge=" + challenge(verifier) + "&code_challenge_method=S256");
        return new SignInStart(authorize, Map.of(REMEMBER_STATE, request.state(), REMEMBER_CODE_VERIFIER, verifier));
    }

    @Override
    public AuthenticatedIdentity finishSignIn(CallbackRequest callback, Map<String, String> remembered)
            throws SignInRejectedException {
        Optional<String> error = callback.single("error");
        if (error.isPresent()) {
            throw new SignInRejectedException(RejectionReason.IDP_ERROR, authorizationError(error.get(),
                    callback.single("error_description").orElse(null)));
        }
        String state = callback.single("state").orElseThrow(() -> new SignInRejectedException(
                RejectionReason.INVALID_CALLBACK, "GitHub's callback has no state parameter: start the sign-in again"));
        if (!state.equals(remembered.get(REMEMBER_STATE))) {
            throw new SignInRejectedException(RejectionReason.INVALID_CALLBACK,
                    "the callback's state does not belong to this sign-in: start the sign-in again");
        }
        String code = callback.single("code").orElseThrow(() -> new SignInRejectedException(
                RejectionReason.INVALID_CALLBACK, "GitHub's callback has no code (or several): start the sign-in again"));
        String verifier = Optional.ofNullable(remembered.get(REMEMBER_CODE_VERIFIER)).orElseThrow(() -> new SignInRejectedException(
                RejectionReason.INVALID_CALLBACK, "the sign-in lost its PKCE verifier: start the sign-in again"));
        String token = api.exchange(code, verifier);
        return identity(token);
    }

    /** The doctor's checks: the API answers, GitHub accepts the client credentials, what to register and approve. */
    @Override
    public List<Finding> diagnose() {
        List<Finding> findings = new ArrayList<>();
        try {
            Map<String, Object> meta = api.meta();
            String version = GitHubApi.string(meta, "installed_version");
            findings.add(Finding.ok("api", "GitHub's API answers at " + config.apiUri()
                    + (version == null ? "" : " (GitHub Enterprise Server " + version + ")")));
        } catch (SignInRejectedException e) {
            findings.add(Finding.fail("api", e.getMessage() + ": check the Base URL"));
        }
        findings.add(clientCheck());
        findings.add(Finding.ok("redirect-uri", "the OAuth app's Authorization callback URL at GitHub must be exactly "
                + config.redirectUri()));
        if (!config.allowedOrganizations().isEmpty()) {
            findings.add(Finding.ok("allowed-organizations", "only members of " + String.join(", ", config.allowedOrganizations())
                    + " may sign in; an organisation that restricts OAuth apps must approve this one (its Settings >"
                    + " Third-party access) before GitHub shows its members"));
        }
        return findings;
    }

    /** A code exchange with a code that cannot be valid: GitHub checks the client credentials first. */
    private Finding clientCheck() {
        try {
            api.exchange("idbroker-doctor-probe", "x".repeat(43));
            return Finding.warn("client", "GitHub accepted a made-up code: is the Base URL really GitHub?");
        } catch (SignInRejectedException e) {
            if (e.reason() == RejectionReason.CODE_REJECTED && e.getMessage().contains("bad_verification_code")) {
                return Finding.ok("client", "GitHub accepts the Client ID and Client Secret");
            }
            return Finding.fail("client", e.getMessage());
        }
    }

    private AuthenticatedIdentity identity(String token) throws SignInRejectedException {
        Map<String, Object> user = api.object(token, "/user", "profile");
        if (!(user.get("id") instanceof Long id)) {
            throw new SignInRejectedException(RejectionReason.CLAIM_MISSING, "GitHub's /user answer has no numeric id");
        }
        String login = GitHubApi.string(user, "login");
        String name = Optional.ofNullable(GitHubApi.string(user, "name")).orElse(login);
        Map<String, Object> primary = api.list(token, "/user/emails", "email addresses").stream()
                .filter(e -> Boolean.TRUE.equals(e.get("primary"))).findFirst().orElse(Map.of());
        String email = GitHubApi.string(primary, "email");
        boolean verified = email != null && Boolean.TRUE.equals(primary.get("verified"));
        List<String> organizations = api.list(token, "/user/orgs", "organisations").stream()
                .map(o -> GitHubApi.string(o, "login")).filter(l -> l != null).toList();
        List<String> teams = new ArrayList<>();
        for (Map<String, Object> team : api.list(token, "/user/teams", "teams")) {
            String org = team.get("organization") instanceof Map<?, ?> o && o.get("login") instanceof String l ? l : null;
            String teamName = team.get(config.teamName().field()) instanceof String t ? t : null;
            if (org != null && teamName != null) {
                teams.add(org + ":" + teamName);
            }
        }
        requireAllowedOrganization(login, organizations);
        Set<String> groups = new LinkedHashSet<>(organizations);
        groups.addAll(teams);
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("id", id);
        putIfPresent(claims, "login", login);
        putIfPresent(claims, "name", GitHubApi.string(user, "name"));
        putIfPresent(claims, "email", email);
        claims.put("email_verified", verified);
        claims.put("organizations", organizations);
        claims.put("teams", teams);
        return new AuthenticatedIdentity(config.issuer(), Long.toString(id), login, name, email, verified, List.copyOf(groups),
                Map.copyOf(claims), null, null);
    }

    private void requireAllowedOrganization(String login, List<String> organizations) throws SignInRejectedException {
        if (config.allowedOrganizations().isEmpty()) {
            return;
        }
        Set<String> member = organizations.stream().map(o -> o.toLowerCase(Locale.ROOT)).collect(Collectors.toSet());
        if (config.allowedOrganizations().stream().noneMatch(a -> member.contains(a.toLowerCase(Locale.ROOT)))) {
            throw new SignInRejectedException(RejectionReason.NOT_PERMITTED, "GitHub does not show " + login
                    + " as a member of an allowed organisation (" + String.join(", ", config.allowedOrganizations())
                    + "). If they are a member, the organisation may need to approve this application: an owner approves it"
                    + " under the organisation's Settings > Third-party access > OAuth app policy, after the person asks for"
                    + " it on GitHub's page of authorized OAuth apps.");
        }
    }

    private static String authorizationError(String error, String description) {
        String code = TokenErrors.clean(error);
        String meaning = switch (error) {
            case "access_denied" -> ": the person declined to authorize the application at GitHub";
            case "redirect_uri_mismatch" -> ": the OAuth app's Authorization callback URL at GitHub must be the broker's"
                    + " redirect URI";
            case "application_suspended" -> ": GitHub has suspended the OAuth app";
            default -> "";
        };
        return "GitHub refused the sign-in: " + code + meaning
                + (description == null ? "" : ". GitHub says: \"" + TokenErrors.clean(description) + "\"");
    }

    private static void putIfPresent(Map<String, Object> claims, String name, String value) {
        if (value != null) {
            claims.put(name, value);
        }
    }

    /** The PKCE S256 challenge of a verifier (RFC 7636). */
    static String challenge(String verifier) {
        try {
            return base64Url(MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }

    private static String base64Url(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
