package org.idbroker.providers.github;

import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.idbroker.spi.IdentityProvider;
import org.idbroker.spi.IdentityProviderFactory;
import org.idbroker.spi.InvalidSettingsException;
import org.idbroker.spi.ProviderContext;
import org.idbroker.spi.ProviderSettings;
import org.idbroker.spi.SettingDescriptor;

/**
 * The GitHub provider type ({@code github}): OAuth 2.0 sign-in at github.com or a GitHub Enterprise Server, with the
 * person's organisations and teams as groups. It depends on the SPI alone and ships as a jar in {@code providers/}.
 */
public final class GitHubProviderFactory implements IdentityProviderFactory {

    public static final String TYPE = "github";
    public static final String BASE_URL = "baseUrl";
    public static final String CLIENT_ID = "clientId";
    public static final String CLIENT_SECRET = "clientSecret";
    public static final String SCOPES = "scopes";
    public static final String TEAM_NAME_FIELD = "teamNameField";
    public static final String ALLOWED_ORGANIZATIONS = "allowedOrganizations";
    public static final String IDP_TIMEOUT_SECONDS = "idpTimeoutSeconds";

    private static final String DEFAULT_SCOPES = "read:user user:email read:org";
    private static final int DEFAULT_TIMEOUT_SECONDS = 5;
    private static final int MAX_TIMEOUT_SECONDS = 60;

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public String displayName() {
        return "GitHub";
    }

    @Override
    public List<SettingDescriptor> settings() {
        return List.of(
                SettingDescriptor.url(BASE_URL, "Base URL", "https://github.com, or the address of your GitHub Enterprise"
                        + " Server such as https://github.example.com (its API is at /api/v3). It is also the issuer of the"
                        + " identities.", false).withDefault(GitHubConfig.GITHUB_COM.toString()),
                SettingDescriptor.text(CLIENT_ID, "Client ID", "The Client ID of the OAuth app registered at GitHub"
                        + " (Settings > Developer settings > OAuth Apps).", true, null),
                SettingDescriptor.secret(CLIENT_SECRET, "Client Secret", "A client secret of that OAuth app.", true),
                SettingDescriptor.list(SCOPES, "Scopes", "The scopes to ask for, separated by spaces: read:user for the"
                        + " profile, user:email for the verified address, read:org for organisations and teams.", false,
                        DEFAULT_SCOPES),
                SettingDescriptor.choice(TEAM_NAME_FIELD, "Team Name Field", "How a team is named in the person's groups"
                        + " (org:team): by its slug (site-reliability) or its name (Site Reliability).", "slug",
                        List.of("slug", "name")),
                SettingDescriptor.list(ALLOWED_ORGANIZATIONS, "Allowed Organizations", "Only members of one of these"
                        + " organisations (logins, separated by spaces) may sign in; empty lets every GitHub user in.", false,
                        null),
                SettingDescriptor.integer(IDP_TIMEOUT_SECONDS, "IdP Timeout (seconds)", "How long one call to GitHub may take"
                        + " in all before the sign-in is refused as unavailable.", DEFAULT_TIMEOUT_SECONDS));
    }

    @Override
    public IdentityProvider create(ProviderContext context) throws InvalidSettingsException {
        return new GitHubProvider(config(context));
    }

    static GitHubConfig config(ProviderContext context) throws InvalidSettingsException {
        ProviderSettings values = context.settings();
        URI baseUrl = baseUrl(values.get(BASE_URL).orElse(GitHubConfig.GITHUB_COM.toString()));
        String teamField = values.get(TEAM_NAME_FIELD).orElse("slug").toLowerCase(Locale.ROOT);
        GitHubConfig.TeamName teamName = Arrays.stream(GitHubConfig.TeamName.values()).filter(t -> t.field().equals(teamField))
                .findFirst().orElseThrow(() -> new InvalidSettingsException(TEAM_NAME_FIELD,
                        "must be slug or name, got '" + teamField + "'"));
        int timeout = values.integer(IDP_TIMEOUT_SECONDS, DEFAULT_TIMEOUT_SECONDS);
        if (timeout < 1 || timeout > MAX_TIMEOUT_SECONDS) {
            throw new InvalidSettingsException(IDP_TIMEOUT_SECONDS, "must be between 1 and " + MAX_TIMEOUT_SECONDS
                    + " seconds, got " + timeout);
        }
        List<String> scopes = values.get(SCOPES).isPresent() ? values.list(SCOPES)
                : new ProviderSettings(java.util.Map.of(SCOPES, DEFAULT_SCOPES)).list(SCOPES);
        List<String> allowed = values.list(ALLOWED_ORGANIZATIONS);
        if (!allowed.isEmpty() && !scopes.contains("read:org")) {
            throw new InvalidSettingsException(SCOPES, "must include read:org while Allowed Organizations is set: without it"
                    + " GitHub shows no private organisation membership");
        }
        String clientId = values.get(CLIENT_ID).orElseThrow(() -> new InvalidSettingsException(CLIENT_ID,
                "a client id is required: copy it from the OAuth app's page at GitHub"));
        String clientSecret = values.get(CLIENT_SECRET).orElseThrow(() -> new InvalidSettingsException(CLIENT_SECRET,
                "a client secret is required: generate one on the OAuth app's page at GitHub"));
        return new GitHubConfig(baseUrl, clientId, clientSecret, scopes, teamName, allowed, context.redirectUri(),
                Duration.ofSeconds(timeout), context.idpCalls());
    }

    /** An absolute http(s) URL without query or fragment, https unless on a loopback address; no trailing slash. */
    static URI baseUrl(String raw) throws InvalidSettingsException {
        URI uri;
        try {
            uri = new URI(raw.endsWith("/") ? raw.substring(0, raw.length() - 1) : raw);
        } catch (URISyntaxException e) {
            throw new InvalidSettingsException(BASE_URL, "'" + raw + "' is not a valid URL: " + e.getReason());
        }
        String scheme = Optional.ofNullable(uri.getScheme()).orElse("").toLowerCase(Locale.ROOT);
        if (!uri.isAbsolute() || !(scheme.equals("https") || scheme.equals("http")) || uri.getHost() == null
                || uri.getRawQuery() != null || uri.getRawFragment() != null) {
            throw new InvalidSettingsException(BASE_URL, "must be an address such as https://github.com or"
                    + " https://github.example.com, without a query or fragment, got '" + raw + "'");
        }
        if (scheme.equals("http") && !isLoopback(uri.getHost())) {
            throw new InvalidSettingsException(BASE_URL, "must use https (http only for a loopback address such as"
                    + " localhost), got '" + raw + "'");
        }
        return uri;
    }

    private static boolean isLoopback(String host) {
        String h = host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
        if (h.equalsIgnoreCase("localhost")) {
            return true;
        }
        if (!h.matches("[0-9.]+") && !h.contains(":")) {
            return false; // a name: never resolved here
        }
        try {
            return InetAddress.getByName(h).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
