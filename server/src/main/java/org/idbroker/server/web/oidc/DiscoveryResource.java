package org.idbroker.server.web.oidc;

import static java.util.Objects.requireNonNull;

import com.nimbusds.oauth2.sdk.GrantType;
import com.nimbusds.oauth2.sdk.ResponseMode;
import com.nimbusds.oauth2.sdk.ResponseType;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.auth.ClientAuthenticationMethod;
import com.nimbusds.oauth2.sdk.id.Issuer;
import com.nimbusds.oauth2.sdk.pkce.CodeChallengeMethod;
import com.nimbusds.openid.connect.sdk.Prompt;
import com.nimbusds.openid.connect.sdk.SubjectType;
import com.nimbusds.openid.connect.sdk.op.OIDCProviderMetadata;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.List;
import org.idbroker.server.BrokerConfig;

/** The discovery document and the public signing keys: what a relying party reads to trust the broker. */
@Path("/.well-known/openid-configuration")
public final class DiscoveryResource {

    private final String metadata;

    @Inject
    public DiscoveryResource(BrokerConfig config) {
        this.metadata = metadata(config.publicUrl()).toJSONObject().toJSONString();
    }

    @GET
    public Response discovery() {
        return Response.ok(metadata, "application/json").header("Cache-Control", "public, max-age=300").build();
    }

    /** The public signing keys (each its own root resource: Jersey picks one root resource per path and never backtracks). */
    @Path("/oauth2/jwks")
    public static final class Jwks {
        private final OidcKeys keys;

        @Inject
        public Jwks(OidcKeys keys) {
            this.keys = requireNonNull(keys, "keys is null");
        }

        @GET
        public Response jwks() {
            return Response.ok(keys.publicKeys().toString(true), "application/jwk-set+json")
                    .header("Cache-Control", "public, max-age=300").build();
        }
    }



    static OIDCProviderMetadata metadata(URI publicUrl) {
        OIDCProviderMetadata m = new OIDCProviderMetadata(new Issuer(publicUrl.toString()), List.of(SubjectType.PUBLIC),
                OidcEndpoints.at(publicUrl, OidcEndpoints.JWKS));
        m.setAuthorizationEndpointURI(OidcEndpoints.at(publicUrl, OidcEndpoints.AUTHORIZE));
        m.setTokenEndpointURI(OidcEndpoints.at(publicUrl, OidcEndpoints.TOKEN));
        m.setUserInfoEndpointURI(OidcEndpoints.at(publicUrl, OidcEndpoints.USERINFO));
        m.setEndSessionEndpointURI(OidcEndpoints.at(publicUrl, OidcEndpoints.LOGOUT));
        m.setRevocationEndpointURI(OidcEndpoints.at(publicUrl, OidcEndpoints.REVOKE));
        m.setIntrospectionEndpointURI(OidcEndpoints.at(publicUrl, OidcEndpoints.INTROSPECT));
        m.setRevocationEndpointAuthMethods(List.of(ClientAuthenticationMethod.CLIENT_SECRET_BASIC,
                ClientAuthenticationMethod.CLIENT_SECRET_POST, ClientAuthenticationMethod.NONE));
        m.setIntrospectionEndpointAuthMethods(List.of(ClientAuthenticationMethod.CLIENT_SECRET_BASIC,
                ClientAuthenticationMethod.CLIENT_SECRET_POST));
        m.setResponseTypes(List.of(ResponseType.CODE));
        m.setResponseModes(List.of(ResponseMode.QUERY));
        m.setGrantTypes(List.of(GrantType.AUTHORIZATION_CODE, GrantType.REFRESH_TOKEN, GrantType.CLIENT_CREDENTIALS));
        m.setCodeChallengeMethods(List.of(CodeChallengeMethod.S256));
        m.setTokenEndpointAuthMethods(List.of(ClientAuthenticationMethod.CLIENT_SECRET_BASIC,
                ClientAuthenticationMethod.CLIENT_SECRET_POST, ClientAuthenticationMethod.NONE));
        m.setIDTokenJWSAlgs(OidcKeys.ALGORITHMS);
        m.setScopes(new Scope("openid", "profile", "email", "groups"));
        m.setClaims(OidcClaims.SUPPORTED);
        m.setPromptTypes(List.of(Prompt.Type.NONE, Prompt.Type.LOGIN));
        m.setSupportsAuthorizationResponseIssuerParam(true);
        m.setSupportsRequestParam(false);
        m.setSupportsRequestURIParam(false);
        m.setSupportsClaimsParams(false);
        return m;
    }
}
