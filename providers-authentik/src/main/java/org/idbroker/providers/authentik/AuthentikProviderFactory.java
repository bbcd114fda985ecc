package org.idbroker.providers.authentik;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.idbroker.providers.oidc.ClientAuthMethod;
import org.idbroker.providers.oidc.OidcConfig;
import org.idbroker.providers.oidc.OidcProvider;
import org.idbroker.providers.oidc.OidcProviderFactory;
import org.idbroker.spi.IdentityProvider;
import org.idbroker.spi.InvalidSettingsException;
import org.idbroker.spi.ProviderContext;
import org.idbroker.spi.ProviderSettings;
import org.idbroker.spi.SettingDescriptor;

/**
 * The Authentik provider type: the generic OpenID Connect provider with Authentik's presets, an
 * issuer derived from the Authentik address and the application slug, Authentik's own refusal of
 * encrypted tokens, and diagnostics that speak Authentik's settings.
 */
public final class AuthentikProviderFactory extends OidcProviderFactory {

    public static final String TYPE = "authentik";
    public static final String DISPLAY_NAME = "Authentik";
    public static final String BASE_URL = "baseUrl";
    public static final String APPLICATION_SLUG = "applicationSlug";

    /** The broker's own setting, which every provider receives with its settings. */
    static final String TRUST_EMAIL = "trustEmail";

    static final Map<String, String> PRESETS = Map.of(
            SCOPES, "openid profile email groups",
            ROLE_CLAIM_TYPE, "groups",
            USERNAME_CLAIM_TYPE, "preferred_username",
            CLIENT_AUTHENTICATION, ClientAuthMethod.CLIENT_SECRET_POST.value());

    private static final String SLUG_PATTERN = "[-a-zA-Z0-9_]+";

    private final List<SettingDescriptor> settings;

    public AuthentikProviderFactory() {
        super(TYPE, DISPLAY_NAME, PRESETS);
        List<SettingDescriptor> described = new ArrayList<>();
        for (SettingDescriptor d : super.settings()) {
            if (d.name().equals(ISSUER)) {
                described.add(new SettingDescriptor(ISSUER, d.label(), "The issuer of the Authentik provider, as shown on its"
                        + " page: https://HOST/application/o/SLUG/ (with the trailing slash), or https://HOST/ in global"
                        + " issuer mode. Leave empty to derive it from the Base URL and the Application Slug.",
                        d.kind(), false, null, false, List.of()));
                described.add(SettingDescriptor.url(BASE_URL, "Authentik Base URL",
                        "The address of Authentik, such as https://auth.example.com; used with the Application Slug when"
                                + " the Issuer is empty.", false));
                described.add(SettingDescriptor.text(APPLICATION_SLUG, "Application Slug",
                        "The slug of the Authentik application, such as my-app; used with the Base URL when the Issuer is empty.",
                        false, null));
            } else {
                described.add(d);
            }
        }
        this.settings = List.copyOf(described);
    }

    @Override
    public List<SettingDescriptor> settings() {
        return settings;
    }

    @Override
    public IdentityProvider create(ProviderContext context) throws InvalidSettingsException {
        OidcConfig config = config(context);
        boolean trustEmail = context.settings().bool(TRUST_EMAIL, false);
        return new AuthentikProvider(new OidcProvider(config), config, trustEmail);
    }

    @Override
    protected IdentityProvider newProvider(OidcConfig config) {
        return new AuthentikProvider(new OidcProvider(config), config, false);
    }

    /** The Issuer when given; else {@code BASE/application/o/SLUG/}. */
    @Override
    protected URI issuer(ProviderSettings values) throws InvalidSettingsException {
        if (values.get(ISSUER).isPresent()) {
            return super.issuer(values);
        }
        Optional<String> base = values.get(BASE_URL);
        Optional<String> slug = values.get(APPLICATION_SLUG);
        if (base.isEmpty() && slug.isEmpty()) {
            throw new InvalidSettingsException(ISSUER, "give the Issuer (https://HOST/application/o/SLUG/, as shown on the"
                    + " Authentik provider's page) or the Authentik Base URL and the Application Slug");
        }
        if (base.isEmpty()) {
            throw new InvalidSettingsException(BASE_URL, "the Authentik Base URL is required with the Application Slug,"
                    + " for example https://auth.example.com (or give the Issuer instead)");
        }
        if (slug.isEmpty()) {
            throw new InvalidSettingsException(APPLICATION_SLUG, "the Application Slug is required with the Base URL,"
                    + " for example my-app (or give the Issuer instead)");
        }
        return derivedIssuer(base.get(), slug.get());
    }

    /** {@code https://HOST/application/o/SLUG/}: one slash between the parts, always the trailing slash. */
    static URI derivedIssuer(String baseUrl, String slug) throws InvalidSettingsException {
        URI base = httpUrl(BASE_URL, baseUrl);
        if (!slug.matches(SLUG_PATTERN)) {
            throw new InvalidSettingsException(APPLICATION_SLUG, "an Authentik slug holds only letters, digits, '-' and '_',"
                    + " got '" + slug + "'; copy it from the application's page in Authentik");
        }
        String text = base.toString();
        while (text.endsWith("/")) {
            text = text.substring(0, text.length() - 1);
        }
        if (text.endsWith("/application/o/" + slug)) {
            throw new InvalidSettingsException(BASE_URL, "give Authentik's address without /application/o/" + slug
                    + ", for example " + text.substring(0, text.length() - ("/application/o/" + slug).length()));
        }
        return URI.create(text + "/application/o/" + slug + "/");
    }
}
