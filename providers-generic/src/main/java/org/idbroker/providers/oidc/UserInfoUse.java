package org.idbroker.providers.oidc;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** When the broker reads the userinfo endpoint after the token exchange. */
public enum UserInfoUse {
    /** Only when the ID token lacks a claim the settings use (see {@link IdentityMapper#needsUserInfo}). */
    WHEN_CLAIMS_MISSING("when-claims-missing"),
    /** At every sign-in, for a provider whose userinfo says more than its ID token. */
    ALWAYS("always");

    private final String value;

    UserInfoUse(String value) {
        this.value = value;
    }

    /** The name used in settings, for example {@code always}. */
    public String value() {
        return value;
    }

    public static Optional<UserInfoUse> parse(String value) {
        return Arrays.stream(values()).filter(m -> m.value.equals(value)).findFirst();
    }

    public static List<String> names() {
        return Arrays.stream(values()).map(UserInfoUse::value).toList();
    }
}
