package org.idbroker.server.web;

import static java.util.Objects.requireNonNull;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import org.idbroker.core.providers.ConfiguredProvider;
import org.idbroker.server.providers.ProviderRegistry;

/** What the sign-in page shows: the enabled providers. */
@Path("/api/authentication")
@Produces(MediaType.APPLICATION_JSON)
public final class AuthenticationResource {

    private final ProviderRegistry providers;

    @Inject
    public AuthenticationResource(ProviderRegistry providers) {
        this.providers = requireNonNull(providers, "providers is null");
    }

    @GET
    @Path("/providers")
    public List<ProviderLink> providers() {
        return providers.enabled().stream()
                .map(p -> new ProviderLink(p.id(), p.type(), p.displayName(),
                        (p.asksForPassword() ? "/app/sign-in/" : "/api/users/authenticate/") + p.id()))
                .toList();
    }

    /** One sign-in button. */
    public record ProviderLink(String id, String type, String displayName, String signInUrl) {
    }
}
