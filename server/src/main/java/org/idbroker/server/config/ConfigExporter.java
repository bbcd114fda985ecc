package org.idbroker.server.config;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.util.Locale;
import org.idbroker.core.clients.Client;
import org.idbroker.core.clients.Clients;
import org.idbroker.core.providers.ProviderRecord;
import org.idbroker.core.providers.ProviderStore;
import org.idbroker.core.sessions.StoredSessionLifetimes;
import org.idbroker.core.teams.Team;
import org.idbroker.core.teams.TeamRef;
import org.idbroker.core.teams.Teams;
import org.idbroker.core.users.User;
import org.idbroker.core.users.Users;
import org.idbroker.server.providers.ProviderRegistry;
import org.idbroker.server.providers.ProviderTypes;
import org.idbroker.spi.SettingDescriptor;
import org.jdbi.v3.core.Jdbi;

/**
 * Writes the broker's configuration as a {@link ConfigFile}: providers, users, teams (with their
 * members), clients and session lifetimes. A secret is written as a reference to an environment
 * variable named after its provider and setting, or its client, never its value.
 */
public final class ConfigExporter {

    private static final YAMLMapper WRITER = YAMLMapper.builder()
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .build();

    private final Jdbi jdbi;
    private final ProviderStore store;
    private final ProviderTypes types;

    public ConfigExporter(Jdbi jdbi, ProviderStore store, ProviderTypes types) {
        this.jdbi = requireNonNull(jdbi, "jdbi is null");
        this.store = requireNonNull(store, "store is null");
        this.types = requireNonNull(types, "types is null");
    }

    public String export() {
        ObjectNode root = WRITER.createObjectNode();
        root.put("version", ConfigFile.VERSION);
        ObjectNode providers = root.putObject("providers");
        for (ProviderRecord record : store.list()) {
            ObjectNode provider = providers.putObject(record.id());
            provider.put("type", record.type());
            ObjectNode settings = provider.putObject("settings");
            record.settings().entrySet().stream().sorted(java.util.Map.Entry.comparingByKey())
                    .forEach(e -> settings.put(e.getKey(), e.getValue()));
            ObjectNode secrets = WRITER.createObjectNode();
            types.find(record.type()).ifPresent(factory -> {
                for (SettingDescriptor d : ProviderRegistry.descriptors(factory)) {
                    if (d.secret() && record.secrets().containsKey(d.name())) {
                        secrets.putObject(d.name()).put("env", envName(record.id(), d.name()));
                    }
                }
            });
            if (!secrets.isEmpty()) {
                provider.set("secrets", secrets);
            }
        }
        ObjectNode users = root.putObject("users");
        for (User user : new Users(jdbi).all()) {
            ObjectNode node = users.putObject(user.username());
            if (user.email() != null) {
                node.put("email", user.email());
            }
            node.put("displayName", user.displayName());
            node.put("active", user.active());
        }
        ObjectNode teams = root.putObject("teams");
        for (Team team : new Teams(jdbi).list()) {
            ObjectNode node = teams.putObject(team.name());
            node.put("description", team.description());
            if (!team.members().isEmpty()) {
                ArrayNode members = node.putArray("members");
                team.members().forEach(m -> members.add(m.username()));
            }
            if (!team.externalGroups().isEmpty()) {
                ArrayNode groups = node.putArray("externalGroups");
                team.externalGroups().forEach(g -> groups.addObject().put("id", g.id()).put("displayName", g.displayName()));
            }
            ArrayNode roles = node.putArray("roles");
            team.roles().stream().map(Team.RoleRef::id).sorted().forEach(roles::add);
        }
        ObjectNode clients = root.putObject("clients");
        new Clients(jdbi).list().forEach(client -> client(clients.putObject(client.id()), client));
        new StoredSessionLifetimes(jdbi).read().ifPresent(lifetimes -> {
            ObjectNode sessions = root.putObject("sessions");
            sessions.put("idleMinutes", lifetimes.idle().toMinutes());
            sessions.put("absoluteMinutes", lifetimes.absolute().toMinutes());
        });
        try {
            return WRITER.writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("the configuration cannot be written as YAML", e);
        }
    }

    private static void client(ObjectNode node, Client client) {
        node.put("name", client.name());
        node.put("type", client.type().code());
        list(node, "redirectUris", client.redirectUris());
        list(node, "postLogoutRedirectUris", client.postLogoutRedirectUris());
        if (client.backchannelLogoutUri() != null) {
            node.put("backchannelLogoutUri", client.backchannelLogoutUri());
        }
        list(node, "grantTypes", client.grantTypes());
        if (client.teamRestricted() && client.teams().isEmpty()) {
            node.putArray("teams"); // restricted to teams that were all deleted: nobody, not everyone
        }
        list(node, "teams", client.teams().stream().map(TeamRef::name).toList());
        node.put("groupsClaim", client.groupsClaim().code());
        node.put("accessTokenSeconds", client.accessTokenLifetime().toSeconds());
        node.put("idTokenSeconds", client.idTokenLifetime().toSeconds());
        node.put("refreshTokenSeconds", client.refreshTokenLifetime().toSeconds());
        node.put("signingAlgorithm", client.signingAlgorithm());
        if (client.confidential()) {
            node.putObject("secret").put("env", clientEnvName(client.id()));
        }
    }

    private static void list(ObjectNode node, String field, java.util.List<String> values) {
        if (!values.isEmpty()) {
            values.forEach(node.putArray(field)::add);
        }
    }

    /** {@code IDBROKER_SECRET_CLIENT_GRAFANA} for the secret of the client {@code grafana}. */
    static String clientEnvName(String clientId) {
        return ("IDBROKER_SECRET_CLIENT_" + clientId).toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9_]", "_");
    }

    /** {@code IDBROKER_SECRET_CORP_CLIENT_SECRET} for the {@code clientSecret} of {@code Corp}. */
    static String envName(String providerId, String setting) {
        String snake = setting.replaceAll("([a-z0-9])([A-Z])", "$1_$2");
        return ("IDBROKER_SECRET_" + providerId + "_" + snake).toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9_]", "_");
    }
}
