package org.idbroker.core.providers;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Map;
import org.jdbi.v3.core.Jdbi;

/**
 * The default instances of the installed provider types, each made once: {@code provider_seeds} records every type
 * that has had its instance, so seeding again (at every start, on every node at once) changes nothing, and an
 * instance an administrator deleted stays deleted.
 */
public final class ProviderSeeds {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Jdbi jdbi;

    public ProviderSeeds(Jdbi jdbi) {
        this.jdbi = requireNonNull(jdbi, "jdbi is null");
    }

    /**
     * Makes the instance {@code id} of {@code type} with these plain settings unless the type has had its instance
     * already; an instance of that id that exists (made by hand before) is kept as it is.
     *
     * @return whether the instance was made now
     */
    public boolean seedOnce(String type, String id, Map<String, String> settings) {
        requireNonNull(type, "type is null");
        ProviderStore.requireValidId(id);
        String json;
        try {
            json = JSON.writeValueAsString(requireNonNull(settings, "settings is null"));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("settings are not serializable", e);
        }
        return jdbi.inTransaction(h -> {
            // a second node seeding at the same moment waits here on the key, then finds the type recorded
            int recorded = h.createUpdate("insert into provider_seeds (type, instance_id) values (:type, :id) on conflict do nothing")
                    .bind("type", type).bind("id", id).execute();
            return recorded == 1 && h.createUpdate("""
                    insert into providers (id, type, settings) values (:id, :type, cast(:settings as jsonb))
                    on conflict (id) do nothing""").bind("id", id).bind("type", type).bind("settings", json).execute() == 1;
        });
    }
}
