package org.idbroker.providers.oidc;

import static java.util.Objects.requireNonNull;

import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.idbroker.spi.DefaultInstance;
import org.idbroker.spi.IdentityProvider;
import org.idbroker.spi.IdentityProviderFactory;
import org.idbroker.spi.InvalidSettingsException;
import org.idbroker.spi.ProviderContext;
import org.idbroker.spi.ProviderSettings;
import org.idbroker.spi.SettingDescriptor;

/**
 * The generic OpenID Connect provider type.
 *
 * <p>Derived types (such as an Authentik preset) either subclass it, calling the protected
 * constructor with their own type id, display name and setting defaults and overriding
 * {@link #issuer(ProviderSettings)} or {@link #discoveryUri(URI)}, or compose it: {@link #config(ProviderContext)}
 * validates settings into an {@link OidcConfig} from which {@link OidcProvider} is built directly.
 */
public class OidcProviderFactory implements IdentityProviderFactory {

    public static final String TYPE = "oidc";
    public static final String DISPLAY_NAME = "OpenID Connect";
    /** The generic type's default instance, the id the Authentik guide registers its redirect URI with. */
    public static final DefaultInstance DEFAULT_INSTANCE = new DefaultInstance("GenericOidc", DISPLAY_NAME);

    public static final String ISSUER = "issuer";
    public static final String CLIENT_ID = "clientId";
    public static final String CLIENT_SECRET = "clientSecret";
    public static final String ROLE_CLAIM_TYPE = "roleClaimType";
    public static final String USERNAME_CLAIM_TYPE = "usernameClaimType";
    public static final String RESOURCE = "resource";
    public static final String SCOPES = "scopes";
    public static final String CLOCK_SKEW_SECONDS = "clockSkewSeconds";
    public static final String IDP_TIMEOUT_SECONDS = "idpTimeoutSeconds";
    public static final String CLIENT_AUTHENTICATION = "clientAuthentication";
    public static final String SIGN_OUT_AT_IDP = "signOutAtIdp";
    public static final String USER_INFO = "userInfo";

    private static final int MAX_CLOCK_SKEW_SECONDS = 600;
    private static final int MAX_IDP_TIMEOUT_SECONDS = 60;

    private final String type;
    private final String displayName;
    private final List<SettingDescriptor> settings;

    /** The generic type: id {@code oidc}, "OpenID Connect", the standard defaults. */
    public OidcProviderFactory() {
        this(TYPE, DISPLAY_NAME, Map.of());
    }

    /**
     * A derived type.
     *
     * @param type the type id
     * @param displayName the name shown to administrators
     * @param defaultOverrides new default values by setting name, for example
     *     {@code clientAuthentication -> client_secret_post}
     */
    public OidcProviderFactory(String type, String displayName, Map<String, String> defaultOverrides) {
        this.type = requireNonNull(type, "type is null");
        this.displayName = requireNonNull(displayName, "displayName is null");
        requireNonNull(defaultOverrides, "defaultOverrides is null");
        List<SettingDescriptor> described = new ArrayList<>();
        for (SettingDescriptor descriptor : standardSettings()) {
            String override = defaultOverrides.get(descriptor.name());
            described.add(override == null ? descriptor : descriptor.withDefault(override));
        }
        for (String name : defaultOverrides.keySet()) {
            if (described.stream().noneMatch(d -> d.name().equals(name))) {
                throw new IllegalArgumentException("no setting named " + name);
            }
        }
        this.settings = List.copyOf(described);
    }

    /** The settings of the generic type with their standard defaults. */
    public static List<SettingDescriptor> standardSettings() {
        return List.of(
                SettingDescriptor.url(ISSUER, "Issuer",
                        "The issuer URL of the OpenID provider, exactly as it appears in its discovery document,"
                                + " for example https://auth.example.com/application/o/my-app/.", true),
                SettingDescriptor.text(CLIENT_ID, "Client ID", "The client id registered at the OpenID provider.", true, null),
                SettingDescriptor.secret(CLIENT_SECRET, "Client Secret",
                        "The client secret of a confidential client. Leave empty for a public client (PKCE only).", false),
                SettingDescriptor.text(ROLE_CLAIM_TYPE, "Role Claim Type",
                        "The claim that lists the person's groups or roles.", false, "groups"),
                SettingDescriptor.text(USERNAME_CLAIM_TYPE, "Username Claim Type",
                        "The claim used as username.", false, "preferred_username"),
                SettingDescriptor.text(RESOURCE, "Resource",
                        "Optional resource indicator (RFC 8707) sent with the authorization and token requests.", false, null),
                SettingDescriptor.list(SCOPES, "Scopes",
                        "The scopes to request, separated by spaces; must include openid.", false, "openid profile email"),
                SettingDescriptor.integer(CLOCK_SKEW_SECONDS, "Clock Skew (seconds)",
                        "How far the clocks of the broker and the OpenID provider may differ when token times are checked.", 60),
                SettingDescriptor.integer(IDP_TIMEOUT_SECONDS, "IdP Timeout (seconds)",
                        "How long one call to the OpenID provider (discovery, keys, token, userinfo) may take in all before the"
                                + " sign-in is refused as unavailable; a waiting sign-in holds one of the broker's request threads.",
                        (int) OidcConfig.DEFAULT_HTTP_TIMEOUT.toSeconds()),
                SettingDescriptor.choice(CLIENT_AUTHENTICATION, "Client Authentication",
                        "How the client secret is sent to the token endpoint. Choose client_secret_post when the provider"
                                + " does not URL-decode Basic credentials (Authentik).",
                        ClientAuthMethod.CLIENT_SECRET_BASIC.value(), ClientAuthMethod.names()),
                SettingDescriptor.bool(SIGN_OUT_AT_IDP, "Sign Out at the Provider",
                        "Whether signing out of the broker also ends the session at the OpenID provider.", true),
                SettingDescriptor.choice(USER_INFO, "Read Userinfo",
                        "When the broker asks the provider's userinfo endpoint: when-claims-missing reads it only when the ID"
                                + " token lacks a claim these settings use (the role and username claims, name, email,"
                                + " email_verified), as for a provider that sends groups only in userinfo; always reads it at"
                                + " every sign-in, for a provider whose userinfo says more than its ID token.",
                        UserInfoUse.WHEN_CLAIMS_MISSING.value(), UserInfoUse.names()));
    }

    @Override
    public String type() {
        return type;
    }

    /** The generic type is the one a new instance gets without a type; a derived type is not. */
    @Override
    public boolean defaultForNewInstances() {
        return TYPE.equals(type);
    }

    /** The generic type has the instance {@code GenericOidc}; a derived type has none. */
    @Override
    public Optional<DefaultInstance> defaultInstance() {
        return TYPE.equals(type) ? Optional.of(DEFAULT_INSTANCE) : Optional.empty();
    }

    @Override
    public String displayName() {
        return displayName;
    }

    @Override
    public List<SettingDescriptor> settings() {
        return settings;
    }

    @Override
    public IdentityProvider create(ProviderContext context) throws InvalidSettingsException {
        return newProvider(config(context));
    }

    /** Validates the settings of one instance and binds them to a typed configuration. */
    public OidcConfig config(ProviderContext context) throws InvalidSettingsException {
        requireNonNull(context, "context is null");
        ProviderSettings values = context.settings();
        // the values given are checked before the required ones, so a half-filled form still hears about them
        String roleClaim = nonEmpty(values, ROLE_CLAIM_TYPE);
        String usernameClaim = nonEmpty(values, USERNAME_CLAIM_TYPE);
        URI resource = resource(values);
        List<String> scopes = scopes(values);
        int skew = clockSkewSeconds(values);
        int timeout = idpTimeoutSeconds(values);
        String method = value(values, CLIENT_AUTHENTICATION).orElse(ClientAuthMethod.CLIENT_SECRET_BASIC.value());
        ClientAuthMethod clientAuthentication = ClientAuthMethod.parse(method).orElseThrow(() -> new InvalidSettingsException(
                CLIENT_AUTHENTICATION, "must be one of " + ClientAuthMethod.names() + ", got '" + method + "'"));
        boolean signOut = bool(values, SIGN_OUT_AT_IDP);
        String use = value(values, USER_INFO).orElse(UserInfoUse.WHEN_CLAIMS_MISSING.value());
        UserInfoUse userInfo = UserInfoUse.parse(use).orElseThrow(() -> new InvalidSettingsException(
                USER_INFO, "must be one of " + UserInfoUse.names() + ", got '" + use + "'"));
        URI issuer = issuer(values);
        String clientId = value(values, CLIENT_ID).orElseThrow(
                () -> new InvalidSettingsException(CLIENT_ID, "a client id is required: copy it from the OpenID provider"));
        String clientSecret = values.get(CLIENT_SECRET).orElse(null);
        return new OidcConfig(issuer, discoveryUri(issuer), clientId, clientSecret, roleClaim, usernameClaim, resource,
                scopes, Duration.ofSeconds(skew), clientAuthentication, signOut, context.redirectUri(),
                Duration.ofSeconds(timeout), OidcConfig.DEFAULT_DISCOVERY_LIFETIME, context.idpCalls(), userInfo);
    }

    /**
     * The issuer of an instance. The default reads and validates the {@code issuer} setting; a derived
     * type may compute it from other settings.
     */
    protected URI issuer(ProviderSettings values) throws InvalidSettingsException {
        String raw = value(values, ISSUER).orElseThrow(() -> new InvalidSettingsException(ISSUER,
                "an issuer URL is required, for example https://auth.example.com/application/o/my-app/"));
        return httpUrl(ISSUER, raw);
    }

    /** Where the discovery document of an issuer is read; by default {@link OidcConfig#discoveryUriFor(URI)}. */
    protected URI discoveryUri(URI issuer) {
        return OidcConfig.discoveryUriFor(issuer);
    }

    /** Builds the provider from a validated configuration. */
    protected IdentityProvider newProvider(OidcConfig config) {
        return new OidcProvider(config);
    }

    /**
     * Checks that a value is an absolute http(s) URL without query or fragment, using https unless
     * the host is a loopback address.
     */
    public static URI httpUrl(String setting, String raw) throws InvalidSettingsException {
        URI uri;
        try {
            uri = new URI(raw);
        } catch (URISyntaxException e) {
            throw new InvalidSettingsException(setting, "'" + raw + "' is not a valid URL: " + e.getReason());
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!uri.isAbsolute() || !(scheme.equals("https") || scheme.equals("http")) || uri.getHost() == null) {
            throw new InvalidSettingsException(setting, "must be an absolute http(s) URL such as https://auth.example.com/, got '" + raw + "'");
        }
        if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
            throw new InvalidSettingsException(setting, "must not contain a query (?) or a fragment (#): '" + raw + "'");
        }
        if (scheme.equals("http") && !isLoopback(uri.getHost())) {
            throw new InvalidSettingsException(setting, "must use https (http is only allowed for localhost): '" + raw + "'");
        }
        return uri;
    }

    /** Whether {@code host} is {@code localhost} or a loopback address; names are not resolved. */
    public static boolean isLoopback(String host) {
        if (host == null) {
            return false;
        }
        String h = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        if (h.equalsIgnoreCase("localhost")) {
            return true;
        }
        if (!h.matches("[0-9.]+") && !h.contains(":")) {
            return false; // a name: do not resolve it
        }
        try {
            return InetAddress.getByName(h).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    private URI resource(ProviderSettings values) throws InvalidSettingsException {
        Optional<String> raw = value(values, RESOURCE);
        if (raw.isEmpty()) {
            return null;
        }
        try {
            URI uri = new URI(raw.get());
            if (!uri.isAbsolute() || uri.getRawFragment() != null) {
                throw new InvalidSettingsException(RESOURCE, "must be an absolute URI without a fragment, got '" + raw.get() + "'");
            }
            return uri;
        } catch (URISyntaxException e) {
            throw new InvalidSettingsException(RESOURCE, "'" + raw.get() + "' is not a valid URI: " + e.getReason());
        }
    }

    private List<String> scopes(ProviderSettings values) throws InvalidSettingsException {
        List<String> scopes = values.get(SCOPES).isPresent() ? values.list(SCOPES)
                : new ProviderSettings(Map.of(SCOPES, defaultOf(SCOPES))).list(SCOPES);
        if (!scopes.contains("openid")) {
            throw new InvalidSettingsException(SCOPES, "must include openid, for example 'openid profile email', got '"
                    + String.join(" ", scopes) + "'");
        }
        return scopes.stream().distinct().toList();
    }

    private int clockSkewSeconds(ProviderSettings values) throws InvalidSettingsException {
        int skew = values.integer(CLOCK_SKEW_SECONDS, Integer.parseInt(defaultOf(CLOCK_SKEW_SECONDS)));
        if (skew < 0 || skew > MAX_CLOCK_SKEW_SECONDS) {
            throw new InvalidSettingsException(CLOCK_SKEW_SECONDS,
                    "must be between 0 and " + MAX_CLOCK_SKEW_SECONDS + " seconds, got " + skew);
        }
        return skew;
    }

    private int idpTimeoutSeconds(ProviderSettings values) throws InvalidSettingsException {
        int timeout = values.integer(IDP_TIMEOUT_SECONDS, Integer.parseInt(defaultOf(IDP_TIMEOUT_SECONDS)));
        if (timeout < 1 || timeout > MAX_IDP_TIMEOUT_SECONDS) {
            throw new InvalidSettingsException(IDP_TIMEOUT_SECONDS,
                    "must be between 1 and " + MAX_IDP_TIMEOUT_SECONDS + " seconds, got " + timeout);
        }
        return timeout;
    }

    private boolean bool(ProviderSettings values, String name) throws InvalidSettingsException {
        String raw = value(values, name).orElse(defaultOf(name)).toLowerCase(Locale.ROOT);
        if (!raw.equals("true") && !raw.equals("false")) {
            throw new InvalidSettingsException(name, "must be true or false, got '" + raw + "'");
        }
        return Boolean.parseBoolean(raw);
    }

    /** A setting that must not be blank: absent means its default, blank is refused. */
    private String nonEmpty(ProviderSettings values, String name) throws InvalidSettingsException {
        Optional<String> value = values.get(name);
        if (value.isPresent()) {
            return value.get();
        }
        if (values.values().containsKey(name) || defaultOf(name) == null) {
            throw new InvalidSettingsException(name, "must not be empty; the usual value is '" + standardDefault(name) + "'");
        }
        return defaultOf(name);
    }

    /** A value, falling back to this type's default. */
    private Optional<String> value(ProviderSettings values, String name) {
        return values.get(name).or(() -> Optional.ofNullable(defaultOf(name)));
    }

    private String defaultOf(String name) {
        return settings.stream().filter(d -> d.name().equals(name)).findFirst().map(SettingDescriptor::defaultValue).orElse(null);
    }

    private static String standardDefault(String name) {
        return standardSettings().stream().filter(d -> d.name().equals(name)).findFirst()
                .map(SettingDescriptor::defaultValue).orElse("");
    }
}
