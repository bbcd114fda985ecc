package org.idbroker.providers.oidc;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** How the client authenticates at the token endpoint. */
public enum ClientAuthMethod {
    CLIENT_SECRET_BASIC("client_secret_basic"),
    CLIENT_SECRET_POST("client_secret_post");

    private final String value;

    ClientAuthMethod(String value) {
        this.value = value;
    }

    /** The name used in settings and in OpenID metadata, for example {@code client_secret_post}. */
    public String value() {
        return value;
    }

    public static Optional<ClientAuthMethod> parse(String value) {
        return Arrays.stream(values()).filter(m -> m.value.equals(value)).findFirst();
    }

    public static List<String> names() {
        return Arrays.stream(values()).map(ClientAuthMethod::value).toList();
    }
}
