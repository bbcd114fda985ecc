package org.idbroker.server.auth;

import jakarta.ws.rs.core.NewCookie;
import java.time.Duration;

/** The broker's cookies and their flags. */
public final class Cookies {

    public static final String SESSION = "idb_session";
    public static final String LOGIN = "idb_login";

    private Cookies() {
    }

    public static NewCookie session(String token, boolean secure, Duration maxAge) {
        return new NewCookie.Builder(SESSION).value(token).path("/").httpOnly(true).secure(secure)
                .sameSite(NewCookie.SameSite.LAX).maxAge((int) maxAge.toSeconds()).build();
    }

    public static NewCookie clearSession(boolean secure) {
        return new NewCookie.Builder(SESSION).value("").path("/").httpOnly(true).secure(secure)
                .sameSite(NewCookie.SameSite.LAX).maxAge(0).build();
    }

    /**
     * Binds sign-ins to the browser that started them. Sent back on the IdP's redirect (a top-level
     * GET, which Lax allows) and on a form post when on https (SameSite=None needs Secure).
     */
    public static NewCookie login(String value, boolean secure) {
        return new NewCookie.Builder(LOGIN).value(value).path("/api/users/authenticatedToken/").httpOnly(true)
                .secure(secure).sameSite(secure ? NewCookie.SameSite.NONE : NewCookie.SameSite.LAX)
                .maxAge((int) Duration.ofDays(1).toSeconds()).build();
    }

    /**
     * The same binding for the broker's password form: sent only to {@code /app/sign-in/}, and only by pages of the
     * broker itself (the form posts to its own origin, so {@code SameSite=Strict}).
     */
    public static NewCookie passwordForm(String value, boolean secure) {
        return new NewCookie.Builder(LOGIN).value(value).path("/app/sign-in/").httpOnly(true).secure(secure)
                .sameSite(NewCookie.SameSite.STRICT).maxAge((int) Duration.ofDays(1).toSeconds()).build();
    }
}
