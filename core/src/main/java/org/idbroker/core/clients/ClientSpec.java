package org.idbroker.core.clients;

import java.util.List;

/**
 * What an administrator asks a client to be. {@code null} lists are empty; {@code null} lifetimes and
 * groups claim take their defaults; {@code null} grant types the default set. Checked by {@link Clients}.
 *
 * @param teams the names of the teams whose members may use the client; empty for every active user
 *     (unless {@code nobodyWithoutTeams})
 * @param nobodyWithoutTeams whether the client stays restricted with no team, letting nobody in (a
 *     restricted client whose teams were all deleted, as a configuration file restores it)
 * @param signingAlgorithm {@code RS256} or {@code ES256}; {@code null} for {@code RS256}
 */
public record ClientSpec(
        String name,
        String type,
        List<String> redirectUris,
        List<String> postLogoutRedirectUris,
        String backchannelLogoutUri,
        List<String> grantTypes,
        List<String> teams,
        String groupsClaim,
        Integer accessTokenSeconds,
        Integer idTokenSeconds,
        Integer refreshTokenSeconds,
        String signingAlgorithm,
        boolean nobodyWithoutTeams) {

    /** A spec whose empty team list lets every active user in. */
    public ClientSpec(String name, String type, List<String> redirectUris, List<String> postLogoutRedirectUris,
            String backchannelLogoutUri, List<String> grantTypes, List<String> teams, String groupsClaim,
            Integer accessTokenSeconds, Integer idTokenSeconds, Integer refreshTokenSeconds) {
        this(name, type, redirectUris, postLogoutRedirectUris, backchannelLogoutUri, grantTypes, teams, groupsClaim,
                accessTokenSeconds, idTokenSeconds, refreshTokenSeconds, null, false);
    }

    public ClientSpec {
        redirectUris = redirectUris == null ? List.of() : redirectUris;
        postLogoutRedirectUris = postLogoutRedirectUris == null ? List.of() : postLogoutRedirectUris;
        teams = teams == null ? List.of() : teams;
    }

    /** The spec that gives the client exactly what it is now, to change a few fields of. */
    public static ClientSpec of(Client client) {
        return new ClientSpec(client.name(), client.type().code(), client.redirectUris(), client.postLogoutRedirectUris(),
                client.backchannelLogoutUri(), client.grantTypes(),
                client.teams().stream().map(t -> t.name()).toList(), client.groupsClaim().code(),
                (int) client.accessTokenLifetime().toSeconds(), (int) client.idTokenLifetime().toSeconds(),
                (int) client.refreshTokenLifetime().toSeconds(), client.signingAlgorithm(), false);
    }
}
