package org.idbroker.core.auth;

/**
 * What a request presents to say who it is, each {@code null} when absent.
 *
 * @param apiKey the {@code X-Api-Key} value; when present the session token is ignored
 * @param sessionToken the session cookie's value
 */
public record Credentials(String apiKey, String sessionToken) {

    public static final Credentials NONE = new Credentials(null, null);
}
