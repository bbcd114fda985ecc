package org.idbroker.server.providers;

import static java.util.Objects.requireNonNull;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.idbroker.core.providers.ProviderRecord;
import org.idbroker.server.BrokerConfig;
import org.idbroker.spi.Finding;
import org.idbroker.spi.IdentityProvider;
import org.idbroker.spi.IdentityProviderFactory;
import org.idbroker.spi.SettingDescriptor;

/**
 * Checks one provider instance the way an expert would: the broker's own part (type installed,
 * enabled, secrets stored, settings usable, the redirect URI to register), then the provider's
 * protocol checks ({@link IdentityProvider#diagnose()}). The provider is built fresh from the stored
 * settings, so a disabled or half-configured instance can be examined before it is enabled.
 */
public final class ProviderDoctor {

    private final ProviderTypes types;
    private final ProviderInstances instances;
    private final URI publicUrl;

    /**
     * @param types the installed provider types
     * @param publicUrl the broker's public URL, normalized ({@link BrokerConfig#normalizePublicUrl})
     */
    public ProviderDoctor(ProviderTypes types, URI publicUrl) {
        this.types = requireNonNull(types, "types is null");
        this.instances = new ProviderInstances(types);
        this.publicUrl = requireNonNull(publicUrl, "publicUrl is null");
    }

    public List<Finding> examine(ProviderRecord record) {
        requireNonNull(record, "record is null");
        List<Finding> findings = new ArrayList<>();
        Optional<IdentityProviderFactory> found = types.find(record.type());
        if (found.isEmpty()) {
            findings.add(Finding.fail("provider type", "the type '" + record.type() + "' is not installed on this node;"
                    + " installed: " + types.all().stream().map(IdentityProviderFactory::type).toList()
                    + ". Put its jar in the providers folder or change the type"));
            return findings;
        }
        IdentityProviderFactory factory = found.get();
        List<SettingDescriptor> descriptors = ProviderRegistry.descriptors(factory);
        boolean enabled = BrokerSettings.enabled(ProviderInstances.effective(factory, record.settings()));
        findings.add(enabled ? Finding.ok("enabled", "the provider is enabled and shown on the sign-in page")
                : Finding.warn("enabled", "the provider is disabled: nobody can sign in with it. Turn Enabled on once"
                        + " the other findings are OK (an administrator can try it first with a test sign-in)"));
        for (SettingDescriptor d : descriptors) {
            if (!d.secret()) {
                continue;
            }
            boolean stored = record.secrets().containsKey(d.name());
            if (stored) {
                findings.add(Finding.ok("secret", d.label() + " is stored (encrypted)"));
            } else if (d.required()) {
                findings.add(Finding.fail("secret", d.label() + " is required but none is stored: enter it"));
            } else {
                findings.add(Finding.ok("secret", "no " + d.label() + " is stored: the broker acts as a public client;"
                        + " enter it if the provider made a confidential client"));
            }
        }
        Map<String, String> problems = SettingsValidator.validate(factory, record.settings(), record.secrets().keySet());
        problems.remove(BrokerSettings.ENABLED);
        URI redirect = BrokerConfig.redirectUri(publicUrl, record.id());
        IdentityProvider provider = null;
        if (problems.isEmpty()) {
            ProviderInstances.Instance built = instances.build(record, publicUrl);
            provider = built.provider();
            if (built.problem() != null) {
                problems.put(built.problem().setting() != null ? built.problem().setting() : "provider", built.problem().message());
            }
        }
        problems.forEach((name, message) -> findings.add(Finding.fail("settings", "setting '" + name + "': " + message)));
        if (provider != null) {
            try (IdentityProvider built = provider) {
                findings.add(Finding.ok("settings", "the settings are complete and valid"));
                try {
                    findings.addAll(built.diagnose());
                } catch (RuntimeException e) {
                    findings.add(Finding.fail("provider checks", "the provider type's own checks failed (" + e.getClass().getSimpleName()
                            + ": " + ProviderInstances.withoutSecrets(String.valueOf(e.getMessage()), record.secrets()) + ")"));
                }
            }
        }
        findings.add(redirectUri(redirect));
        findings.add(Finding.ok("back-channel logout uri", "to end broker sessions when the person signs out at the"
                + " provider, register this back-channel logout URI: " + BrokerConfig.backchannelLogoutUri(publicUrl, record.id())));
        return findings;
    }

    private Finding redirectUri(URI redirect) {
        if ("http".equals(publicUrl.getScheme()) && !SettingsValidator.isLoopback(publicUrl.getHost())) {
            return Finding.warn("redirect uri", "register this redirect URI at the provider, exactly as written: " + redirect
                    + ". It uses http: most providers refuse http redirect URIs other than localhost; set the public URL"
                    + " (--public-url) to the https address people use");
        }
        return Finding.ok("redirect uri", "register this redirect URI at the provider, exactly as written (scheme, host,"
                + " port, path and case): " + redirect);
    }

    /** Whether any finding is a FAIL. */
    public static boolean failed(List<Finding> findings) {
        return findings.stream().anyMatch(f -> f.severity() == Finding.Severity.FAIL);
    }

    /** One line per finding: {@code OK|WARN|FAIL  check  message}. */
    public static String format(Finding finding) {
        return String.format("%-4s  %s  %s", finding.severity(), finding.check(), finding.message());
    }
}
