package org.idbroker.spi;

import static java.util.Objects.requireNonNull;

/**
 * What the broker asks for when a sign-in starts.
 *
 * @param state the opaque value the broker generated for this login (URL-safe); the provider must put it, as it is,
 *     as the value of the {@code state} query parameter of the authorization address. The broker sends the IdP its
 *     sealed login state in its place and, at the callback, gives the provider this value back as {@code state}, so a
 *     provider that remembered it can compare.
 * @param loginHint who the application that sent the person says is signing in (OpenID Connect
 *     {@code login_hint}: an email address or username), or {@code null}; a provider whose IdP takes
 *     such a hint passes it on, others ignore it. At most {@link #MAX_LOGIN_HINT} printable characters.
 */
public record SignInRequest(String state, String loginHint) {

    public static final int MAX_LOGIN_HINT = 256;

    public SignInRequest {
        requireNonNull(state, "state is null");
        if (loginHint != null && (loginHint.isEmpty() || loginHint.length() > MAX_LOGIN_HINT
                || loginHint.chars().anyMatch(c -> c < 0x20 || c == 0x7f))) {
            throw new IllegalArgumentException("loginHint must be 1 to " + MAX_LOGIN_HINT + " printable characters");
        }
    }

    /** A sign-in without a hint. */
    public SignInRequest(String state) {
        this(state, null);
    }
}
