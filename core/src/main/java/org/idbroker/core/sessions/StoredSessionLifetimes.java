package org.idbroker.core.sessions;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.jdbi.v3.core.Jdbi;

/**
 * Session lifetimes an administrator set at run time, kept in {@code broker_settings} so that every
 * node reads the same values. When none are stored, each node uses the lifetimes it was started with.
 */
public final class StoredSessionLifetimes {

    static final String IDLE_KEY = "sessions.idle-minutes";
    static final String ABSOLUTE_KEY = "sessions.absolute-minutes";

    private final Jdbi jdbi;

    public StoredSessionLifetimes(Jdbi jdbi) {
        this.jdbi = requireNonNull(jdbi, "jdbi is null");
    }

    /** The stored lifetimes, or empty when none are stored (or what is stored is unusable). */
    public Optional<SessionLifetimes> read() {
        Map<String, String> values = jdbi.withHandle(h -> h.createQuery(
                "select key, value from broker_settings where key in (:idle, :absolute)")
                .bind("idle", IDLE_KEY).bind("absolute", ABSOLUTE_KEY)
                .map((rs, ctx) -> Map.entry(rs.getString("key"), rs.getString("value"))).list())
                .stream().collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
        String idle = values.get(IDLE_KEY);
        String absolute = values.get(ABSOLUTE_KEY);
        if (idle == null || absolute == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(new SessionLifetimes(Duration.ofMinutes(Long.parseLong(idle)),
                    Duration.ofMinutes(Long.parseLong(absolute))));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** Stores both lifetimes at once, whole minutes. */
    public void save(SessionLifetimes lifetimes) {
        requireNonNull(lifetimes, "lifetimes is null");
        jdbi.useTransaction(h -> {
            for (Map.Entry<String, Long> entry : Map.of(IDLE_KEY, lifetimes.idle().toMinutes(),
                    ABSOLUTE_KEY, lifetimes.absolute().toMinutes()).entrySet()) {
                h.createUpdate("""
                        insert into broker_settings (key, value) values (:key, :value)
                        on conflict (key) do update set value = excluded.value""")
                        .bind("key", entry.getKey()).bind("value", Long.toString(entry.getValue())).execute();
            }
        });
    }
}
