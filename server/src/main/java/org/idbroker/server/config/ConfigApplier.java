package org.idbroker.server.config;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.Function;
import org.idbroker.core.admin.ChangeRefusedException;
import org.idbroker.core.admin.Inputs;
import org.idbroker.core.events.Events;
import org.idbroker.core.events.RequestScope;
import org.idbroker.core.providers.ProviderRecord;
import org.idbroker.core.providers.ProviderStore;
import org.idbroker.core.sessions.SessionLifetimes;
import org.idbroker.core.sessions.StoredSessionLifetimes;
import org.idbroker.core.teams.Roles;
import org.idbroker.core.teams.Team;
import org.idbroker.core.teams.Teams;
import org.idbroker.server.config.ConfigFile.Problem;
import org.idbroker.server.providers.InvalidConfigurationException;
import org.idbroker.server.providers.ProviderConfigurator;
import org.idbroker.server.providers.ProviderTypes;
import org.idbroker.server.web.ConfigurationResource;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * Applies a {@link ConfigFile}: checks every value with the checks the API uses (all of them, before
 * anything changes), then makes the changes in one transaction, with the events the API writes, and
 * says what it changed, one line per change. A provider, team or session setting the file does not
 * name is left alone; what the file names it describes fully (a team's external groups and roles).
 */
public final class ConfigApplier {

    /** The actor of every change: there is no signed-in user behind a file. */
    public static final String ACTOR = "apply";
    static final String SESSIONS_EVENT = "configuration-changed";
    private static final int MAX_SECRET_BYTES = 64 * 1024;
    /** The transaction-scoped advisory lock every apply holds ("idb-apply" as a number). */
    private static final long APPLY_LOCK = 0x6964622d6170706cL;

    private final Jdbi jdbi;
    private final ProviderStore store;
    private final ProviderTypes types;
    private final URI publicUrl;
    private final Function<String, String> environment;

    public ConfigApplier(Jdbi jdbi, ProviderStore store, ProviderTypes types, URI publicUrl, Function<String, String> environment) {
        this.jdbi = requireNonNull(jdbi, "jdbi is null");
        this.store = requireNonNull(store, "store is null");
        this.types = requireNonNull(types, "types is null");
        this.publicUrl = requireNonNull(publicUrl, "publicUrl is null");
        this.environment = requireNonNull(environment, "environment is null");
    }

    /**
     * Applies the file, or with {@code dryRun} works out every change and undoes it.
     *
     * @return one line per change; empty when the broker already is as the file describes it
     */
    public List<String> apply(ConfigFile file, boolean dryRun) throws ConfigFile.InvalidFileException {
        String digest = "sha256:" + sha256(file.bytes());
        List<Problem> problems = new ArrayList<>(file.problems());
        Map<String, ProviderConfigurator.Checked> providers = checkProviders(file, problems);
        checkTeams(file, problems);
        if (file.sessions() != null) {
            ConfigFile.Sessions s = file.sessions();
            for (String p : new String[] {SessionLifetimes.minutesProblem("idleMinutes", s.idleMinutes()),
                    SessionLifetimes.minutesProblem("absoluteMinutes", s.absoluteMinutes()),
                    SessionLifetimes.orderProblem(s.idleMinutes(), s.absoluteMinutes())}) {
                if (p != null) {
                    problems.add(new Problem(s.path(), p));
                }
            }
        }
        if (!problems.isEmpty()) {
            problems.sort(java.util.Comparator.comparingInt(p -> p.path().line()));
            throw new ConfigFile.InvalidFileException(problems);
        }
        Map<String, Object> origin = new LinkedHashMap<>();
        origin.put("actor", ACTOR);
        origin.put("fileDigest", digest);
        try (RequestScope ignored = RequestScope.open(new RequestScope.Origin("apply " + digest.substring(0, 19), null,
                "idbroker apply"), RequestScope.Listener.NONE)) {
            return jdbi.withHandle(h -> {
                h.begin();
                try {
                    // two applies at once take turns: the second sees what the first did, and says so
                    h.createQuery("select pg_advisory_xact_lock(:key)").bind("key", APPLY_LOCK).mapTo(String.class).one();
                    List<String> lines = new ArrayList<>();
                    applyProviders(h, file, providers, origin, lines);
                    applyTeams(file, lines);
                    applySessions(h, file, origin, lines);
                    if (dryRun) {
                        h.rollback();
                    } else {
                        h.commit();
                    }
                    return lines;
                } catch (RuntimeException e) {
                    h.rollback();
                    throw e;
                }
            });
        } catch (Refused e) {
            throw new ConfigFile.InvalidFileException(List.of(e.problem));
        }
    }

    private Map<String, ProviderConfigurator.Checked> checkProviders(ConfigFile file, List<Problem> problems) {
        ProviderConfigurator configurator = new ProviderConfigurator(store, types);
        Map<String, ProviderConfigurator.Checked> checked = new LinkedHashMap<>();
        file.providers().forEach((id, provider) -> {
            Map<String, String> secrets = new LinkedHashMap<>();
            boolean unresolved = false;
            for (Map.Entry<String, ConfigFile.SecretRef> e : provider.secrets().entrySet()) {
                try {
                    secrets.put(e.getKey(), resolve(e.getValue()));
                } catch (IllegalArgumentException ex) {
                    problems.add(new Problem(e.getValue().path(), ex.getMessage()));
                    unresolved = true;
                }
            }
            if (unresolved) {
                return;
            }
            try {
                checked.put(id, configurator.check(id, provider.type(), provider.settings(), secrets, false, publicUrl));
            } catch (InvalidConfigurationException e) {
                e.fieldErrors().forEach((field, message) -> problems.add(new Problem(place(provider, field), message)));
            }
        });
        return checked;
    }

    /** Where a field the configurator names is in the file: the setting, the secret, or the provider itself. */
    private static ConfigFile.Path place(ConfigFile.Provider provider, String field) {
        if (provider.secrets().containsKey(field)) {
            return provider.secrets().get(field).path();
        }
        if (provider.settingPaths().containsKey(field)) {
            return provider.settingPaths().get(field);
        }
        String dotted = provider.path().dotted() + (field.equals("type") || field.equals("id") ? "." + field : ".settings." + field);
        return new ConfigFile.Path(dotted, provider.path().line());
    }

    private void checkTeams(ConfigFile file, List<Problem> problems) {
        Roles roles = new Roles(jdbi);
        for (ConfigFile.Team team : file.teams().values()) {
            refusal(problems, team.path(), () -> Inputs.required("name", team.name(), Teams.MAX_NAME_LENGTH));
            refusal(problems, team.path(), () -> Inputs.optional("description", team.description(),
                    Teams.MAX_DESCRIPTION_LENGTH, true, ""));
            for (ConfigFile.Group group : team.externalGroups()) {
                refusal(problems, group.path(), () -> Inputs.required("id", group.id(), Teams.MAX_GROUP_LENGTH));
                refusal(problems, group.path(), () -> Inputs.optional("displayName", group.displayName(),
                        Teams.MAX_GROUP_LENGTH, false, ""));
            }
            team.externalGroups().stream().filter(g -> g.id() != null)
                    .collect(java.util.stream.Collectors.groupingBy(g -> g.id().strip().toLowerCase(Locale.ROOT)))
                    .values().stream().filter(same -> same.size() > 1).forEach(same -> problems.add(new Problem(
                            same.get(1).path(), "the external group '" + same.get(0).id()
                                    + "' is listed twice (ids are compared regardless of case)")));
            for (int i = 0; i < team.roles().size(); i++) {
                String role = team.roles().get(i);
                if (roles.find(role).isEmpty()) {
                    problems.add(new Problem(team.rolePaths().get(i),
                            "no role has the id '" + role + "'; the roles are " + String.join(", ",
                                    roles.list().stream().map(org.idbroker.core.teams.Role::id).toList())));
                }
            }
        }
    }

    private static void refusal(List<Problem> problems, ConfigFile.Path path, Runnable check) {
        try {
            check.run();
        } catch (ChangeRefusedException e) {
            problems.add(new Problem(path, e.getMessage()));
        }
    }

    private void applyProviders(Handle h, ConfigFile file, Map<String, ProviderConfigurator.Checked> providers,
            Map<String, Object> origin, List<String> lines) {
        ProviderConfigurator configurator = new ProviderConfigurator(store, types);
        for (ProviderConfigurator.Checked wanted : providers.values()) {
            Optional<ProviderRecord> stored = store.find(wanted.id());
            List<String> changes = new ArrayList<>();
            TreeSet<String> secretsChanged = new TreeSet<>();
            if (stored.isPresent()) {
                ProviderRecord was = stored.get();
                if (!was.type().equals(wanted.type())) {
                    changes.add("type " + was.type() + " -> " + wanted.type());
                }
                TreeSet<String> names = new TreeSet<>(was.settings().keySet());
                names.addAll(wanted.settings().keySet());
                for (String name : names) {
                    String before = was.settings().get(name);
                    String after = wanted.settings().get(name);
                    if (before == null) {
                        changes.add(name + " set to " + quoted(after));
                    } else if (after == null) {
                        changes.add(name + " removed (was " + quoted(before) + ")");
                    } else if (!before.equals(after)) {
                        changes.add(name + " " + quoted(before) + " -> " + quoted(after));
                    }
                }
                wanted.secretChanges().forEach((name, value) -> {
                    String before = was.secrets().get(name);
                    if (value.isEmpty() ? before != null : !value.equals(before)) {
                        secretsChanged.add(name);
                    }
                });
                if (changes.isEmpty() && secretsChanged.isEmpty()) {
                    continue;
                }
            } else {
                secretsChanged.addAll(wanted.secretChanges().keySet());
            }
            secretsChanged.forEach(name -> changes.add(name + " changed"));
            Map<String, String> secretChanges = new LinkedHashMap<>(wanted.secretChanges());
            secretChanges.keySet().retainAll(secretsChanged);
            ProviderRecord saved = configurator.save(new ProviderConfigurator.Checked(wanted.id(), wanted.type(),
                    wanted.settings(), secretChanges));
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("type", saved.type());
            details.put("version", saved.version());
            details.put("settings", saved.settings());
            details.put("secretsChanged", secretsChanged);
            details.putAll(origin);
            Events.record(h, ConfigurationResource.PROVIDER_SAVED, Events.SUCCESS, null, null, null, saved.id(), details);
            lines.add(stored.isPresent() ? "change provider " + saved.id() + ": " + String.join(", ", changes)
                    : "create provider " + saved.id() + " (type " + saved.type() + ")"
                            + (secretsChanged.isEmpty() ? "" : "; secrets " + String.join(", ", secretsChanged) + " changed"));
        }
    }

    private void applyTeams(ConfigFile file, List<String> lines) {
        Teams teams = new Teams(jdbi);
        for (ConfigFile.Team wanted : file.teams().values()) {
            try {
                applyTeam(teams, wanted, lines);
            } catch (ChangeRefusedException e) {
                throw new Refused(new Problem(wanted.path(), e.getMessage()));
            }
        }
    }

    private static void applyTeam(Teams teams, ConfigFile.Team wanted, List<String> lines) {
        String name = wanted.name().strip();
        String description = wanted.description() == null ? "" : wanted.description().strip();
        Optional<Team> found = teams.list().stream().filter(t -> t.name().equalsIgnoreCase(name)).findFirst();
        Team team;
        if (found.isEmpty()) {
            team = teams.create(name, description, null);
            lines.add("create team " + name);
        } else {
            team = found.get();
            if (!team.description().equals(description)) {
                team = teams.update(team.id(), null, description, null);
                lines.add("change team " + team.name() + ": description");
            }
        }
        UUID id = team.id();
        Map<String, ConfigFile.Group> groups = new LinkedHashMap<>();
        wanted.externalGroups().forEach(g -> groups.put(g.id().strip().toLowerCase(Locale.ROOT), g));
        for (Team.ExternalGroup had : team.externalGroups()) {
            ConfigFile.Group want = groups.get(had.id().toLowerCase(Locale.ROOT));
            String wantName = want == null ? null : displayName(want);
            if (want == null || !had.id().equals(want.id().strip()) || !had.displayName().equals(wantName)) {
                teams.removeExternalGroup(id, had.id(), null);
                if (want == null) {
                    lines.add("change team " + team.name() + ": remove external group " + had.id());
                }
            }
        }
        Team now = teams.find(id).orElseThrow();
        for (ConfigFile.Group want : wanted.externalGroups()) {
            String groupId = want.id().strip();
            if (now.externalGroups().stream().noneMatch(g -> g.id().equals(groupId))) {
                boolean existed = team.externalGroups().stream().anyMatch(g -> g.id().equalsIgnoreCase(groupId));
                teams.addExternalGroup(id, groupId, displayName(want), null);
                lines.add("change team " + team.name() + ": " + (existed ? "change" : "add") + " external group " + groupId
                        + " (" + displayName(want) + ")");
            }
        }
        TreeSet<String> wantRoles = new TreeSet<>(wanted.roles());
        for (Team.RoleRef had : team.roles()) {
            if (!wantRoles.contains(had.id())) {
                teams.removeRole(id, had.id(), null);
                lines.add("change team " + team.name() + ": remove role " + had.id());
            }
        }
        for (String role : wantRoles) {
            if (team.roles().stream().noneMatch(r -> r.id().equals(role))) {
                teams.addRole(id, role, null);
                lines.add("change team " + team.name() + ": add role " + role);
            }
        }
    }

    private static String displayName(ConfigFile.Group group) {
        return group.displayName() == null || group.displayName().isBlank() ? group.id().strip() : group.displayName().strip();
    }

    private void applySessions(Handle h, ConfigFile file, Map<String, Object> origin, List<String> lines) {
        ConfigFile.Sessions wanted = file.sessions();
        if (wanted == null) {
            return;
        }
        StoredSessionLifetimes stored = new StoredSessionLifetimes(jdbi);
        Optional<SessionLifetimes> before = stored.read();
        SessionLifetimes after = new SessionLifetimes(Duration.ofMinutes(wanted.idleMinutes()),
                Duration.ofMinutes(wanted.absoluteMinutes()));
        if (before.isPresent() && before.get().equals(after)) {
            return;
        }
        stored.save(after);
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("setting", "sessions");
        before.ifPresent(b -> details.put("before", minutes(b)));
        details.put("after", minutes(after));
        details.putAll(origin);
        Events.record(h, SESSIONS_EVENT, Events.SUCCESS, null, null, null, null, details);
        lines.add("change sessions: idleMinutes " + before.map(b -> b.idle().toMinutes() + " -> ").orElse("")
                + wanted.idleMinutes() + ", absoluteMinutes " + before.map(b -> b.absolute().toMinutes() + " -> ").orElse("")
                + wanted.absoluteMinutes());
    }

    private static Map<String, Long> minutes(SessionLifetimes lifetimes) {
        return Map.of("idleMinutes", lifetimes.idle().toMinutes(), "absoluteMinutes", lifetimes.absolute().toMinutes());
    }

    private String resolve(ConfigFile.SecretRef ref) {
        if (ref.env() != null) {
            String value = environment.apply(ref.env());
            if (value == null || value.isEmpty()) {
                throw new IllegalArgumentException("the environment variable " + ref.env() + " is not set");
            }
            return value.strip();
        }
        java.nio.file.Path path = Paths.get(ref.file());
        try {
            if (Files.size(path) > MAX_SECRET_BYTES) {
                throw new IllegalArgumentException("the secret file " + ref.file() + " is larger than " + MAX_SECRET_BYTES + " bytes");
            }
            String value = Files.readString(path).strip();
            if (value.isEmpty()) {
                throw new IllegalArgumentException("the secret file " + ref.file() + " is empty");
            }
            return value;
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read the secret file " + ref.file() + ": " + e.getClass().getSimpleName());
        }
    }

    private static String quoted(String value) {
        return "'" + value + "'";
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A change the broker refused while applying: the transaction is undone and the file reported. */
    private static final class Refused extends RuntimeException {
        final transient Problem problem;

        Refused(Problem problem) {
            super(problem.toString(), null, false, false);
            this.problem = problem;
        }
    }
}
