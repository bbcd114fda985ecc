package org.idbroker.server.web;

import static java.util.Objects.requireNonNull;

import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.idbroker.core.events.Events;
import org.idbroker.core.providers.ProviderRecord;
import org.idbroker.core.providers.ProviderStore;
import org.idbroker.server.BrokerConfig;
import org.idbroker.server.auth.Authenticator;
import org.idbroker.core.users.Caller;
import org.idbroker.server.providers.InvalidConfigurationException;
import org.idbroker.server.providers.ProviderConfigurator;
import org.idbroker.server.providers.ProviderDoctor;
import org.idbroker.server.providers.ProviderRegistry;
import org.idbroker.server.providers.ProviderTypes;
import org.idbroker.spi.Finding;
import org.idbroker.spi.IdentityProviderFactory;
import org.idbroker.spi.SettingDescriptor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The settings API: provider types and their setting descriptions, provider instances (secrets
 * write-only), and the doctor. Every call needs the {@code configure-authentication} permission; every
 * change is an event, without secret values.
 */
@Path("/api/configuration")
@Produces(MediaType.APPLICATION_JSON)
public final class ConfigurationResource {

    public static final String PERMISSION = "configure-authentication";
    public static final String PROVIDER_SAVED = "provider-saved";
    public static final String PROVIDER_DELETED = "provider-deleted";
    private static final Logger LOG = LoggerFactory.getLogger(ConfigurationResource.class);

    private final Authenticator authenticator;
    private final ProviderStore store;
    private final ProviderTypes types;
    private final ProviderRegistry registry;
    private final Events events;
    private final BrokerConfig config;

    @Inject
    public ConfigurationResource(Authenticator authenticator, ProviderStore store, ProviderRegistry registry, Events events,
            BrokerConfig config) {
        this.authenticator = requireNonNull(authenticator, "authenticator is null");
        this.store = requireNonNull(store, "store is null");
        this.registry = requireNonNull(registry, "registry is null");
        this.types = registry.types();
        this.events = requireNonNull(events, "events is null");
        this.config = requireNonNull(config, "config is null");
    }

    @GET
    @Path("/provider-types")
    public List<ProviderTypeView> providerTypes(@Context HttpHeaders headers) {
        authenticator.require(headers, PERMISSION);
        return types.all().stream()
                .map(f -> new ProviderTypeView(f.type(), f.displayName(), f.defaultForNewInstances(), ProviderRegistry.descriptors(f)))
                .toList();
    }

    @GET
    @Path("/providers")
    public List<ProviderView> providers(@Context HttpHeaders headers) {
        authenticator.require(headers, PERMISSION);
        return store.list().stream().map(this::view).toList();
    }

    @GET
    @Path("/providers/{id}")
    public ProviderView provider(@PathParam("id") String id, @Context HttpHeaders headers) {
        authenticator.require(headers, PERMISSION);
        return view(find(id));
    }

    @PUT
    @Path("/providers/{id}")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response save(@PathParam("id") String id, ProviderInput input, @Context HttpHeaders headers) {
        Caller caller = authenticator.require(headers, PERMISSION);
        if (input == null) {
            throw ApiException.badRequest("invalid_request", "Send {\"type\": ..., \"settings\": {...}, \"secrets\": {...}}.");
        }
        boolean existed = ProviderStore.ID.matcher(id).matches() && store.find(id).isPresent();
        Map<String, String> settings = input.settings() == null ? Map.of() : input.settings();
        Map<String, String> secrets = input.secrets() == null ? Map.of() : input.secrets();
        ProviderRecord saved;
        try {
            saved = new ProviderConfigurator(store, types).save(id, input.type(), settings, secrets, false, config.publicUrl());
        } catch (InvalidConfigurationException e) {
            LOG.warn("Provider {} not saved: invalid_settings: {}", ProviderStore.ID.matcher(id).matches() ? id : "(invalid id)",
                    e.fieldErrors().keySet());
            return Response.status(400).type(MediaType.APPLICATION_JSON_TYPE).entity(new InvalidSettings("invalid_settings",
                    "Some settings cannot be used: correct the fields named in 'fields'.", e.fieldErrors())).build();
        }
        registry.invalidate();
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("type", saved.type());
        details.put("version", saved.version());
        details.put("settings", saved.settings());
        details.put("secretsChanged", new TreeSet<>(secrets.keySet()));
        events.record(PROVIDER_SAVED, Events.SUCCESS, null, null, caller.user().id(), saved.id(), details);
        LOG.info("Provider {} {} by {} (version {})", saved.id(), existed ? "updated" : "created", caller.user().username(),
                saved.version());
        return Response.status(existed ? 200 : 201).entity(view(saved)).build();
    }

    @DELETE
    @Path("/providers/{id}")
    public Response delete(@PathParam("id") String id, @Context HttpHeaders headers) {
        Caller caller = authenticator.require(headers, PERMISSION);
        ProviderRecord record = find(id);
        store.delete(record.id());
        registry.invalidate();
        events.record(PROVIDER_DELETED, Events.SUCCESS, null, null, caller.user().id(), record.id(),
                Map.of("type", record.type()));
        LOG.info("Provider {} deleted by {}", record.id(), caller.user().username());
        return Response.noContent().build();
    }

    @POST
    @Path("/providers/{id}/test")
    public DoctorReport test(@PathParam("id") String id, @Context HttpHeaders headers) {
        authenticator.require(headers, PERMISSION);
        ProviderRecord record = find(id);
        List<Finding> findings = new ProviderDoctor(types, config.publicUrl()).examine(record);
        return new DoctorReport(record.id(), !ProviderDoctor.failed(findings), findings);
    }

    private ProviderRecord find(String id) {
        if (!ProviderStore.ID.matcher(id).matches()) {
            throw ApiException.notFound("There is no provider with this id: ids are letters, digits, '.', '_' or '-'.");
        }
        return store.find(id).orElseThrow(() -> ApiException.notFound("There is no provider '" + id + "'."));
    }

    private ProviderView view(ProviderRecord record) {
        Map<String, SecretView> secrets = new LinkedHashMap<>();
        types.find(record.type()).ifPresent(factory -> {
            for (SettingDescriptor d : ProviderRegistry.descriptors(factory)) {
                if (d.secret()) {
                    secrets.put(d.name(), new SecretView(record.secrets().containsKey(d.name())));
                }
            }
        });
        String problem = registry.find(record.id()).filter(p -> p.version() == record.version())
                .map(p -> p.problem()).orElse(null);
        return new ProviderView(record.id(), record.type(), types.find(record.type()).map(IdentityProviderFactory::displayName)
                .orElse(null), record.settings(), secrets, config.redirectUri(record.id()).toString(),
                config.backchannelLogoutUri(record.id()).toString(), record.version(), problem);
    }

    /** A provider type and the settings an instance of it has, the broker's first. */
    /** A provider type; {@code defaultForNewInstances}: the type to offer first for a new instance. */
    public record ProviderTypeView(String type, String displayName, boolean defaultForNewInstances,
            List<SettingDescriptor> settings) {
    }

    /** The body of a PUT: a secret left out keeps its stored value; an empty one removes it. */
    public record ProviderInput(String type, Map<String, String> settings, Map<String, String> secrets) {
    }

    /** A secret setting as the API shows it: whether it has a value, never the value. */
    public record SecretView(boolean hasValue) {
    }

    /**
     * A provider instance.
     *
     * @param settings the stored plain settings (a setting left out takes the type's default)
     * @param problem why the provider cannot be used right now, or {@code null}
     */
    public record ProviderView(String id, String type, String typeDisplayName, Map<String, String> settings,
            Map<String, SecretView> secrets, String redirectUri, String backchannelLogoutUri, long version, String problem) {
    }

    /** The doctor's answer. */
    public record DoctorReport(String providerId, boolean ok, List<Finding> findings) {
    }

    /** A 400 naming the fields at fault. */
    public record InvalidSettings(String error, String message, Map<String, String> fields) {
    }
}
