package org.idbroker.providers.oidc;

import static java.util.Objects.requireNonNull;

import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.oauth2.sdk.ResponseType;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.id.State;
import com.nimbusds.oauth2.sdk.pkce.CodeChallengeMethod;
import com.nimbusds.oauth2.sdk.pkce.CodeVerifier;
import com.nimbusds.openid.connect.sdk.AuthenticationRequest;
import com.nimbusds.openid.connect.sdk.Nonce;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.idbroker.providers.oidc.flavour.ClaimPath;
import org.idbroker.spi.AuthenticatedIdentity;
import org.idbroker.spi.CallbackRequest;
import org.idbroker.spi.EndSessionRequest;
import org.idbroker.spi.Finding;
import org.idbroker.spi.IdentityProvider;
import org.idbroker.spi.LogoutNotice;
import org.idbroker.spi.RejectionReason;
import org.idbroker.spi.SignInRejectedException;
import org.idbroker.spi.SignInRequest;
import org.idbroker.spi.SignInStart;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An OpenID Connect provider: Authorization Code flow with PKCE (S256) and a nonce. Discovery is read
 * with pac4j on first use and cached; tokens are validated with Nimbus. No per-login state is held:
 * the callback works from the values returned in {@link SignInStart#remember()}, under the keys
 * {@link #REMEMBER_STATE}, {@link #REMEMBER_NONCE} and {@link #REMEMBER_CODE_VERIFIER}.
 */
public final class OidcProvider implements IdentityProvider {

    public static final String REMEMBER_STATE = "state";
    public static final String REMEMBER_NONCE = "nonce";
    public static final String REMEMBER_CODE_VERIFIER = "codeVerifier";

    private static final Logger LOG = LoggerFactory.getLogger(OidcProvider.class);

    private final OidcConfig config;
    private final Discovery discovery;
    private final TokenVerifier verifier;
    private final IdpEndpoints endpoints;
    private final IdentityMapper mapper;

    public OidcProvider(OidcConfig config) {
        this(config, ClaimPath.name(config.roleClaimType()));
    }

    /** A provider that reads the person's groups at {@code groups} (an {@link org.idbroker.providers.oidc.flavour.OidcFlavour}'s hook). */
    public OidcProvider(OidcConfig config, ClaimPath groups) {
        this.config = requireNonNull(config, "config is null");
        // one client per provider instance, and every call to the IdP under its one deadline and a size cap
        BoundedSender sender = new BoundedSender(BoundedSender.newClient(config.httpTimeout()), config.httpTimeout(),
                BoundedSender.MAX_ANSWER_BYTES);
        this.discovery = new Discovery(config, sender, Clock.systemUTC());
        this.verifier = new TokenVerifier(config);
        this.endpoints = new IdpEndpoints(config, sender);
        this.mapper = new IdentityMapper(config, groups);
    }

    public OidcConfig config() {
        return config;
    }

    @Override
    public SignInStart startSignIn(SignInRequest request) throws SignInRejectedException {
        requireNonNull(request, "request is null");
        IdpMetadata idp = discovery.get();
        URI authorize = idp.metadata().getAuthorizationEndpointURI();
        if (authorize == null) {
            throw new SignInRejectedException(RejectionReason.IDP_UNAVAILABLE,
                    "the OpenID provider publishes no authorization_endpoint in " + config.discoveryUri());
        }
        Nonce nonce = new Nonce();
        CodeVerifier codeVerifier = new CodeVerifier();
        AuthenticationRequest.Builder builder = new AuthenticationRequest.Builder(ResponseType.CODE,
                new Scope(config.scopes().toArray(String[]::new)), new ClientID(config.clientId()), config.redirectUri())
                .endpointURI(authorize)
                .state(new State(request.state()))
                .nonce(nonce)
                .codeChallenge(codeVerifier, CodeChallengeMethod.S256);
        if (config.resource() != null) {
            builder.resources(config.resource());
        }
        if (request.loginHint() != null) {
            builder.loginHint(request.loginHint());
        }
        URI uri = builder.build().toURI();
        LOG.debug("sign-in started at {}", authorize);
        return new SignInStart(uri, Map.of(
                REMEMBER_STATE, request.state(),
                REMEMBER_NONCE, nonce.getValue(),
                REMEMBER_CODE_VERIFIER, codeVerifier.getValue()));
    }

    @Override
    public AuthenticatedIdentity finishSignIn(CallbackRequest callback, Map<String, String> remembered)
            throws SignInRejectedException {
        requireNonNull(callback, "callback is null");
        requireNonNull(remembered, "remembered is null");
        Optional<String> error = callback.single("error");
        if (error.isPresent()) {
            throw new SignInRejectedException(RejectionReason.IDP_ERROR, "the OpenID provider refused the sign-in: "
                    + Words.oauthError(error.get(), callback.single("error_description").orElse(null)));
        }
        String state = remembered(remembered, REMEMBER_STATE);
        String nonce = remembered(remembered, REMEMBER_NONCE);
        String codeVerifier = remembered(remembered, REMEMBER_CODE_VERIFIER);
        String returnedState = callback.single("state").orElseThrow(() -> new SignInRejectedException(
                RejectionReason.INVALID_CALLBACK, "the callback has no state parameter: start the sign-in again"));
        if (!returnedState.equals(state)) {
            throw new SignInRejectedException(RejectionReason.INVALID_CALLBACK,
                    "the callback's state does not belong to this sign-in: start the sign-in again");
        }
        String code = callback.single("code").orElseThrow(() -> new SignInRejectedException(
                RejectionReason.INVALID_CALLBACK, "the callback has no authorization code (or several): start the sign-in again"));
        IdpMetadata idp = discovery.get();
        Optional<String> callbackIssuer = callback.single("iss");
        if (callbackIssuer.isPresent() && !callbackIssuer.get().equals(idp.issuer())) {
            // RFC 9207: a response from another authorization server (mix-up)
            throw new SignInRejectedException(RejectionReason.INVALID_CALLBACK, "the callback comes from issuer '"
                    + Words.clean(callbackIssuer.get()) + "', not from '" + idp.issuer() + "'");
        }
        IdpEndpoints.Tokens tokens = endpoints.exchange(idp, code, codeVerifier);
        JWTClaimsSet idClaims = verifier.verifyIdToken(idp, tokens.idToken(), nonce);
        Map<String, Object> idTokenClaims = IdentityMapper.plainMap(idClaims.toJSONObject());
        // the userinfo request only when the ID token lacks what the settings use (or always, when so set)
        Map<String, Object> userInfo = config.userInfo() == UserInfoUse.ALWAYS || mapper.needsUserInfo(idTokenClaims)
                ? userInfo(idp, tokens, idClaims.getSubject()) : Map.of();
        Map<String, Object> claims = mapper.merge(idTokenClaims, userInfo);
        AuthenticatedIdentity identity = mapper.identity(idClaims.getIssuer(), idClaims.getSubject(), claims, tokens.idToken());
        LOG.debug("signed in subject {} of {}", identity.subject(), identity.issuer());
        return identity;
    }

    private Map<String, Object> userInfo(IdpMetadata idp, IdpEndpoints.Tokens tokens, String subject)
            throws SignInRejectedException {
        URI endpoint = idp.metadata().getUserInfoEndpointURI();
        if (endpoint == null || tokens.accessToken() == null) {
            return Map.of();
        }
        Map<String, Object> userInfo = endpoints.userInfo(endpoint, tokens.accessToken());
        if (!userInfo.isEmpty() && !subject.equals(userInfo.get("sub"))) {
            throw new SignInRejectedException(RejectionReason.USERINFO_SUBJECT_MISMATCH,
                    "the userinfo endpoint describes another subject than the ID token; the sign-in is refused");
        }
        return userInfo;
    }

    private static String remembered(Map<String, String> remembered, String key) throws SignInRejectedException {
        String value = remembered.get(key);
        if (value == null || value.isBlank()) {
            throw new SignInRejectedException(RejectionReason.INVALID_CALLBACK,
                    "the sign-in's remembered " + key + " is missing: start the sign-in again");
        }
        return value;
    }

    @Override
    public Optional<URI> endSessionUri(EndSessionRequest request) {
        requireNonNull(request, "request is null");
        if (!config.signOutAtIdp()) {
            return Optional.empty();
        }
        URI endpoint;
        try {
            endpoint = discovery.get().metadata().getEndSessionEndpointURI();
        } catch (SignInRejectedException e) {
            LOG.debug("no end-session address: {}", e.getMessage());
            return Optional.empty();
        }
        if (endpoint == null) {
            return Optional.empty();
        }
        StringBuilder query = new StringBuilder();
        if (request.idTokenHint() != null) {
            append(query, "id_token_hint", request.idTokenHint());
        }
        append(query, "client_id", config.clientId());
        if (request.postLogoutRedirectUri() != null) {
            append(query, "post_logout_redirect_uri", request.postLogoutRedirectUri().toString());
        }
        if (request.state() != null) {
            append(query, "state", request.state());
        }
        String base = endpoint.toString();
        return Optional.of(URI.create(base + (base.contains("?") ? "&" : "?") + query));
    }

    private static void append(StringBuilder query, String name, String value) {
        if (!query.isEmpty()) {
            query.append('&');
        }
        query.append(name).append('=').append(URLEncoder.encode(value, StandardCharsets.UTF_8));
    }

    @Override
    public LogoutNotice validateLogoutToken(String logoutToken) throws SignInRejectedException {
        IdpMetadata idp;
        try {
            idp = discovery.get();
        } catch (SignInRejectedException e) {
            throw new SignInRejectedException(RejectionReason.LOGOUT_TOKEN_INVALID,
                    "the logout token cannot be checked: " + e.getMessage(), e);
        }
        return verifier.verifyLogoutToken(idp, logoutToken);
    }

    @Override
    public List<Finding> diagnose() {
        return new Diagnostics(config).run();
    }

    @Override
    public Map<String, String> metadataDocuments() {
        try {
            return Map.of(config.discoveryUri().toString(), new Diagnostics(config).discoveryDocument());
        } catch (MetadataProbe.ProbeException e) {
            LOG.debug("discovery document not read for a support bundle: {}", e.getMessage());
            return Map.of();
        }
    }

    @Override
    public void close() {
        discovery.close();
    }
}
