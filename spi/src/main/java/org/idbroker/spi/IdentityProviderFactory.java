package org.idbroker.spi;

import java.util.List;
import java.util.Optional;

/**
 * Entry point of an identity provider module, found with {@link java.util.ServiceLoader}.
 *
 * <p>One factory exists per server. It describes the settings of its type (from which the
 * broker validates input and renders forms) and builds an {@link IdentityProvider} from one
 * configured instance's settings. Register an implementation in
 * {@code META-INF/services/org.idbroker.spi.IdentityProviderFactory}.
 */
public interface IdentityProviderFactory {

    /** Stable type id, safe for a URL path and a database column, for example {@code oidc}. */
    String type();

    /** Name shown to administrators, for example "OpenID Connect". */
    String displayName();

    /**
     * The protocol settings of this type. The broker adds its own settings (enabled, display name,
     * automatic user creation, trust email) to every type; do not repeat them here.
     */
    List<SettingDescriptor> settings();

    /** How people sign in through this type: a redirect to the IdP (the default) or the broker's password form. */
    default SignInStyle signInStyle() {
        return SignInStyle.REDIRECT;
    }

    /**
     * Whether a new instance gets this type when nobody names one (the built-in OpenID Connect type does). At
     * most one installed type may say so; the default is no.
     */
    default boolean defaultForNewInstances() {
        return false;
    }

    /**
     * The instance a broker gets of this type once, disabled, when it first runs with the type installed; an
     * instance an administrator deletes afterwards stays deleted. The default is none.
     */
    default Optional<DefaultInstance> defaultInstance() {
        return Optional.empty();
    }

    /**
     * Builds a provider for one configured instance. Implementations validate the settings and
     * fail fast with {@link InvalidSettingsException} so that a bad configuration is refused when
     * it is saved, not when a person tries to sign in.
     */
    IdentityProvider create(ProviderContext context) throws InvalidSettingsException;
}
