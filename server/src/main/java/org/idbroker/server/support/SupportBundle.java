package org.idbroker.server.support;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.idbroker.core.events.Event;
import org.idbroker.core.events.Events;
import org.idbroker.core.providers.ProviderRecord;
import org.idbroker.core.providers.ProviderStore;
import org.idbroker.core.users.ExternalIdentity;
import org.idbroker.core.users.User;
import org.idbroker.core.users.Users;
import org.idbroker.server.providers.ProviderDoctor;
import org.idbroker.server.providers.ProviderInstances;
import org.idbroker.server.providers.ProviderRegistry;
import org.idbroker.server.providers.ProviderTypes;
import org.idbroker.spi.Finding;
import org.idbroker.spi.IdentityProvider;
import org.idbroker.spi.IdentityProviderFactory;
import org.idbroker.spi.SettingDescriptor;
import org.jdbi.v3.core.Jdbi;

/**
 * What support needs to see, in one zip: each provider's settings (secrets reduced to "has a value")
 * with the metadata documents its IdP publishes and the doctor's findings, the user accounts with
 * their external identities, the latest failure events, and versions. Never a secret, a token or a key:
 * nothing is read from the columns that hold them.
 */
public final class SupportBundle {

    public static final int FAILURE_EVENTS = 100;
    private static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS).enable(SerializationFeature.INDENT_OUTPUT);

    private final Jdbi jdbi;
    private final ProviderStore store;
    private final ProviderTypes types;
    private final ProviderDoctor doctor;
    private final java.net.URI publicUrl;
    private final String brokerVersion;

    public SupportBundle(Jdbi jdbi, ProviderStore store, ProviderTypes types, java.net.URI publicUrl, String brokerVersion) {
        this.jdbi = requireNonNull(jdbi, "jdbi is null");
        this.store = requireNonNull(store, "store is null");
        this.types = requireNonNull(types, "types is null");
        this.publicUrl = requireNonNull(publicUrl, "publicUrl is null");
        this.doctor = new ProviderDoctor(types, publicUrl);
        this.brokerVersion = requireNonNull(brokerVersion, "brokerVersion is null");
    }

    /** Writes the bundle to {@code output} (owner-only permissions: it holds personal data); returns its entry names. */
    public List<String> write(Path output) throws IOException {
        Path absolute = output.toAbsolutePath();
        Path temp = Files.createTempFile(absolute.getParent(), ".support-bundle", ".zip");
        try {
            Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system
        }
        List<String> names = new ArrayList<>();
        try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(temp))) {
            put(zip, names, "README.txt", readme().getBytes(StandardCharsets.UTF_8));
            put(zip, names, "versions.json", json(versions()));
            for (ProviderRecord record : store.list()) {
                String dir = "providers/" + record.id() + "/";
                put(zip, names, dir + "settings.json", json(settings(record)));
                List<Finding> findings = doctor.examine(record);
                put(zip, names, dir + "doctor.txt", (findings.stream().map(ProviderDoctor::format)
                        .collect(Collectors.joining("\n")) + "\n").getBytes(StandardCharsets.UTF_8));
                int n = 1;
                for (Map.Entry<String, String> document : metadata(record).entrySet()) {
                    put(zip, names, dir + "metadata-" + n++ + ".json", document.getValue().getBytes(StandardCharsets.UTF_8));
                }
                if (n == 1) {
                    put(zip, names, dir + "metadata-missing.txt",
                            "The IdP's metadata could not be read; see doctor.txt for why.\n".getBytes(StandardCharsets.UTF_8));
                }
            }
            put(zip, names, "users.json", json(users()));
            put(zip, names, "failure-events.json", json(failureEvents()));
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(temp);
            throw e;
        }
        Files.move(temp, absolute, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        return names;
    }

    private String readme() {
        return """
                IdBroker support bundle, made %s.
                versions.json               Java and broker versions
                providers/ID/settings.json  settings; secrets only say whether they have a value
                providers/ID/doctor.txt     the doctor's findings (OK|WARN|FAIL  check  message)
                providers/ID/metadata-N.json the documents the IdP publishes (OpenID configuration)
                users.json                  user accounts and their external identities
                failure-events.json         the latest %d failure events
                No secret, token or key is included.
                """.formatted(Instant.now(), FAILURE_EVENTS);
    }

    private Map<String, Object> versions() {
        Map<String, Object> versions = new LinkedHashMap<>();
        versions.put("broker", brokerVersion);
        versions.put("java", System.getProperty("java.version"));
        versions.put("javaVendor", System.getProperty("java.vendor"));
        versions.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version"));
        versions.put("providerTypes", types.all().stream().map(IdentityProviderFactory::type).toList());
        versions.put("publicUrl", publicUrl.toString());
        return versions;
    }

    private Map<String, Object> settings(ProviderRecord record) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("id", record.id());
        view.put("type", record.type());
        view.put("version", record.version());
        view.put("settings", record.settings());
        Map<String, Object> secrets = new LinkedHashMap<>();
        types.find(record.type()).ifPresent(f -> ProviderRegistry.descriptors(f).stream().filter(SettingDescriptor::secret)
                .forEach(d -> secrets.put(d.name(), Map.of("hasValue", record.secrets().containsKey(d.name())))));
        view.put("secrets", secrets);
        return view;
    }

    private Map<String, String> metadata(ProviderRecord record) {
        IdentityProvider built = new ProviderInstances(types).build(record, publicUrl).provider();
        if (built == null) {
            return Map.of();
        }
        try (IdentityProvider provider = built) {
            return provider.metadataDocuments();
        } catch (RuntimeException e) {
            return Map.of();
        }
    }

    private List<Map<String, Object>> users() {
        return jdbi.withHandle(h -> {
            List<User> users = h.createQuery("select " + "u.id, u.username, u.display_name, u.email, u.active, "
                    + "u.external_groups, u.created from users u order by lower(u.username)").map(Users.USER).list();
            Map<java.util.UUID, List<ExternalIdentity>> identities = h.createQuery(
                    "select * from external_identities order by created").map(Users.IDENTITY).list().stream()
                    .collect(Collectors.groupingBy(ExternalIdentity::userId));
            List<Map<String, Object>> out = new ArrayList<>();
            for (User user : users) {
                Map<String, Object> view = new LinkedHashMap<>();
                view.put("username", user.username());
                view.put("email", user.email());
                view.put("displayName", user.displayName());
                view.put("active", user.active());
                view.put("externalGroups", user.externalGroups());
                view.put("externalIdentities", identities.getOrDefault(user.id(), List.of()).stream().map(i -> {
                    Map<String, Object> identity = new LinkedHashMap<>();
                    identity.put("providerId", i.providerId());
                    identity.put("issuer", i.issuer());
                    identity.put("subject", i.subject());
                    identity.put("email", i.email());
                    identity.put("lastSignIn", i.lastSignIn());
                    return identity;
                }).toList());
                out.add(view);
            }
            return out;
        });
    }

    private List<Event> failureEvents() {
        return new Events(jdbi).find(new Events.EventFilter(null, Events.FAILURE, null, null, null, null, FAILURE_EVENTS, 0));
    }

    private static byte[] json(Object value) throws IOException {
        return JSON.writeValueAsBytes(value);
    }

    private static void put(ZipOutputStream zip, List<String> names, String name, byte[] content) throws IOException {
        zip.putNextEntry(new ZipEntry(name));
        OutputStream out = zip;
        out.write(content);
        zip.closeEntry();
        names.add(name);
    }
}
