package org.idbroker.core.clients;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.idbroker.core.teams.TeamRef;

/**
 * An application registered to sign people in through the broker. Its secrets are not part of it:
 * only their hashes are stored, apart.
 *
 * @param teamRestricted whether only members of {@code teams} may use it; a restricted client whose
 *     teams were all deleted lets nobody in
 * @param backchannelLogoutUri where it is told that a session ended, or {@code null}
 * @param signingAlgorithm what its tokens are signed with: {@code RS256} or {@code ES256} ({@link Clients#SIGNING_ALGORITHMS})
 */
public record Client(
        String id,
        String name,
        ClientType type,
        List<String> redirectUris,
        List<String> postLogoutRedirectUris,
        String backchannelLogoutUri,
        List<String> grantTypes,
        boolean teamRestricted,
        List<TeamRef> teams,
        GroupsClaim groupsClaim,
        Duration accessTokenLifetime,
        Duration idTokenLifetime,
        Duration refreshTokenLifetime,
        Instant created,
        Instant updated,
        String signingAlgorithm) {

    public Client {
        requireNonNull(id, "id is null");
        requireNonNull(name, "name is null");
        requireNonNull(type, "type is null");
        redirectUris = List.copyOf(redirectUris);
        postLogoutRedirectUris = List.copyOf(postLogoutRedirectUris);
        grantTypes = List.copyOf(grantTypes);
        teams = List.copyOf(teams);
        requireNonNull(groupsClaim, "groupsClaim is null");
        requireNonNull(signingAlgorithm, "signingAlgorithm is null");
    }

    public boolean confidential() {
        return type == ClientType.CONFIDENTIAL;
    }

    public boolean allows(String grantType) {
        return grantTypes.contains(grantType);
    }

    /** Whether {@code redirectUri} is registered, compared as a string: no prefix, case or normalisation tricks. */
    public boolean hasRedirectUri(String redirectUri) {
        return redirectUri != null && redirectUris.contains(redirectUri);
    }

    public boolean hasPostLogoutRedirectUri(String uri) {
        return uri != null && postLogoutRedirectUris.contains(uri);
    }

    /** Whether a user in these teams may use the client. */
    public boolean admits(List<TeamRef> userTeams) {
        if (!teamRestricted) {
            return true;
        }
        return userTeams.stream().anyMatch(t -> teams.stream().anyMatch(allowed -> allowed.id().equals(t.id())));
    }
}
