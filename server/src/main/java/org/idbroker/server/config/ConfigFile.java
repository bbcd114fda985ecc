package org.idbroker.server.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The configuration file of {@code idbroker export} and {@code idbroker apply}: YAML with a
 * {@code version}, the sign-in providers by id, the teams by name and the session lifetimes. Reading
 * it checks its shape and lists every problem with its path in the file and its line; the values
 * themselves are checked by {@link ConfigApplier} with the API's own checks.
 */
public record ConfigFile(Map<String, Provider> providers, Map<String, Team> teams, Sessions sessions, byte[] bytes,
        List<Problem> problems) {

    public static final int VERSION = 1;
    /** Files larger than this are refused: a broker's description is a few kilobytes. */
    public static final int MAX_BYTES = 1 << 20;
    /** A key given twice is refused: with the last one silently winning, a review could not trust the file. */
    static final YAMLMapper YAML = YAMLMapper.builder().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION).build();
    private static final Set<String> TOP = Set.of("version", "providers", "teams", "sessions");
    private static final Set<String> PROVIDER = Set.of("type", "settings", "secrets");
    private static final Set<String> TEAM = Set.of("description", "externalGroups", "roles");
    private static final Set<String> GROUP = Set.of("id", "displayName");
    private static final Set<String> SESSIONS = Set.of("idleMinutes", "absoluteMinutes");

    /** A provider instance: {@code settings} replace the stored ones; a secret left out keeps its stored value. */
    public record Provider(Path path, String type, Map<String, String> settings, Map<String, SecretRef> secrets,
            Map<String, Path> settingPaths) {
    }

    /** A secret as the file names it: {@code {env: NAME}} or {@code {file: /path}}, never its value. */
    public record SecretRef(Path path, String env, String file) {
        @Override
        public String toString() {
            return env != null ? "{env: " + env + "}" : "{file: " + file + "}";
        }
    }

    /** A team: the file lists all of its external groups and roles. */
    public record Team(Path path, String name, String description, List<Group> externalGroups, List<String> roles,
            List<Path> rolePaths) {
    }

    /** An external group of a team. */
    public record Group(Path path, String id, String displayName) {
    }

    /** Session lifetimes in whole minutes. */
    public record Sessions(Path path, long idleMinutes, long absoluteMinutes) {
    }

    /** Where something is in the file: its dotted path and its line (0 when unknown). */
    public record Path(String dotted, int line) {
        @Override
        public String toString() {
            return (dotted.isEmpty() ? "(top)" : dotted) + (line > 0 ? " (line " + line + ")" : "");
        }
    }

    /** A problem with the file, at a place in it. */
    public record Problem(Path path, String message) {
        @Override
        public String toString() {
            return path + ": " + message;
        }
    }

    /** The file cannot be applied; {@link #problems()} lists why, every one. */
    public static final class InvalidFileException extends Exception {
        private final List<Problem> problems;

        public InvalidFileException(List<Problem> problems) {
            super(problems.size() + " problem(s) in the file");
            this.problems = List.copyOf(problems);
        }

        public List<Problem> problems() {
            return problems;
        }
    }

    /**
     * Reads a file's content and checks its shape: a file that is not YAML is refused at once; other
     * problems are listed in {@link #problems()}, and what they concern is left out.
     */
    public static ConfigFile parse(byte[] bytes) throws InvalidFileException {
        if (bytes.length > MAX_BYTES) {
            throw new InvalidFileException(List.of(new Problem(new Path("", 0), "the file is larger than " + MAX_BYTES + " bytes")));
        }
        Map<String, Integer> lines = new HashMap<>();
        JsonNode root;
        try {
            lines(bytes, lines);
            root = YAML.readTree(bytes);
        } catch (JsonProcessingException e) {
            int line = e.getLocation() == null ? 0 : e.getLocation().getLineNr();
            throw new InvalidFileException(List.of(new Problem(new Path("", line), "not valid YAML: " + e.getOriginalMessage())));
        } catch (IOException e) {
            throw new InvalidFileException(List.of(new Problem(new Path("", 0), "cannot be read: " + e.getMessage())));
        }
        return new Reader(lines, bytes).read(root);
    }

    /** The line of every key and value, by its JSON pointer. */
    private static void lines(byte[] bytes, Map<String, Integer> lines) throws IOException {
        try (JsonParser parser = YAML.getFactory().createParser(bytes)) {
            JsonToken token;
            while ((token = parser.nextToken()) != null) {
                lines.putIfAbsent(parser.getParsingContext().pathAsPointer().toString(), parser.currentTokenLocation().getLineNr());
                if (token == JsonToken.FIELD_NAME) {
                    lines.put(parser.getParsingContext().pathAsPointer().toString(), parser.currentTokenLocation().getLineNr());
                }
            }
        }
    }

    private static final class Reader {
        private final Map<String, Integer> lines;
        private final byte[] bytes;
        private final List<Problem> problems = new ArrayList<>();

        Reader(Map<String, Integer> lines, byte[] bytes) {
            this.lines = lines;
            this.bytes = bytes;
        }

        ConfigFile read(JsonNode root) throws InvalidFileException {
            Where top = new Where("", "");
            if (root == null || !root.isObject()) {
                throw new InvalidFileException(List.of(new Problem(top.path(), "the file must be a mapping with version: "
                        + VERSION + " and providers, teams or sessions")));
            }
            known(root, top, TOP);
            JsonNode version = root.get("version");
            if (version == null) {
                problem(top, "version is missing: write version: " + VERSION);
            } else if (!version.isIntegralNumber() || version.asInt() != VERSION) {
                problem(top.child("version"), "must be " + VERSION + " (the only version this broker reads), got " + version.asText());
            }
            Map<String, Provider> providers = new LinkedHashMap<>();
            each(root.get("providers"), top.child("providers"), (id, node, at) -> {
                if (!object(node, at, "a mapping with type, settings and secrets")) {
                    return;
                }
                known(node, at, PROVIDER);
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
                providers.put(id, new Provider(at.path(), type, settings, secrets, settingPaths));
            });
            Map<String, Team> teams = new LinkedHashMap<>();
            Map<String, String> lowerNames = new HashMap<>();
            each(root.get("teams"), top.child("teams"), (name, node, at) -> {
                if (lowerNames.putIfAbsent(name.toLowerCase(java.util.Locale.ROOT), name) != null) {
                    problem(at, "the team '" + lowerNames.get(name.toLowerCase(java.util.Locale.ROOT))
                            + "' is already described: team names are compared regardless of case");
                    return;
                }
                if (node.isNull()) {
                    teams.put(name, new Team(at.path(), name, null, List.of(), List.of(), List.of()));
                    return;
                }
                if (!object(node, at, "a mapping with description, externalGroups and roles")) {
                    return;
                }
                known(node, at, TEAM);
                String description = text(node.get("description"), at.child("description"), true);
                List<Group> groups = new ArrayList<>();
                list(node.get("externalGroups"), at.child("externalGroups"), (item, where) -> {
                    if (item.isTextual()) {
                        groups.add(new Group(where.path(), item.asText(), null));
                    } else if (object(item, where, "a group id, or a mapping with id and displayName")) {
                        known(item, where, GROUP);
                        String id = text(item.get("id"), where.child("id"), false);
                        if (id == null && item.get("id") == null) {
                            problem(where, "id is missing: the group or role id the IdP sends");
                        }
                        groups.add(new Group(where.path(), id, text(item.get("displayName"), where.child("displayName"), true)));
                    }
                });
                List<String> roles = new ArrayList<>();
                List<Path> rolePaths = new ArrayList<>();
                list(node.get("roles"), at.child("roles"), (item, where) -> {
                    String role = text(item, where, false);
                    if (role != null) {
                        roles.add(role);
                        rolePaths.add(where.path());
                    }
                });
                teams.put(name, new Team(at.path(), name, description, groups, roles, rolePaths));
            });
            Sessions sessions = null;
            JsonNode s = root.get("sessions");
            Where sAt = top.child("sessions");
            if (s != null && !s.isNull() && object(s, sAt, "a mapping with idleMinutes and absoluteMinutes")) {
                known(s, sAt, SESSIONS);
                Long idle = minutes(s, sAt, "idleMinutes");
                Long absolute = minutes(s, sAt, "absoluteMinutes");
                if (idle != null && absolute != null) {
                    sessions = new Sessions(sAt.path(), idle, absolute);
                }
            }
            return new ConfigFile(providers, teams, sessions, bytes, List.copyOf(problems));
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

        private void known(JsonNode node, Where at, Set<String> fields) {
            node.fieldNames().forEachRemaining(name -> {
                if (!fields.contains(name)) {
                    problem(at.child(name), "unknown field; the fields here are " + String.join(", ", new java.util.TreeSet<>(fields)));
                }
            });
        }

        private void each(JsonNode node, Where at, Entry entry) {
            if (node == null || node.isNull()) {
                return;
            }
            if (!object(node, at, "a mapping")) {
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
}
