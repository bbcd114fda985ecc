package org.idbroker.core.auth;

import static java.util.Objects.requireNonNull;

import java.util.Optional;
import org.idbroker.core.apikeys.ApiKeys;
import org.idbroker.core.sessions.Sessions;
import org.idbroker.core.users.Caller;

/**
 * Finds who a request acts as: the user of the API key when one is presented (the session is then
 * ignored), else the session's user. Every look-up reads the database (session or key, user, teams and
 * permissions in one statement), so a revoked key, an ended session, a disabled user or a changed team
 * takes effect at once on every node.
 */
public final class Callers {

    private final Sessions sessions;
    private final ApiKeys apiKeys;

    public Callers(Sessions sessions, ApiKeys apiKeys) {
        this.sessions = requireNonNull(sessions, "sessions is null");
        this.apiKeys = requireNonNull(apiKeys, "apiKeys is null");
    }

    /**
     * Who presents these credentials, with their teams and permissions and, when {@code withIdentities},
     * their external identities: one statement on one connection.
     */
    public Optional<Caller> find(Credentials credentials, boolean withIdentities) {
        if (credentials.apiKey() != null) {
            return apiKeys.authenticate(credentials.apiKey().strip(), withIdentities)
                    .map(k -> k.caller().viaApiKey(k.key().id()));
        }
        String token = credentials.sessionToken();
        if (token == null || token.isEmpty()) {
            return Optional.empty();
        }
        return sessions.findWithUser(token, withIdentities).map(found -> found.caller().viaSession(found.session().id()));
    }
}
