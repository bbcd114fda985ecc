package org.idbroker.providers.oidc.flavour;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Map;
import org.idbroker.providers.oidc.OidcConfig;
import org.idbroker.providers.oidc.OidcProvider;
import org.idbroker.providers.oidc.OidcProviderFactory;
import org.idbroker.spi.IdentityProvider;
import org.idbroker.spi.IdentityProviderFactory;
import org.idbroker.spi.InvalidSettingsException;
import org.idbroker.spi.ProviderContext;
import org.idbroker.spi.SettingDescriptor;

/**
 * The base of an OpenID Connect flavour: the generic type's settings, checks and sign-in (discovery, PKCE, ID token
 * validation, userinfo) under another type id, with presets for its settings and a hook for where the groups are.
 * This package is the generic module's public extension API: the broker's drop-in loader shows it, beside the SPI,
 * to every jar in {@code providers/}, so a flavour is one small jar compiled against {@code idbroker-spi} and
 * {@code idbroker-providers-generic} (both {@code provided}) that bundles neither. Its signatures hold only JDK,
 * SPI and this package's types.
 */
public abstract class OidcFlavour implements IdentityProviderFactory {

    /** The generic setting names a flavour presets, for example {@code ROLE_CLAIM_TYPE -> "realm_access.roles"}. */
    public static final String ROLE_CLAIM_TYPE = OidcProviderFactory.ROLE_CLAIM_TYPE;
    public static final String USERNAME_CLAIM_TYPE = OidcProviderFactory.USERNAME_CLAIM_TYPE;
    public static final String SCOPES = OidcProviderFactory.SCOPES;
    public static final String CLIENT_AUTHENTICATION = OidcProviderFactory.CLIENT_AUTHENTICATION;
    public static final String USER_INFO = OidcProviderFactory.USER_INFO;

    private final OidcProviderFactory generic;

    /**
     * @param type the flavour's type id
     * @param displayName the name administrators see
     * @param presets new defaults of the generic settings by name (an unknown name is refused)
     */
    protected OidcFlavour(String type, String displayName, Map<String, String> presets) {
        this.generic = new OidcProviderFactory(requireNonNull(type, "type is null"), requireNonNull(displayName, "displayName is null"),
                requireNonNull(presets, "presets is null"));
    }

    /**
     * Where the person's groups are among the claims (the ID token's merged with userinfo's), given the instance's Role
     * Claim Type. By default that setting names one top-level claim; a flavour whose IdP nests them returns
     * {@link ClaimPath#parse} of it.
     */
    protected ClaimPath groupsClaim(String roleClaimType) {
        return ClaimPath.name(roleClaimType);
    }

    @Override
    public final String type() {
        return generic.type();
    }

    @Override
    public final String displayName() {
        return generic.displayName();
    }

    @Override
    public final List<SettingDescriptor> settings() {
        return generic.settings();
    }

    @Override
    public final IdentityProvider create(ProviderContext context) throws InvalidSettingsException {
        OidcConfig config = generic.config(context);
        ClaimPath groups;
        try {
            groups = groupsClaim(config.roleClaimType());
        } catch (IllegalArgumentException e) {
            throw new InvalidSettingsException(ROLE_CLAIM_TYPE, e.getMessage());
        }
        return new OidcProvider(config, groups);
    }
}
