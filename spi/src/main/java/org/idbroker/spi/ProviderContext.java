package org.idbroker.spi;

import static java.util.Objects.requireNonNull;

import java.net.URI;

/**
 * What the broker gives a factory to build one provider instance.
 *
 * @param instanceId the configured instance id, for example {@code GenericOidc}
 * @param settings the instance's settings, defaults applied, secrets decrypted
 * @param redirectUri the callback address to send to the IdP: {@code <public url>/api/users/authenticatedToken/<id>}
 * @param idpCalls to tell of every call made to the IdP (the broker's metrics)
 */
public record ProviderContext(String instanceId, ProviderSettings settings, URI redirectUri, IdpCalls idpCalls) {

    public ProviderContext {
        requireNonNull(instanceId, "instanceId is null");
        requireNonNull(settings, "settings is null");
        requireNonNull(redirectUri, "redirectUri is null");
        requireNonNull(idpCalls, "idpCalls is null");
    }

    /** A context whose IdP calls are told to nobody (checks, tests). */
    public ProviderContext(String instanceId, ProviderSettings settings, URI redirectUri) {
        this(instanceId, settings, redirectUri, IdpCalls.NONE);
    }
}
