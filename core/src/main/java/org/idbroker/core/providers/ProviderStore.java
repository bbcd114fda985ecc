package org.idbroker.core.providers;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.idbroker.core.crypto.SecretCipher;
import org.idbroker.core.crypto.SecretDecryptionException;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.StatementContext;

/**
 * Provider instances and their settings in PostgreSQL. Secret settings are encrypted with the
 * master key, each bound to its instance and setting name.
 */
public final class ProviderStore {

    public static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<Map<String, String>> MAP = new TypeReference<>() { };

    private final Jdbi jdbi;
    private final SecretCipher cipher;

    public ProviderStore(Jdbi jdbi, SecretCipher cipher) {
        this.jdbi = requireNonNull(jdbi, "jdbi is null");
        this.cipher = requireNonNull(cipher, "cipher is null");
    }

    public List<ProviderRecord> list() {
        return jdbi.withHandle(h -> h.createQuery("select * from providers order by id").map(this::map).list());
    }

    public Optional<ProviderRecord> find(String id) {
        return jdbi.withHandle(h -> h.createQuery("select * from providers where id = :id").bind("id", id)
                .map(this::map).findOne());
    }

    /** A digest of every instance's id, version and change time: it changes when anything changes. */
    public String fingerprint() {
        return jdbi.withHandle(h -> h.createQuery("""
                select md5(coalesce(string_agg(id || ':' || version || ':' || updated, ',' order by id), '')) from providers""")
                .mapTo(String.class).one());
    }

    /**
     * Creates or replaces an instance. Secrets given replace the stored ones; a secret absent from
     * {@code secrets} keeps its stored value; an empty string removes it.
     */
    public ProviderRecord save(String id, String type, Map<String, String> settings, Map<String, String> secrets) {
        requireValidId(id);
        return jdbi.inTransaction(h -> {
            Map<String, String> sealed = new LinkedHashMap<>();
            h.createQuery("select secrets from providers where id = :id for update").bind("id", id)
                    .mapTo(String.class).findOne().ifPresent(json -> sealed.putAll(parse(json)));
            secrets.forEach((name, value) -> {
                if (value == null || value.isEmpty()) {
                    sealed.remove(name);
                } else {
                    sealed.put(name, cipher.encryptString(value, context(id, name)));
                }
            });
            h.createUpdate("""
                    insert into providers (id, type, settings, secrets) values (:id, :type, cast(:settings as jsonb), cast(:secrets as jsonb))
                    on conflict (id) do update set type = excluded.type, settings = excluded.settings,
                        secrets = excluded.secrets, version = providers.version + 1, updated = now()""")
                    .bind("id", id).bind("type", type).bind("settings", json(settings)).bind("secrets", json(sealed))
                    .execute();
            return h.createQuery("select * from providers where id = :id").bind("id", id).map(this::map).one();
        });
    }

    public boolean delete(String id) {
        return jdbi.withHandle(h -> h.createUpdate("delete from providers where id = :id").bind("id", id).execute()) > 0;
    }

    public static void requireValidId(String id) {
        if (id == null || !ID.matcher(id).matches()) {
            throw new IllegalArgumentException("a provider id must be 1 to 64 letters, digits, '.', '_' or '-', "
                    + "starting with a letter or digit, got '" + id + "'");
        }
    }

    private ProviderRecord map(ResultSet rs, StatementContext ctx) throws SQLException {
        String id = rs.getString("id");
        Map<String, String> secrets = new LinkedHashMap<>();
        parse(rs.getString("secrets")).forEach((name, sealed) -> secrets.put(name, cipher.decryptString(sealed, context(id, name))));
        return new ProviderRecord(id, rs.getString("type"), parse(rs.getString("settings")), secrets, rs.getLong("version"));
    }

    /**
     * Seals every provider's secrets with the cipher's active key, in the caller's transaction, the rows locked
     * until it ends (for {@code rotate-master-key}). Neither the settings nor the version change: the secrets are
     * the same, so no node rebuilds its providers.
     *
     * @return how many secrets were sealed again
     */
    public static int reseal(Handle h, SecretCipher cipher) {
        int changed = 0;
        for (Map<String, Object> row : h.createQuery("select id, secrets::text as secrets from providers order by id for update")
                .mapToMap().list()) {
            String id = (String) row.get("id");
            Map<String, String> sealed = parse((String) row.get("secrets"));
            Map<String, String> resealed = new LinkedHashMap<>();
            for (Map.Entry<String, String> secret : sealed.entrySet()) {
                try {
                    resealed.put(secret.getKey(), cipher.resealString(secret.getValue(), context(id, secret.getKey())));
                } catch (SecretDecryptionException e) {
                    throw new SecretDecryptionException("the secret '" + secret.getKey() + "' of provider '" + id
                            + "' does not decrypt: " + e.getMessage());
                }
            }
            int changes = (int) sealed.keySet().stream().filter(name -> !sealed.get(name).equals(resealed.get(name))).count();
            if (changes > 0) {
                h.createUpdate("update providers set secrets = cast(:secrets as jsonb) where id = :id")
                        .bind("secrets", json(resealed)).bind("id", id).execute();
                changed += changes;
            }
        }
        return changed;
    }

    private static String context(String id, String name) {
        return "provider-secret:" + id + ":" + name;
    }

    private static Map<String, String> parse(String json) {
        try {
            return JSON.readValue(json, MAP);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored provider settings are not valid JSON", e);
        }
    }

    private static String json(Map<String, String> values) {
        try {
            return JSON.writeValueAsString(values);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("settings are not serializable", e);
        }
    }
}
