package org.idbroker.core.clients;

import static java.util.Objects.requireNonNull;

import java.security.MessageDigest;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;
import org.idbroker.core.admin.ChangeEvents;
import org.idbroker.core.admin.ChangeRefusedException;
import org.idbroker.core.admin.Inputs;
import org.idbroker.core.admin.UniqueViolations;
import org.idbroker.core.crypto.Tokens;
import org.idbroker.core.events.Events;
import org.idbroker.core.teams.TeamRef;
import org.idbroker.core.users.Users;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * The registered clients (applications that sign in through the broker) and their secrets. A secret
 * is 256 random bits shown once, or one the operator brings (at least 32 characters); only its
 * SHA-256 is stored, and it is compared in constant time. Every change writes an event naming what
 * changed, never a secret.
 */
public final class Clients {

    public static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
    public static final int MAX_NAME_LENGTH = 100;
    public static final int MAX_URIS = 20;
    public static final int MIN_SECRET_LENGTH = 32;
    public static final int MAX_SECRET_LENGTH = 256;
    public static final int DEFAULT_ACCESS_TOKEN_SECONDS = 300;
    public static final int DEFAULT_ID_TOKEN_SECONDS = 300;
    public static final int DEFAULT_REFRESH_TOKEN_SECONDS = 86_400;
    public static final Duration MAX_OVERLAP = Duration.ofDays(30);
    public static final List<String> SIGNING_ALGORITHMS = List.of("RS256", "ES256");

    private static final String COLUMNS = """
            c.id, c.name, c.confidential, c.redirect_uris, c.post_logout_redirect_uris, c.backchannel_logout_uri,
            c.grant_types, c.team_restricted, c.groups_claim, c.access_token_seconds, c.id_token_seconds,
            c.refresh_token_seconds, c.created, c.updated, c.signing_algorithm,
            coalesce((select array_agg(t.id::text || ':' || t.name order by lower(t.name)) from client_teams ct
                      join teams t on t.id = ct.team_id where ct.client_id = c.id), '{}') as team_refs""";

    private final Jdbi jdbi;

    public Clients(Jdbi jdbi) {
        this.jdbi = requireNonNull(jdbi, "jdbi is null");
    }

    /**
     * Registers a client. A confidential client gets {@code secret} when given (checked), else a
     * generated one, returned here and never again.
     */
    public CreatedClient create(String id, ClientSpec spec, String secret, UUID actor) {
        String clientId = checkId(id);
        ClientType type = type(spec.type());
        String chosen = secret == null ? null : checkSecret(secret);
        if (type == ClientType.PUBLIC && chosen != null) {
            throw ChangeRefusedException.invalid("secret", "A public client has no secret; leave the secret out or make it confidential.");
        }
        return jdbi.inTransaction(h -> {
            Checked checked = check(h, spec, type);
            try {
                h.createUpdate("""
                        insert into clients (id, name, confidential, redirect_uris, post_logout_redirect_uris,
                            backchannel_logout_uri, grant_types, team_restricted, groups_claim, access_token_seconds,
                            id_token_seconds, refresh_token_seconds, signing_algorithm)
                        values (:id, :name, :confidential, :redirect, :postLogout, :backchannel, :grants, :restricted,
                            :groups, :access, :idToken, :refresh, :signing)""")
                        .bind("id", clientId).bindMap(checked.bindings()).execute();
            } catch (RuntimeException e) {
                if (UniqueViolations.isUniqueViolation(e)) {
                    throw ChangeRefusedException.conflict("client_exists", "A client with the id '" + clientId
                            + "' already exists; choose another id or change that client.");
                }
                throw e;
            }
            setTeams(h, clientId, checked.teams());
            String issued = null;
            if (type == ClientType.CONFIDENTIAL) {
                issued = chosen != null ? chosen : Tokens.random();
                insertSecret(h, clientId, issued);
            }
            Client client = find(h, clientId).orElseThrow();
            Events.record(h, ChangeEvents.CLIENT_CREATED, Events.SUCCESS, null, null, actor, null, details(client, null));
            return new CreatedClient(client, issued);
        });
    }

    /** Replaces what a client is (its secrets stay). A client cannot change between confidential and public. */
    public Client update(String id, ClientSpec spec, UUID actor) {
        return jdbi.inTransaction(h -> {
            Client before = lock(h, id);
            ClientType type = spec.type() == null ? before.type() : type(spec.type());
            if (type != before.type()) {
                throw ChangeRefusedException.invalid("type", "A client stays " + before.type().code()
                        + "; register a new client to change its type.");
            }
            Checked checked = check(h, spec, type);
            h.createUpdate("""
                    update clients set name = :name, redirect_uris = :redirect, post_logout_redirect_uris = :postLogout,
                        backchannel_logout_uri = :backchannel, grant_types = :grants, team_restricted = :restricted,
                        groups_claim = :groups, access_token_seconds = :access, id_token_seconds = :idToken,
                        refresh_token_seconds = :refresh, signing_algorithm = :signing, updated = now()
                    where id = :id""").bind("id", before.id()).bindMap(checked.bindings()).execute();
            setTeams(h, before.id(), checked.teams());
            Client after = find(h, before.id()).orElseThrow();
            Events.record(h, ChangeEvents.CLIENT_CHANGED, Events.SUCCESS, null, null, actor, null, details(after, before));
            return after;
        });
    }

    public void delete(String id, UUID actor) {
        jdbi.useTransaction(h -> {
            Client client = lock(h, id);
            h.createUpdate("delete from clients where id = :id").bind("id", client.id()).execute();
            Events.record(h, ChangeEvents.CLIENT_DELETED, Events.SUCCESS, null, null, actor, null,
                    Map.of("clientId", client.id(), "name", client.name()));
        });
    }

    /**
     * Gives a confidential client a new secret ({@code secret} when given, else a generated one). The
     * secrets it had keep working for {@code overlap} (zero: they stop now), so the application can be
     * switched over without an outage.
     */
    public CreatedClient rotateSecret(String id, String secret, Duration overlap, UUID actor) {
        requireNonNull(overlap, "overlap is null");
        if (overlap.isNegative() || overlap.compareTo(MAX_OVERLAP) > 0) {
            throw ChangeRefusedException.invalid("overlap", "The overlap must be between 0 and " + MAX_OVERLAP.toDays() + " days.");
        }
        String chosen = secret == null ? null : checkSecret(secret);
        return jdbi.inTransaction(h -> {
            Client client = lock(h, id);
            if (!client.confidential()) {
                throw ChangeRefusedException.invalid("type", "The client '" + client.id() + "' is public and has no secret.");
            }
            OffsetDateTime until = OffsetDateTime.now(ZoneOffset.UTC).plus(overlap);
            h.createUpdate("""
                    update client_secrets set expires_at = least(coalesce(expires_at, :until), :until)
                    where client_id = :id""").bind("id", client.id()).bind("until", until).execute();
            h.createUpdate("delete from client_secrets where client_id = :id and expires_at <= now()")
                    .bind("id", client.id()).execute();
            String issued = chosen != null ? chosen : Tokens.random();
            insertSecret(h, client.id(), issued);
            Events.record(h, ChangeEvents.CLIENT_SECRET_ROTATED, Events.SUCCESS, null, null, actor, null,
                    Map.of("clientId", client.id(), "overlapSeconds", overlap.toSeconds()));
            return new CreatedClient(client, issued);
        });
    }

    public Optional<Client> find(String id) {
        if (id == null || !ID.matcher(id).matches()) {
            return Optional.empty();
        }
        return jdbi.withHandle(h -> find(h, id));
    }

    public List<Client> list() {
        return jdbi.withHandle(h -> h.createQuery("select " + COLUMNS + " from clients c order by lower(c.id)")
                .map((rs, ctx) -> map(rs)).list());
    }

    /**
     * Whether {@code secret} is a live secret of the confidential client {@code id}: compared with each
     * live secret's hash in constant time.
     */
    public boolean authenticate(String id, String secret) {
        if (id == null || secret == null || secret.isEmpty() || secret.length() > MAX_SECRET_LENGTH) {
            return false;
        }
        byte[] presented = Tokens.hash(secret);
        List<byte[]> hashes = jdbi.withHandle(h -> h.createQuery("""
                select s.secret_hash from client_secrets s join clients c on c.id = s.client_id
                where s.client_id = :id and c.confidential and (s.expires_at is null or s.expires_at > now())""")
                .bind("id", id).mapTo(byte[].class).list());
        boolean match = false;
        for (byte[] hash : hashes) {
            match |= MessageDigest.isEqual(hash, presented);
        }
        return match;
    }

    private static Optional<Client> find(Handle h, String id) {
        return h.createQuery("select " + COLUMNS + " from clients c where c.id = :id").bind("id", id)
                .map((rs, ctx) -> map(rs)).findOne();
    }

    private static Client lock(Handle h, String id) {
        if (id == null || !ID.matcher(id).matches()) {
            throw notFound(id);
        }
        h.createQuery("select id from clients where id = :id for update").bind("id", id).mapTo(String.class).findOne()
                .orElseThrow(() -> notFound(id));
        return find(h, id).orElseThrow(() -> notFound(id));
    }

    private static ChangeRefusedException notFound(String id) {
        return ChangeRefusedException.notFound("client_not_found", "There is no client with the id '"
                + (id == null ? "" : id.length() > 64 ? id.substring(0, 64) + "..." : id) + "'.");
    }

    private static void insertSecret(Handle h, String clientId, String secret) {
        h.createUpdate("insert into client_secrets (client_id, secret_hash) values (:id, :hash)")
                .bind("id", clientId).bind("hash", Tokens.hash(secret)).execute();
    }

    private static void setTeams(Handle h, String clientId, List<TeamRef> teams) {
        h.createUpdate("delete from client_teams where client_id = :id").bind("id", clientId).execute();
        for (TeamRef team : teams) {
            h.createUpdate("insert into client_teams (client_id, team_id) values (:id, :team)")
                    .bind("id", clientId).bind("team", team.id()).execute();
        }
    }

    private static String checkId(String id) {
        if (id == null || !ID.matcher(id).matches()) {
            throw ChangeRefusedException.invalid("clientId", "The client id must be 1 to 64 letters, digits, '.', '_' or '-', "
                    + "starting with a letter or digit.");
        }
        return id;
    }

    private static String checkSecret(String secret) {
        if (secret.length() < MIN_SECRET_LENGTH || secret.length() > MAX_SECRET_LENGTH
                || secret.chars().anyMatch(c -> c <= 0x20 || c >= 0x7f)) {
            throw ChangeRefusedException.invalid("secret", "A client secret must be " + MIN_SECRET_LENGTH + " to "
                    + MAX_SECRET_LENGTH + " printable ASCII characters without spaces (for example: openssl rand -base64 32).");
        }
        return secret;
    }

    private static ClientType type(String code) {
        if (code == null) {
            return ClientType.CONFIDENTIAL;
        }
        return ClientType.of(code.strip().toLowerCase(Locale.ROOT)).orElseThrow(() ->
                ChangeRefusedException.invalid("type", "The type must be 'confidential' or 'public'."));
    }

    /** A spec checked against the rules and the teams that exist. */
    private record Checked(String name, ClientType type, List<String> redirectUris, List<String> postLogoutRedirectUris,
            String backchannelLogoutUri, List<String> grantTypes, List<TeamRef> teams, boolean restricted,
            GroupsClaim groupsClaim, int accessSeconds, int idTokenSeconds, int refreshSeconds, String signingAlgorithm) {
        Map<String, Object> bindings() {
            Map<String, Object> b = new LinkedHashMap<>();
            b.put("name", name);
            b.put("confidential", type == ClientType.CONFIDENTIAL);
            b.put("redirect", redirectUris.toArray(String[]::new));
            b.put("postLogout", postLogoutRedirectUris.toArray(String[]::new));
            b.put("backchannel", backchannelLogoutUri);
            b.put("grants", grantTypes.toArray(String[]::new));
            b.put("restricted", restricted);
            b.put("groups", groupsClaim.code());
            b.put("access", accessSeconds);
            b.put("idToken", idTokenSeconds);
            b.put("refresh", refreshSeconds);
            b.put("signing", signingAlgorithm);
            return b;
        }
    }

    private static Checked check(Handle h, ClientSpec spec, ClientType type) {
        String name = Inputs.required("name", spec.name(), MAX_NAME_LENGTH);
        List<String> redirect = uris("redirectUris", spec.redirectUris());
        List<String> postLogout = uris("postLogoutRedirectUris", spec.postLogoutRedirectUris());
        String backchannel = null;
        if (spec.backchannelLogoutUri() != null && !spec.backchannelLogoutUri().isBlank()) {
            backchannel = spec.backchannelLogoutUri().strip();
            Optional<String> problem = RedirectUris.problem(backchannel);
            if (problem.isPresent()) {
                throw ChangeRefusedException.invalid("backchannelLogoutUri", "The back-channel logout URI " + problem.get() + ".");
            }
        }
        List<String> grants = spec.grantTypes() == null ? GrantTypes.DEFAULT : List.copyOf(new LinkedHashSet<>(spec.grantTypes()));
        if (grants.isEmpty()) {
            throw ChangeRefusedException.invalid("grantTypes", "Give at least one grant type: " + String.join(", ", GrantTypes.ALL) + ".");
        }
        for (String grant : grants) {
            if (!GrantTypes.ALL.contains(grant)) {
                throw ChangeRefusedException.invalid("grantTypes", "Unknown grant type '" + shorten(grant) + "'; the broker offers "
                        + String.join(", ", GrantTypes.ALL) + ".");
            }
        }
        if (type == ClientType.PUBLIC && grants.contains(GrantTypes.CLIENT_CREDENTIALS)) {
            throw ChangeRefusedException.invalid("grantTypes", "client_credentials needs a confidential client: a public client "
                    + "cannot prove who it is.");
        }
        if (grants.contains(GrantTypes.AUTHORIZATION_CODE) && redirect.isEmpty()) {
            throw ChangeRefusedException.invalid("redirectUris", "A client that signs people in (authorization_code) needs at "
                    + "least one redirect URI.");
        }
        GroupsClaim groups = spec.groupsClaim() == null || spec.groupsClaim().isBlank() ? GroupsClaim.TEAMS
                : GroupsClaim.of(spec.groupsClaim().strip()).orElseThrow(() -> ChangeRefusedException.invalid("groupsClaim",
                        "The groups claim must be 'teams', 'external-groups' or 'permissions'."));
        int access = seconds("accessTokenSeconds", spec.accessTokenSeconds(), DEFAULT_ACCESS_TOKEN_SECONDS, 60, 86_400);
        int idToken = seconds("idTokenSeconds", spec.idTokenSeconds(), DEFAULT_ID_TOKEN_SECONDS, 60, 86_400);
        int refresh = seconds("refreshTokenSeconds", spec.refreshTokenSeconds(), DEFAULT_REFRESH_TOKEN_SECONDS, 300, 30 * 86_400);
        String signing = spec.signingAlgorithm() == null || spec.signingAlgorithm().isBlank() ? "RS256"
                : spec.signingAlgorithm().strip().toUpperCase(Locale.ROOT);
        if (!SIGNING_ALGORITHMS.contains(signing)) {
            throw ChangeRefusedException.invalid("signingAlgorithm", "The signing algorithm must be RS256 (the default, which "
                    + "every application accepts) or ES256.");
        }
        List<TeamRef> teams = teams(h, spec.teams());
        return new Checked(name, type, redirect, postLogout, backchannel, grants, teams,
                !teams.isEmpty() || spec.nobodyWithoutTeams(), groups,
                access, idToken, refresh, signing);
    }

    private static List<String> uris(String field, List<String> given) {
        List<String> out = new ArrayList<>();
        for (String uri : given) {
            String value = uri == null ? "" : uri.strip();
            Optional<String> problem = RedirectUris.problem(value);
            if (problem.isPresent()) {
                throw ChangeRefusedException.invalid(field, "Each URI " + problem.get() + ".");
            }
            if (!out.contains(value)) {
                out.add(value);
            }
        }
        if (out.size() > MAX_URIS) {
            throw ChangeRefusedException.invalid(field, "Register at most " + MAX_URIS + " URIs.");
        }
        return out;
    }

    private static int seconds(String field, Integer value, int fallback, int min, int max) {
        if (value == null) {
            return fallback;
        }
        if (value < min || value > max) {
            throw ChangeRefusedException.invalid(field, field + " must be between " + min + " and " + max + " seconds.");
        }
        return value;
    }

    private static List<TeamRef> teams(Handle h, List<String> names) {
        List<TeamRef> teams = new ArrayList<>();
        for (String raw : names) {
            String name = raw == null ? "" : raw.strip();
            Optional<TeamRef> team = h.createQuery("select id, name from teams where lower(name) = lower(:name)")
                    .bind("name", name).map((rs, ctx) -> new TeamRef(rs.getObject("id", UUID.class), rs.getString("name")))
                    .findOne();
            if (team.isEmpty()) {
                throw ChangeRefusedException.invalid("teams", "There is no team named '" + shorten(name) + "'; create it first "
                        + "or check the spelling.");
            }
            if (teams.stream().noneMatch(t -> t.id().equals(team.get().id()))) {
                teams.add(team.get());
            }
        }
        return teams;
    }

    private static Map<String, Object> details(Client after, Client before) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("clientId", after.id());
        details.put("name", after.name());
        details.put("type", after.type().code());
        details.put("redirectUris", after.redirectUris());
        details.put("grantTypes", after.grantTypes());
        details.put("teams", after.teams().stream().map(TeamRef::name).toList());
        if (before != null) {
            List<String> changed = new ArrayList<>();
            if (!before.name().equals(after.name())) {
                changed.add("name");
            }
            if (!before.redirectUris().equals(after.redirectUris())) {
                changed.add("redirectUris");
            }
            if (!before.postLogoutRedirectUris().equals(after.postLogoutRedirectUris())) {
                changed.add("postLogoutRedirectUris");
            }
            if (!java.util.Objects.equals(before.backchannelLogoutUri(), after.backchannelLogoutUri())) {
                changed.add("backchannelLogoutUri");
            }
            if (!before.grantTypes().equals(after.grantTypes())) {
                changed.add("grantTypes");
            }
            if (!before.teams().equals(after.teams())) {
                changed.add("teams");
            }
            if (before.groupsClaim() != after.groupsClaim()) {
                changed.add("groupsClaim");
            }
            if (!before.signingAlgorithm().equals(after.signingAlgorithm())) {
                changed.add("signingAlgorithm");
            }
            if (!before.accessTokenLifetime().equals(after.accessTokenLifetime())
                    || !before.idTokenLifetime().equals(after.idTokenLifetime())
                    || !before.refreshTokenLifetime().equals(after.refreshTokenLifetime())) {
                changed.add("lifetimes");
            }
            details.put("changed", changed);
        }
        return details;
    }

    private static Client map(ResultSet rs) throws SQLException {
        List<TeamRef> teams = new ArrayList<>();
        for (String ref : Users.strings(rs.getArray("team_refs"))) {
            int colon = ref.indexOf(':');
            teams.add(new TeamRef(UUID.fromString(ref.substring(0, colon)), ref.substring(colon + 1)));
        }
        Instant created = Users.instant(rs, "created");
        return new Client(rs.getString("id"), rs.getString("name"),
                rs.getBoolean("confidential") ? ClientType.CONFIDENTIAL : ClientType.PUBLIC,
                Users.strings(rs.getArray("redirect_uris")), Users.strings(rs.getArray("post_logout_redirect_uris")),
                rs.getString("backchannel_logout_uri"), Users.strings(rs.getArray("grant_types")),
                rs.getBoolean("team_restricted"), teams,
                GroupsClaim.of(rs.getString("groups_claim")).orElse(GroupsClaim.TEAMS),
                Duration.ofSeconds(rs.getInt("access_token_seconds")), Duration.ofSeconds(rs.getInt("id_token_seconds")),
                Duration.ofSeconds(rs.getInt("refresh_token_seconds")), created, Users.instant(rs, "updated"),
                rs.getString("signing_algorithm"));
    }

    private static String shorten(String value) {
        return value == null ? "" : value.length() > 40 ? value.substring(0, 40) + "..." : value;
    }
}
