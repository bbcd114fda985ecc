package org.idbroker.server.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.idbroker.core.admin.ChangeRefusedException;
import org.idbroker.core.clients.Client;
import org.idbroker.core.clients.ClientSpec;
import org.idbroker.core.clients.Clients;
import org.jdbi.v3.core.Jdbi;

/**
 * The {@code clients} of a file (the applications that sign in through the broker), made through
 * {@link Clients} as the API does, with its checks and defaults. A confidential client's secret is a
 * reference: only its hash is stored, so it is changed when the stored client does not accept the
 * value the reference gives (and then the old secret stops at once). {@code teams} left out lets
 * every active user in; {@code teams: []} nobody (a restricted client whose teams were all deleted
 * stays closed). With prune, clients the file does not name are deleted.
 */
final class ClientChanges {

    private final Clients clients;
    private final Function<ConfigFile.SecretRef, String> secrets;

    ClientChanges(Jdbi jdbi, Function<ConfigFile.SecretRef, String> secrets) {
        this.clients = new Clients(jdbi);
        this.secrets = secrets;
    }

    void apply(ApplyRun run, ConfigFile file) {
        for (ConfigFile.Client wanted : file.clients().values()) {
            if (run.spoiled(wanted.path())) {
                continue;
            }
            String secret;
            try {
                secret = wanted.secret() == null ? null : secrets.apply(wanted.secret());
            } catch (IllegalArgumentException e) {
                run.problem(wanted.secret().path(), e.getMessage());
                continue;
            }
            run.attempt(wanted.path(), wanted.fieldPaths(), () -> apply(run, wanted, secret));
        }
    }

    private void apply(ApplyRun run, ConfigFile.Client wanted, String secret) {
        ClientSpec spec = new ClientSpec(wanted.name(), wanted.type(), wanted.redirectUris(), wanted.postLogoutRedirectUris(),
                wanted.backchannelLogoutUri(), wanted.grantTypes(), wanted.teams(), wanted.groupsClaim(),
                wanted.accessTokenSeconds(), wanted.idTokenSeconds(), wanted.refreshTokenSeconds(), wanted.signingAlgorithm(),
                wanted.teams() != null && wanted.teams().isEmpty());
        Optional<Client> found = clients.find(wanted.id());
        if (found.isEmpty()) {
            boolean confidential = wanted.type() == null || wanted.type().strip().equalsIgnoreCase("confidential");
            if (confidential && secret == null) {
                throw ChangeRefusedException.invalid("secret", "a confidential client needs its secret: secret: {env: NAME} "
                        + "or {file: /path} (a generated one would never be seen)");
            }
            clients.create(wanted.id(), spec, secret, null);
            run.say("create client " + wanted.id() + (secret == null ? "" : "; secret changed"));
            return;
        }
        Client before = found.get();
        List<String> changed = new ArrayList<>();
        run.changeUnlessSame(before, () -> clients.update(before.id(), spec, null), (was, now) -> {
            changed.addAll(differences(was, now));
            return changed.isEmpty();
        });
        if (secret != null && !clients.authenticate(before.id(), secret)) {
            clients.rotateSecret(before.id(), secret, Duration.ZERO, null);
            changed.add("secret changed");
        }
        if (!changed.isEmpty()) {
            run.say("change client " + before.id() + ": " + String.join(", ", changed));
        }
    }

    private static List<String> differences(Client was, Client now) {
        List<String> changed = new ArrayList<>();
        Map<String, Function<Client, Object>> fields = new java.util.LinkedHashMap<>();
        fields.put("name", Client::name);
        fields.put("redirectUris", Client::redirectUris);
        fields.put("postLogoutRedirectUris", Client::postLogoutRedirectUris);
        fields.put("backchannelLogoutUri", Client::backchannelLogoutUri);
        fields.put("grantTypes", Client::grantTypes);
        fields.put("teams", c -> c.teamRestricted() ? c.teams().stream().map(t -> t.name()).toList() : "every active user");
        fields.put("groupsClaim", c -> c.groupsClaim().code());
        fields.put("accessTokenSeconds", Client::accessTokenLifetime);
        fields.put("idTokenSeconds", Client::idTokenLifetime);
        fields.put("refreshTokenSeconds", Client::refreshTokenLifetime);
        fields.put("signingAlgorithm", Client::signingAlgorithm);
        fields.forEach((name, value) -> {
            if (!Objects.equals(value.apply(was), value.apply(now))) {
                changed.add(name + " " + shown(value.apply(was)) + " -> " + shown(value.apply(now)));
            }
        });
        return changed;
    }

    private static String shown(Object value) {
        if (value instanceof Duration d) {
            return Long.toString(d.toSeconds());
        }
        return value instanceof String s ? "'" + s + "'" : String.valueOf(value);
    }

    /** Deletes the clients the file does not name. */
    void prune(ApplyRun run, ConfigFile file) {
        Set<String> named = file.clients().keySet();
        for (Client client : clients.list()) {
            if (!named.contains(client.id())
                    && run.attempt(new ConfigFile.Path("clients", 0), Map.of(), () -> clients.delete(client.id(), null))) {
                run.say("remove client " + client.id());
            }
        }
    }
}
