package org.example.realmroles;

import java.util.Map;
import org.idbroker.providers.oidc.flavour.ClaimPath;
import org.idbroker.providers.oidc.flavour.OidcFlavour;

/**
 * An OpenID Connect flavour for an IdP that puts roles in the nested claim realm_access.roles, as Keycloak does:
 * the generic type's sign-in with presets, and the Role Claim Type read as a claim path.
 */
public final class RealmRolesFlavour extends OidcFlavour {

    public RealmRolesFlavour() {
        super("realm-roles", "Realm roles (Keycloak style)", Map.of(
                ROLE_CLAIM_TYPE, "realm_access.roles",
                SCOPES, "openid profile email"));
    }

    @Override
    protected ClaimPath groupsClaim(String roleClaimType) {
        return ClaimPath.parse(roleClaimType);
    }
}
