package org.idbroker.core.clients;

import java.util.Arrays;
import java.util.Optional;

/** Whether a client can keep a secret (a server-side application) or not (a browser or native application). */
public enum ClientType {
    CONFIDENTIAL("confidential"),
    PUBLIC("public");

    private final String code;

    ClientType(String code) {
        this.code = code;
    }

    public String code() {
        return code;
    }

    public static Optional<ClientType> of(String code) {
        return Arrays.stream(values()).filter(t -> t.code.equals(code)).findFirst();
    }
}
