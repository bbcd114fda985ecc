package org.idbroker.server.web.oidc;

import com.nimbusds.oauth2.sdk.Scope;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.idbroker.core.clients.Client;
import org.idbroker.core.oauth.Subjects;
import org.idbroker.core.teams.TeamRef;
import org.idbroker.core.users.User;

/**
 * The claims about a person a client receives, by scope: {@code profile} gives
 * {@code preferred_username} and {@code name}, {@code email} gives {@code email} and
 * {@code email_verified} (true only when the session's upstream sign-in vouched for that address: the
 * upstream said it verified it, or its provider's Trust Email is on), {@code groups} gives {@code groups} as the client chose (team names,
 * external groups, or permissions). {@code sub} is the broker's user id, never the upstream subject.
 */
final class OidcClaims {

    static final List<String> SUPPORTED = List.of("iss", "sub", "aud", "exp", "iat", "auth_time", "nonce", "at_hash", "sid",
            "preferred_username", "name", "email", "email_verified", "groups", "amr", "acr");

    private OidcClaims() {
    }

    static Map<String, Object> of(Subjects.Subject subject, Client client, Scope scope) {
        User user = subject.user();
        Map<String, Object> claims = new LinkedHashMap<>();
        if (scope.contains("profile")) {
            claims.put("preferred_username", user.username());
            if (user.displayName() != null) {
                claims.put("name", user.displayName());
            }
        }
        if (scope.contains("email") && user.email() != null) {
            claims.put("email", user.email());
            // true only when the sign-in of this session vouched for the address as it is now
            claims.put("email_verified", subject.emailVerified());
        }
        if (scope.contains("groups")) {
            claims.put("groups", groups(subject, client));
        }
        return claims;
    }

    private static List<String> groups(Subjects.Subject subject, Client client) {
        return switch (client.groupsClaim()) {
            case TEAMS -> subject.membership().teams().stream().map(TeamRef::name).toList();
            case EXTERNAL_GROUPS -> subject.user().externalGroups();
            case PERMISSIONS -> new ArrayList<>(subject.membership().permissions()).stream().sorted().toList();
        };
    }
}
