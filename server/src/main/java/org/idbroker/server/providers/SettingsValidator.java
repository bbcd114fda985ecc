package org.idbroker.server.providers;

import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.idbroker.spi.IdentityProviderFactory;
import org.idbroker.spi.SettingDescriptor;
import org.idbroker.spi.SettingKind;

/** Checks settings against a type's descriptions, with one message per field at fault. */
public final class SettingsValidator {

    private SettingsValidator() {
    }

    /**
     * @param factory the provider type
     * @param settings the plain settings as they will be stored
     * @param secretNames the secret settings that have a value (stored or given)
     * @return field name to message; empty when everything is acceptable
     */
    public static Map<String, String> validate(IdentityProviderFactory factory, Map<String, String> settings, Set<String> secretNames) {
        List<SettingDescriptor> descriptors = ProviderRegistry.descriptors(factory);
        Set<String> known = descriptors.stream().map(SettingDescriptor::name).collect(Collectors.toSet());
        Map<String, String> errors = new LinkedHashMap<>();
        settings.keySet().stream().filter(name -> !known.contains(name)).sorted()
                .forEach(name -> errors.put(name, "unknown setting for the provider type '" + factory.type()
                        + "'; known settings: " + String.join(", ", known.stream().sorted().toList())));
        boolean enabled = BrokerSettings.enabled(settings);
        for (SettingDescriptor d : descriptors) {
            String value = settings.get(d.name());
            boolean present = d.secret() ? secretNames.contains(d.name()) : value != null && !value.isBlank();
            if (!present) {
                if (d.required() && enabled && d.defaultValue() == null) {
                    errors.put(d.name(), d.label() + " is required when the provider is enabled");
                }
                continue;
            }
            if (d.secret()) {
                continue;
            }
            String problem = check(d, value.trim());
            if (problem != null) {
                errors.put(d.name(), problem);
            }
        }
        return errors;
    }

    /**
     * Values given empty for a setting that has a default, such as a claim type or the scopes: refused
     * rather than silently replaced by the default (leave the setting out to get the default).
     */
    public static Map<String, String> blanks(IdentityProviderFactory factory, Map<String, String> settings) {
        Map<String, String> errors = new LinkedHashMap<>();
        for (SettingDescriptor d : ProviderRegistry.descriptors(factory)) {
            String value = settings.get(d.name());
            if (value != null && value.isBlank() && !d.secret() && d.defaultValue() != null && !d.defaultValue().isBlank()) {
                errors.put(d.name(), d.label() + " must not be empty; leave it out to use the default '" + d.defaultValue() + "'");
            }
        }
        return errors;
    }

    static String check(SettingDescriptor d, String value) {
        int most = d.kind() == SettingKind.MULTILINE ? 16 * 1024 : 4096;
        if (value.length() > most) {
            return d.label() + " is too long (at most " + most + " characters)";
        }
        switch (d.kind()) {
            case BOOLEAN:
                if (!value.equals("true") && !value.equals("false")) {
                    return d.label() + " must be true or false, got '" + value + "'";
                }
                return null;
            case INTEGER:
                try {
                    Integer.parseInt(value);
                    return null;
                } catch (NumberFormatException e) {
                    return d.label() + " must be a whole number, got '" + value + "'";
                }
            case CHOICE:
                return d.choices().contains(value) ? null
                        : d.label() + " must be one of " + String.join(", ", d.choices()) + ", got '" + value + "'";
            case URL:
                return checkUrl(d.label(), value);
            default:
                return null;
        }
    }

    /** An absolute http(s) URL; https unless the host is a loopback address. */
    public static String checkUrl(String label, String value) {
        URI uri;
        try {
            uri = new URI(value);
        } catch (URISyntaxException e) {
            return label + " is not a valid URL: " + e.getReason();
        }
        if (!uri.isAbsolute() || uri.getHost() == null) {
            return label + " must be an absolute URL such as https://auth.example.com/application/o/my-app/, got '" + value + "'";
        }
        if ("http".equals(uri.getScheme())) {
            if (!isLoopback(uri.getHost())) {
                return label + " must use https (http is allowed only for a loopback address such as localhost), got '" + value + "'";
            }
        } else if (!"https".equals(uri.getScheme())) {
            return label + " must be an https URL, got '" + value + "'";
        }
        if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
            return label + " must not hold a query or a fragment, got '" + value + "'";
        }
        return null;
    }

    /** Whether {@code host} is {@code localhost} or a loopback address; names are not resolved. */
    public static boolean isLoopback(String host) {
        if (host == null) {
            return false;
        }
        String h = host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
        if (h.equalsIgnoreCase("localhost")) {
            return true;
        }
        if (!h.matches("[0-9.]+|[0-9a-fA-F:]+")) {
            return false;
        }
        try {
            return InetAddress.getByName(h).isLoopbackAddress();
        } catch (java.net.UnknownHostException e) {
            return false;
        }
    }
}
