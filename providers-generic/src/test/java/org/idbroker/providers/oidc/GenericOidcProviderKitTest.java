package org.idbroker.providers.oidc;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.idbroker.testkit.IdpShape;
import org.idbroker.testkit.IdpUnderTest;
import org.idbroker.testkit.ProviderFeature;
import org.idbroker.testkit.OidcProviderKit;
import org.idbroker.testkit.oidc.TestingAuthentik;

/**
 * The provider test kit for the generic OpenID Connect type: against mock-oauth2-server (RS256,
 * ES256), and, for the set-ups it cannot make (HS256 with the client secret, claims only in
 * userinfo, encrypted tokens), against Authentik configured with the guide's values.
 */
class GenericOidcProviderKitTest extends OidcProviderKit<IdpUnderTest> {

    @Override
    protected String providerType() {
        return "oidc";
    }

    @Override
    protected Set<ProviderFeature> supportedFeatures() {
        return EnumSet.of(ProviderFeature.VERIFIED_EMAIL, ProviderFeature.ES256, ProviderFeature.HS256_WITH_CLIENT_SECRET,
                ProviderFeature.CLAIMS_ONLY_IN_USERINFO);
    }

    @Override
    protected IdpUnderTest startIdp(IdpShape shape, String redirectUri) {
        return switch (shape) {
            case STANDARD -> MockOAuth2Idp.start("RS256");
            case ES256 -> MockOAuth2Idp.start("ES256");
            default -> TestingAuthentik.start(shape, redirectUri);
        };
    }

    @Override
    protected List<String> connectionArguments(IdpUnderTest idp) {
        if (idp instanceof TestingAuthentik) {
            // the values of the Authentik guide for GenericOidc
            return List.of("--issuer", idp.issuer(), "--scopes", "openid profile email groups", "--role-claim-type", "groups",
                    "--set", "clientAuthentication=client_secret_post");
        }
        return List.of("--issuer", idp.issuer(), "--scopes", "openid profile email");
    }
}
