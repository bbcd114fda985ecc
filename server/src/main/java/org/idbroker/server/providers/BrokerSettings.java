package org.idbroker.server.providers;

import java.util.List;
import java.util.Map;
import org.idbroker.core.signin.ProviderPolicy;
import org.idbroker.spi.SettingDescriptor;

/** The settings the broker owns for every provider instance, whatever its type. */
public final class BrokerSettings {

    public static final String ENABLED = "enabled";
    public static final String DISPLAY_NAME = "displayName";
    public static final String ALLOW_AUTO_USER_CREATION = "allowAutoUserCreation";
    public static final String TRUST_EMAIL = "trustEmail";

    public static final List<SettingDescriptor> DESCRIPTORS = List.of(
            SettingDescriptor.bool(ENABLED, "Enabled",
                    "Show this provider on the sign-in page and accept sign-ins through it.", false),
            SettingDescriptor.text(DISPLAY_NAME, "Display Name",
                    "The text of the sign-in button: a name your users recognise, such as Authentik.", false, null),
            SettingDescriptor.bool(ALLOW_AUTO_USER_CREATION, "Allow Auto User Creation",
                    "Create a user account at first sign-in when no account matches. When off, only people who already "
                            + "have an account (matched by external identifier or email) can sign in.", true),
            SettingDescriptor.bool(TRUST_EMAIL, "Trust Email",
                    "Link an identity to an existing account with the same email address even when the IdP does not say "
                            + "the address is verified (email_verified). Turn on only if the IdP controls its users' addresses: "
                            + "anyone who can set that address at the IdP could then sign in as that account. Authentik sends "
                            + "email_verified false since 2025.10.", false));

    private BrokerSettings() {
    }

    /** Whether the instance with these settings takes sign-ins: the one reading of Enabled. */
    public static boolean enabled(Map<String, String> settings) {
        return Boolean.parseBoolean(settings.getOrDefault(ENABLED, "false"));
    }

    /** The sign-in button's text: Display Name, else the instance id. */
    public static String displayName(String id, Map<String, String> settings) {
        return settings.getOrDefault(DISPLAY_NAME, id);
    }

    /** How identities through this instance become accounts. */
    public static ProviderPolicy policy(String id, Map<String, String> settings) {
        return new ProviderPolicy(id, Boolean.parseBoolean(settings.getOrDefault(ALLOW_AUTO_USER_CREATION, "true")),
                Boolean.parseBoolean(settings.getOrDefault(TRUST_EMAIL, "false")));
    }

    public static boolean isBrokerSetting(String name) {
        return DESCRIPTORS.stream().anyMatch(d -> d.name().equals(name));
    }
}
