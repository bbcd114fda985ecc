package org.idbroker.spi;

import java.net.URI;

/**
 * What RP-initiated logout needs.
 *
 * @param idTokenHint the ID token received at sign-in, or {@code null}
 * @param postLogoutRedirectUri where the IdP should send the browser afterwards
 */
public record EndSessionRequest(String idTokenHint, URI postLogoutRedirectUri) {
}
