package org.idbroker.spi;

import java.net.URI;

/**
 * What RP-initiated logout needs.
 *
 * @param idTokenHint the ID token received at sign-in, or {@code null}
 * @param postLogoutRedirectUri where the IdP should send the browser afterwards
 * @param state a value the IdP must send back with the browser to {@code postLogoutRedirectUri}
 *     (the {@code state} of RP-Initiated Logout), or {@code null}
 */
public record EndSessionRequest(String idTokenHint, URI postLogoutRedirectUri, String state) {

    /** A logout that needs nothing back but the browser. */
    public EndSessionRequest(String idTokenHint, URI postLogoutRedirectUri) {
        this(idTokenHint, postLogoutRedirectUri, null);
    }
}
