package org.idbroker.spi;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * Describes one setting of a provider type.
 *
 * @param name key under which the value is stored and sent over the API, for example {@code clientId}
 * @param label short human label, for example "Client ID"
 * @param help one or two sentences telling an administrator what to enter
 * @param kind how the value is entered and validated
 * @param required whether a value must be present when the instance is enabled
 * @param defaultValue value used when none is given, or {@code null}
 * @param secret whether the value is write-only, encrypted at rest and masked everywhere
 * @param choices the allowed values of a {@link SettingKind#CHOICE} setting, else empty
 */
public record SettingDescriptor(
        String name,
        String label,
        String help,
        SettingKind kind,
        boolean required,
        String defaultValue,
        boolean secret,
        List<String> choices) {

    public SettingDescriptor {
        requireNonNull(name, "name is null");
        requireNonNull(label, "label is null");
        requireNonNull(help, "help is null");
        requireNonNull(kind, "kind is null");
        choices = List.copyOf(requireNonNull(choices, "choices is null"));
        if (!name.matches("[a-zA-Z][a-zA-Z0-9]*")) {
            throw new IllegalArgumentException("setting name must be alphanumeric: " + name);
        }
    }

    public static SettingDescriptor text(String name, String label, String help, boolean required, String defaultValue) {
        return new SettingDescriptor(name, label, help, SettingKind.STRING, required, defaultValue, false, List.of());
    }

    /** Free text of several lines, such as a PEM certificate. */
    public static SettingDescriptor multiline(String name, String label, String help, boolean required) {
        return new SettingDescriptor(name, label, help, SettingKind.MULTILINE, required, null, false, List.of());
    }

    public static SettingDescriptor url(String name, String label, String help, boolean required) {
        return new SettingDescriptor(name, label, help, SettingKind.URL, required, null, false, List.of());
    }

    public static SettingDescriptor secret(String name, String label, String help, boolean required) {
        return new SettingDescriptor(name, label, help, SettingKind.STRING, required, null, true, List.of());
    }

    public static SettingDescriptor bool(String name, String label, String help, boolean defaultValue) {
        return new SettingDescriptor(name, label, help, SettingKind.BOOLEAN, false, Boolean.toString(defaultValue), false, List.of());
    }

    public static SettingDescriptor integer(String name, String label, String help, int defaultValue) {
        return new SettingDescriptor(name, label, help, SettingKind.INTEGER, false, Integer.toString(defaultValue), false, List.of());
    }

    public static SettingDescriptor list(String name, String label, String help, boolean required, String defaultValue) {
        return new SettingDescriptor(name, label, help, SettingKind.LIST, required, defaultValue, false, List.of());
    }

    public static SettingDescriptor choice(String name, String label, String help, String defaultValue, List<String> choices) {
        return new SettingDescriptor(name, label, help, SettingKind.CHOICE, false, defaultValue, false, choices);
    }

    /** The same setting with another default, for presets of a derived provider type. */
    public SettingDescriptor withDefault(String newDefault) {
        return new SettingDescriptor(name, label, help, kind, required, newDefault, secret, choices);
    }
}
