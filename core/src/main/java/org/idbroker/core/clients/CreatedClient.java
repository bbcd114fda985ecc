package org.idbroker.core.clients;

import static java.util.Objects.requireNonNull;

/** A client just created or given a new secret: the only moment the secret exists outside its owner's hands. */
public record CreatedClient(Client client, String secret) {
    public CreatedClient {
        requireNonNull(client, "client is null");
    }

    @Override
    public String toString() {
        return "CreatedClient[client=" + client + ", secret=(hidden)]";
    }
}
