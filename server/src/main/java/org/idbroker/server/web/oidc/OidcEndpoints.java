package org.idbroker.server.web.oidc;

import java.net.URI;

/** Where the broker's OpenID Provider endpoints are, under the public URL (which is also the issuer). */
public final class OidcEndpoints {

    public static final String DISCOVERY = "/.well-known/openid-configuration";
    public static final String AUTHORIZE = "/oauth2/authorize";
    public static final String RESUME = "/oauth2/authorize/resume";
    public static final String TOKEN = "/oauth2/token";
    public static final String USERINFO = "/oauth2/userinfo";
    public static final String JWKS = "/oauth2/jwks";
    public static final String LOGOUT = "/oauth2/logout";
    public static final String REVOKE = "/oauth2/revoke";
    public static final String INTROSPECT = "/oauth2/introspect";

    private OidcEndpoints() {
    }

    public static URI at(URI publicUrl, String path) {
        return URI.create(publicUrl + path);
    }
}
