package org.idbroker.providers.github;

import static java.util.Objects.requireNonNull;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.idbroker.spi.IdpCalls;

/**
 * The typed configuration of one GitHub provider instance.
 *
 * @param baseUrl {@code https://github.com} or a GitHub Enterprise Server's address, without a trailing slash; also
 *     the issuer of the identities
 * @param clientId the OAuth app's client id
 * @param clientSecret the OAuth app's client secret
 * @param scopes the scopes asked for
 * @param teamName how a team is named in the groups: by its slug or its name
 * @param allowedOrganizations the organisations a person must be in (any one of them); empty lets everyone in
 * @param redirectUri the broker's callback address
 * @param timeout the deadline of every call to GitHub
 * @param idpCalls told of every call to GitHub
 */
record GitHubConfig(URI baseUrl, String clientId, String clientSecret, List<String> scopes, TeamName teamName,
        List<String> allowedOrganizations, URI redirectUri, Duration timeout, IdpCalls idpCalls) {

    /** How a team is named in a person's groups, after its organisation ({@code org:team}). */
    enum TeamName {
        SLUG("slug"), NAME("name");

        private final String field;

        TeamName(String field) {
            this.field = field;
        }

        /** The field of GitHub's team object that names it. */
        String field() {
            return field;
        }
    }

    static final URI GITHUB_COM = URI.create("https://github.com");

    GitHubConfig {
        requireNonNull(baseUrl, "baseUrl is null");
        requireNonNull(clientId, "clientId is null");
        requireNonNull(clientSecret, "clientSecret is null");
        scopes = List.copyOf(scopes);
        requireNonNull(teamName, "teamName is null");
        allowedOrganizations = List.copyOf(allowedOrganizations);
        requireNonNull(redirectUri, "redirectUri is null");
        requireNonNull(timeout, "timeout is null");
        requireNonNull(idpCalls, "idpCalls is null");
    }

    /** The issuer of the identities: the base URL, so the same numeric id on another GitHub is another person. */
    String issuer() {
        return baseUrl.toString();
    }

    URI authorizeUri() {
        return URI.create(baseUrl + "/login/oauth/authorize");
    }

    URI tokenUri() {
        return URI.create(baseUrl + "/login/oauth/access_token");
    }

    /** github.com's REST API is at api.github.com; a GitHub Enterprise Server's at its base URL's /api/v3. */
    URI apiUri() {
        return baseUrl.equals(GITHUB_COM) ? URI.create("https://api.github.com") : URI.create(baseUrl + "/api/v3");
    }

    @Override
    public String toString() {
        // never print the secret
        return "GitHubConfig[baseUrl=" + baseUrl + ", clientId=" + clientId + ", clientSecret=****, scopes=" + scopes
                + ", teamName=" + teamName.field() + ", allowedOrganizations=" + allowedOrganizations + "]";
    }
}
