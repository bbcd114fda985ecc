package org.idbroker.server.config;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.idbroker.server.config.ConfigFile.Path;
import org.idbroker.server.config.ConfigFile.Problem;
import org.idbroker.server.config.ConfigFile.SecretRef;

/** Reads the tree of a {@link ConfigFile} into its records, collecting every shape problem with its place. */
final class ConfigFileReader {

    private final Map<String, Integer> lines;
    private final byte[] bytes;
    private final List<Problem> problems = new ArrayList<>();

    ConfigFileReader(Map<String, Integer> lines, byte[] bytes) {
        this.lines = lines;
        this.bytes = bytes;
    }

    ConfigFile read(JsonNode root) throws ConfigFile.InvalidFileException {
        Where top = new Where("", "");
        if (root == null || !root.isObject()) {
            throw new ConfigFile.InvalidFileException(List.of(new Problem(top.path(), "the file must be a mapping with version: "
                    + ConfigFile.VERSION + " and providers, users, teams, clients or sessions")));
        }
        known(root, top, "top");
        JsonNode version = root.get("version");
        if (version == null) {
            problem(top, "version is missing: write version: " + ConfigFile.VERSION);
        } else if (!version.isIntegralNumber() || version.asInt() != ConfigFile.VERSION) {
            problem(top.child("version"), "must be " + ConfigFile.VERSION + " (the only version this broker reads), got "
                    + version.asText());
        }
        Map<String, ConfigFile.Provider> providers = new LinkedHashMap<>();
        each(root.get("providers"), top.child("providers"), (id, node, at) -> {
            if (object(node, at, "a mapping with type, settings and secrets")) {
                providers.put(id, provider(node, at));
            }
        });
        Map<String, ConfigFile.User> users = new LinkedHashMap<>();
        Map<String, String> lowerUsers = new HashMap<>();
        each(root.get("users"), top.child("users"), (username, node, at) -> {
            if (unique(lowerUsers, username, at, "user", "usernames") && (node.isNull()
                    || object(node, at, "a mapping with email, displayName and active"))) {
                users.put(username, user(username, node, at));
            }
        });
        Map<String, ConfigFile.Team> teams = new LinkedHashMap<>();
        Map<String, String> lowerTeams = new HashMap<>();
        each(root.get("teams"), top.child("teams"), (name, node, at) -> {
            if (unique(lowerTeams, name, at, "team", "team names") && (node.isNull()
                    || object(node, at, "a mapping with description, members, externalGroups and roles"))) {
                teams.put(name, team(name, node, at));
            }
        });
        Map<String, ConfigFile.Client> clients = new LinkedHashMap<>();
        each(root.get("clients"), top.child("clients"), (id, node, at) -> {
            if (object(node, at, "a mapping with name, type, redirectUris, ...")) {
                clients.put(id, client(id, node, at));
            }
        });
        return new ConfigFile(providers, users, teams, clients, sessions(root.get("sessions"), top.child("sessions")), bytes,
                List.copyOf(problems));
    }

    private ConfigFile.Provider provider(JsonNode node, Where at) {
        known(node, at, "provider");
        String type = text(node.get("type"), at.child("type"), false);
        Map<String, String> settings = new LinkedHashMap<>();
        Map<String, Path> settingPaths = new LinkedHashMap<>();
        each(node.get("settings"), at.child("settings"), (name, value, where) -> {
            String text = text(value, where, true);
            if (text != null) {
                settings.put(name, text);
                settingPaths.put(name, where.path());
            }
        });
        Map<String, SecretRef> secrets = new LinkedHashMap<>();
        each(node.get("secrets"), at.child("secrets"), (name, value, where) -> {
            SecretRef ref = secretRef(value, where);
            if (ref != null) {
                secrets.put(name, ref);
            }
        });
        return new ConfigFile.Provider(at.path(), type, settings, secrets, settingPaths);
    }

    private ConfigFile.User user(String username, JsonNode node, Where at) {
        Map<String, Path> paths = new LinkedHashMap<>();
        if (node.isNull()) {
            return new ConfigFile.User(at.path(), username, null, null, null, paths);
        }
        known(node, at, "user");
        node.fieldNames().forEachRemaining(name -> paths.put(name, at.child(name).path()));
        Boolean active = null;
        JsonNode value = node.get("active");
        if (value != null && !value.isNull()) {
            if (value.isBoolean()) {
                active = value.asBoolean();
            } else {
                problem(at.child("active"), "must be true or false, got " + value.asText());
            }
        }
        return new ConfigFile.User(at.path(), username, text(node.get("email"), at.child("email"), true),
                text(node.get("displayName"), at.child("displayName"), true), active, paths);
    }

    private ConfigFile.Team team(String name, JsonNode node, Where at) {
        if (node.isNull()) {
            return new ConfigFile.Team(at.path(), name, null, null, List.of(), List.of(), List.of(), List.of());
        }
        known(node, at, "team");
        String description = text(node.get("description"), at.child("description"), true);
        List<ConfigFile.Group> groups = new ArrayList<>();
        list(node.get("externalGroups"), at.child("externalGroups"), (item, where) -> {
            if (item.isTextual()) {
                groups.add(new ConfigFile.Group(where.path(), item.asText(), null));
            } else if (object(item, where, "a group id, or a mapping with id and displayName")) {
                known(item, where, "externalGroup");
                String id = text(item.get("id"), where.child("id"), false);
                if (id == null && item.get("id") == null) {
                    problem(where, "id is missing: the group or role id the IdP sends");
                }
                groups.add(new ConfigFile.Group(where.path(), id, text(item.get("displayName"), where.child("displayName"), true)));
            }
        });
        List<String> roles = new ArrayList<>();
        List<Path> rolePaths = new ArrayList<>();
        texts(node.get("roles"), at.child("roles"), roles, rolePaths);
        List<String> members = null;
        List<Path> memberPaths = new ArrayList<>();
        if (node.has("members") && !node.get("members").isNull()) {
            members = new ArrayList<>();
            texts(node.get("members"), at.child("members"), members, memberPaths);
        }
        return new ConfigFile.Team(at.path(), name, description, members, memberPaths, groups, roles, rolePaths);
    }

    private ConfigFile.Client client(String id, JsonNode node, Where at) {
        known(node, at, "client");
        Map<String, Path> paths = new LinkedHashMap<>();
        node.fieldNames().forEachRemaining(name -> paths.put(name, at.child(name).path()));
        JsonNode secret = node.get("secret");
        return new ConfigFile.Client(at.path(), id, text(node.get("name"), at.child("name"), false),
                text(node.get("type"), at.child("type"), false), strings(node, at, "redirectUris"),
                strings(node, at, "postLogoutRedirectUris"), text(node.get("backchannelLogoutUri"), at.child("backchannelLogoutUri"), true),
                strings(node, at, "grantTypes"), strings(node, at, "teams"), text(node.get("groupsClaim"), at.child("groupsClaim"), false),
                seconds(node, at, "accessTokenSeconds"), seconds(node, at, "idTokenSeconds"), seconds(node, at, "refreshTokenSeconds"),
                text(node.get("signingAlgorithm"), at.child("signingAlgorithm"), false),
                secret == null || secret.isNull() ? null : secretRef(secret, at.child("secret")), paths);
    }

    private ConfigFile.Sessions sessions(JsonNode node, Where at) {
        if (node == null || node.isNull() || !object(node, at, "a mapping with idleMinutes and absoluteMinutes")) {
            return null;
        }
        known(node, at, "sessions");
        Long idle = minutes(node, at, "idleMinutes");
        Long absolute = minutes(node, at, "absoluteMinutes");
        return idle != null && absolute != null ? new ConfigFile.Sessions(at.path(), idle, absolute) : null;
    }

    private boolean unique(Map<String, String> lower, String name, Where at, String what, String compared) {
        String before = lower.putIfAbsent(name.toLowerCase(Locale.ROOT), name);
        if (before != null) {
            problem(at, "the " + what + " '" + before + "' is already described: " + compared + " are compared regardless of case");
            return false;
        }
        return true;
    }

    private List<String> strings(JsonNode node, Where at, String field) {
        if (!node.has(field) || node.get(field).isNull()) {
            return null;
        }
        List<String> values = new ArrayList<>();
        texts(node.get(field), at.child(field), values, new ArrayList<>());
        return values;
    }

    private void texts(JsonNode node, Where at, List<String> values, List<Path> paths) {
        list(node, at, (item, where) -> {
            String text = text(item, where, false);
            if (text != null) {
                values.add(text);
                paths.add(where.path());
            }
        });
    }

    private Integer seconds(JsonNode node, Where at, String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isIntegralNumber() || !value.canConvertToInt()) {
            problem(at.child(field), "must be a whole number of seconds, got " + value.asText());
            return null;
        }
        return value.asInt();
    }

    private Long minutes(JsonNode node, Where at, String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            problem(at, field + " is missing: give a whole number of minutes");
            return null;
        }
        if (!value.isIntegralNumber() || !value.canConvertToLong()) {
            problem(at.child(field), "must be a whole number of minutes, got " + value.asText());
            return null;
        }
        return value.asLong();
    }

    private SecretRef secretRef(JsonNode value, Where at) {
        if (value == null || !value.isObject() || value.size() != 1
                || !(value.has("env") || value.has("file")) || !value.elements().next().isTextual()
                || value.elements().next().asText().isBlank()) {
            problem(at, "a secret must be a reference, {env: NAME} or {file: /path}, never its value");
            return null;
        }
        return value.has("env") ? new SecretRef(at.path(), value.get("env").asText().strip(), null)
                : new SecretRef(at.path(), null, value.get("file").asText().strip());
    }

    private String text(JsonNode value, Where at, boolean allowEmpty) {
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isValueNode()) {
            problem(at, "must be a single value, not a " + (value.isArray() ? "list" : "mapping"));
            return null;
        }
        String text = value.asText();
        if (!allowEmpty && text.isBlank()) {
            problem(at, "must not be empty");
            return null;
        }
        return text;
    }

    private boolean object(JsonNode node, Where at, String what) {
        if (node == null || !node.isObject()) {
            problem(at, "must be " + what);
            return false;
        }
        return true;
    }

    private void known(JsonNode node, Where at, String kind) {
        Set<String> fields = ConfigFile.FIELDS.get(kind);
        node.fieldNames().forEachRemaining(name -> {
            if (!fields.contains(name)) {
                problem(at.child(name), "unknown field; the fields here are " + String.join(", ", new TreeSet<>(fields)));
            }
        });
    }

    private void each(JsonNode node, Where at, Entry entry) {
        if (node == null || node.isNull() || !object(node, at, "a mapping")) {
            return;
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            entry.accept(e.getKey(), e.getValue(), at.child(e.getKey()));
        }
    }

    private void list(JsonNode node, Where at, Item item) {
        if (node == null || node.isNull()) {
            return;
        }
        if (!node.isArray()) {
            problem(at, "must be a list");
            return;
        }
        for (int i = 0; i < node.size(); i++) {
            item.accept(node.get(i), at.index(i));
        }
    }

    private void problem(Where at, String message) {
        problems.add(new Problem(at.path(), message));
    }

    /** A place in the file: its dotted path and its JSON pointer. */
    private final class Where {
        final String dotted;
        final String pointer;

        Where(String dotted, String pointer) {
            this.dotted = dotted;
            this.pointer = pointer;
        }

        Where child(String name) {
            return new Where(dotted.isEmpty() ? name : dotted + "." + name,
                    pointer + "/" + name.replace("~", "~0").replace("/", "~1"));
        }

        Where index(int i) {
            return new Where(dotted + "[" + i + "]", pointer + "/" + i);
        }

        Path path() {
            Integer line = lines.get(pointer);
            return new Path(dotted, line == null ? 0 : line);
        }
    }

    @FunctionalInterface
    private interface Entry {
        void accept(String name, JsonNode value, Where at);
    }

    @FunctionalInterface
    private interface Item {
        void accept(JsonNode value, Where at);
    }
}
