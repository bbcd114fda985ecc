package org.idbroker.core.clients;

import java.util.List;

/** The OAuth 2.0 grant types a client may be allowed. */
public final class GrantTypes {

    public static final String AUTHORIZATION_CODE = "authorization_code";
    public static final String REFRESH_TOKEN = "refresh_token";
    public static final String CLIENT_CREDENTIALS = "client_credentials";
    public static final List<String> ALL = List.of(AUTHORIZATION_CODE, REFRESH_TOKEN, CLIENT_CREDENTIALS);
    public static final List<String> DEFAULT = List.of(AUTHORIZATION_CODE, REFRESH_TOKEN);

    private GrantTypes() {
    }
}
