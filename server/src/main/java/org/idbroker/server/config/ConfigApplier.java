package org.idbroker.server.config;

import static java.util.Objects.requireNonNull;

import java.net.URI;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.idbroker.core.events.Events;
import org.idbroker.core.events.RequestScope;
import org.idbroker.core.providers.ProviderStore;
import org.idbroker.core.sessions.SessionLifetimes;
import org.idbroker.core.sessions.StoredSessionLifetimes;
import org.idbroker.server.config.ConfigFile.Problem;
import org.idbroker.server.providers.ProviderConfigurator;
import org.idbroker.server.providers.ProviderTypes;
import org.jdbi.v3.core.Jdbi;

/**
 * Applies a {@link ConfigFile}: checks every value it can with the checks the API uses, then makes the
 * changes of everything without a problem in one transaction, with the events the API writes, and
 * says what it changed, one line per change. A refusal met while changing (a member who does not
 * exist, a built-in team asked to take external groups) is listed with the other problems; with any
 * problem, everything is undone.
 * Something the file does not name is left alone, unless {@code prune} is asked: then it is removed
 * (never a built-in team, never the last administrator). What the file names it describes fully.
 */
public final class ConfigApplier {

    /** The actor of every change: there is no signed-in user behind a file. */
    public static final String ACTOR = "apply";
    static final String SESSIONS_EVENT = "configuration-changed";
    /** The transaction-scoped advisory lock every apply holds ("idb-appl" as a number). */
    private static final long APPLY_LOCK = 0x6964622d6170706cL;

    private final Jdbi jdbi;
    private final ProviderChanges providers;
    private final Function<ConfigFile.SecretRef, String> secrets;

    public ConfigApplier(Jdbi jdbi, ProviderStore store, ProviderTypes types, URI publicUrl, Function<String, String> environment) {
        this.jdbi = requireNonNull(jdbi, "jdbi is null");
        this.secrets = new SecretRefs(environment);
        this.providers = new ProviderChanges(store, types, publicUrl, secrets);
    }

    /** {@link #apply(ConfigFile, boolean, boolean)} without prune. */
    public List<String> apply(ConfigFile file, boolean dryRun) throws ConfigFile.InvalidFileException {
        return apply(file, dryRun, false);
    }

    /**
     * Applies the file, or with {@code dryRun} works out every change and undoes it. Concurrent applies
     * (nodes starting at once) take turns on an advisory lock: each sees what the one before did.
     *
     * @return one line per change; empty when the broker already is as the file describes it
     * @throws ConfigFile.InvalidFileException with every problem; then nothing changed
     */
    public List<String> apply(ConfigFile file, boolean dryRun, boolean prune) throws ConfigFile.InvalidFileException {
        String digest = "sha256:" + sha256(file.bytes());
        List<Problem> problems = new ArrayList<>(file.problems());
        Map<String, ProviderConfigurator.Checked> checked = providers.check(file, problems);
        TeamChanges teams = new TeamChanges(jdbi);
        teams.check(file, problems);
        sessionProblems(file.sessions(), problems);
        // every event of the run carries them (the scope's attribution), as the API's events carry their user
        Map<String, Object> origin = Map.of("actor", ACTOR, "fileDigest", digest);
        UserChanges users = new UserChanges(jdbi);
        ClientChanges clients = new ClientChanges(jdbi, secrets);
        ApplyRun done;
        try (RequestScope ignored = RequestScope.open(new RequestScope.Origin("apply " + digest.substring(0, 19), null,
                "idbroker apply", origin), RequestScope.Listener.NONE)) {
            done = jdbi.withHandle(h -> {
                h.begin();
                try {
                    h.createQuery("select pg_advisory_xact_lock(:key)").bind("key", APPLY_LOCK).mapTo(String.class).one();
                    ApplyRun run = new ApplyRun(h, problems);
                    providers.apply(run, checked);
                    users.apply(run, file);
                    teams.apply(run, file);
                    clients.apply(run, file);
                    if (!run.spoiled(file.sessions() == null ? null : file.sessions().path())) {
                        applySessions(run, file.sessions());
                    }
                    // pruning a file with problems would only add the consequences of its mistakes
                    if (prune && run.problems.isEmpty()) {
                        clients.prune(run, file);
                        teams.prune(run, file);
                        users.prune(run, file);
                        providers.prune(run, file);
                    }
                    if (dryRun || !run.problems.isEmpty()) {
                        h.rollback();
                    } else {
                        h.commit();
                    }
                    return run;
                } catch (RuntimeException e) {
                    h.rollback();
                    throw e;
                }
            });
        }
        if (!done.problems.isEmpty()) {
            throw new ConfigFile.InvalidFileException(done.problems);
        }
        return List.copyOf(done.lines);
    }

    private static void sessionProblems(ConfigFile.Sessions s, List<Problem> problems) {
        if (s == null) {
            return;
        }
        for (String p : new String[] {SessionLifetimes.minutesProblem("idleMinutes", s.idleMinutes()),
                SessionLifetimes.minutesProblem("absoluteMinutes", s.absoluteMinutes()),
                SessionLifetimes.orderProblem(s.idleMinutes(), s.absoluteMinutes())}) {
            if (p != null) {
                problems.add(new Problem(s.path(), p));
            }
        }
    }

    private void applySessions(ApplyRun run, ConfigFile.Sessions wanted) {
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
        Events.record(run.handle, SESSIONS_EVENT, Events.SUCCESS, null, null, null, null, details);
        run.say("change sessions: idleMinutes " + before.map(b -> b.idle().toMinutes() + " -> ").orElse("")
                + wanted.idleMinutes() + ", absoluteMinutes " + before.map(b -> b.absolute().toMinutes() + " -> ").orElse("")
                + wanted.absoluteMinutes());
    }

    private static Map<String, Long> minutes(SessionLifetimes lifetimes) {
        return Map.of("idleMinutes", lifetimes.idle().toMinutes(), "absoluteMinutes", lifetimes.absolute().toMinutes());
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
