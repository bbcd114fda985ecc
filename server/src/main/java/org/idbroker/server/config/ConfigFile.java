package org.idbroker.server.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The configuration file of {@code idbroker export} and {@code idbroker apply}: YAML with a
 * {@code version}, the sign-in providers by id, the users by username, the teams by name, the
 * OpenID Provider's clients by client id and the session lifetimes. Reading it checks its shape and
 * lists every problem with its path in the file and its line; the values themselves are checked by
 * {@link ConfigApplier} with the API's own checks.
 */
public record ConfigFile(Map<String, Provider> providers, Map<String, User> users, Map<String, Team> teams,
        Map<String, Client> clients, Sessions sessions, byte[] bytes, List<Problem> problems) {

    public static final int VERSION = 1;
    /** Files larger than this are refused: a broker's description is a few kilobytes. */
    public static final int MAX_BYTES = 1 << 20;
    /** A key given twice is refused: with the last one silently winning, a review could not trust the file. */
    static final YAMLMapper YAML = YAMLMapper.builder().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION).build();

    /**
     * Every field the file may hold, by the kind of mapping it is in: the reader refuses any other,
     * and the published JSON Schema describes exactly these (a test holds the two together).
     */
    public static final Map<String, Set<String>> FIELDS = Map.of(
            "top", Set.of("version", "providers", "users", "teams", "clients", "sessions"),
            "provider", Set.of("type", "settings", "secrets"),
            "user", Set.of("email", "displayName", "active"),
            "team", Set.of("description", "members", "externalGroups", "roles"),
            "externalGroup", Set.of("id", "displayName"),
            "client", Set.of("name", "type", "redirectUris", "postLogoutRedirectUris", "backchannelLogoutUri", "grantTypes",
                    "teams", "groupsClaim", "accessTokenSeconds", "idTokenSeconds", "refreshTokenSeconds", "signingAlgorithm",
                    "secret"),
            "sessions", Set.of("idleMinutes", "absoluteMinutes"),
            "secret", Set.of("env", "file"));

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

    /** A user account: an email left out means none; {@code active} left out means active. */
    public record User(Path path, String username, String email, String displayName, Boolean active,
            Map<String, Path> fieldPaths) {
    }

    /**
     * A team: the file lists all of its external groups and roles; {@code members} (usernames) is
     * {@code null} when the file leaves the members as they are.
     */
    public record Team(Path path, String name, String description, List<String> members, List<Path> memberPaths,
            List<Group> externalGroups, List<String> roles, List<Path> rolePaths) {
    }

    /** An external group of a team. */
    public record Group(Path path, String id, String displayName) {
    }

    /**
     * An application that signs people in through the broker; {@code null} fields take the API's
     * defaults. {@code secret} is {@code null} for a public client, or to keep a confidential one's.
     */
    public record Client(Path path, String id, String name, String type, List<String> redirectUris,
            List<String> postLogoutRedirectUris, String backchannelLogoutUri, List<String> grantTypes, List<String> teams,
            String groupsClaim, Integer accessTokenSeconds, Integer idTokenSeconds, Integer refreshTokenSeconds,
            String signingAlgorithm, SecretRef secret, Map<String, Path> fieldPaths) {
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

    /** The file cannot be applied; {@link #problems()} lists why, every one, in the order of their lines. */
    public static final class InvalidFileException extends Exception {
        private final List<Problem> problems;

        public InvalidFileException(List<Problem> problems) {
            super(problems.size() + " problem(s) in the file");
            List<Problem> sorted = new java.util.ArrayList<>(problems);
            sorted.sort(java.util.Comparator.comparingInt(p -> p.path().line()));
            this.problems = List.copyOf(sorted);
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
        return new ConfigFileReader(lines, bytes).read(root);
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
}
