package org.idbroker.core.providers;

import java.util.Map;
import java.util.Optional;
import org.idbroker.core.signin.ProviderPolicy;
import org.idbroker.spi.IdentityProvider;
import org.idbroker.spi.SignInStyle;

/**
 * A provider instance ready for sign-ins, or the reason it is not.
 *
 * @param id the instance id
 * @param type the type id
 * @param displayName the sign-in button's text
 * @param enabled whether sign-ins are accepted
 * @param policy how identities become accounts
 * @param settings the effective settings, defaults applied, without secrets
 * @param provider the built provider, or {@code null} when its settings are unusable
 * @param problem why the provider could not be built, or {@code null}
 * @param version the stored version this was built from
 * @param style how people sign in through its type (a redirect or the broker's password form)
 */
public record ConfiguredProvider(
        String id,
        String type,
        String displayName,
        boolean enabled,
        ProviderPolicy policy,
        Map<String, String> settings,
        IdentityProvider provider,
        String problem,
        long version,
        SignInStyle style) {

    public ConfiguredProvider {
        java.util.Objects.requireNonNull(style, "style is null");
    }

    /** A provider of a redirect type. */
    public ConfiguredProvider(String id, String type, String displayName, boolean enabled, ProviderPolicy policy,
            Map<String, String> settings, IdentityProvider provider, String problem, long version) {
        this(id, type, displayName, enabled, policy, settings, provider, problem, version, SignInStyle.REDIRECT);
    }

    /** Whether people sign in through the broker's password form. */
    public boolean asksForPassword() {
        return style == SignInStyle.PASSWORD;
    }

    public Optional<IdentityProvider> usable() {
        return Optional.ofNullable(provider);
    }
}
