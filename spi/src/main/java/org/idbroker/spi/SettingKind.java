package org.idbroker.spi;

/** How a setting is entered and validated. */
public enum SettingKind {
    /** Free text on one line. */
    STRING,
    /** Free text of several lines, such as a PEM certificate (at most 16 KiB). */
    MULTILINE,
    /** An absolute http(s) URL; https unless the host is a loopback address. */
    URL,
    /** {@code true} or {@code false}. */
    BOOLEAN,
    /** A whole number. */
    INTEGER,
    /** Values separated by spaces, such as scopes. */
    LIST,
    /** One value from {@link SettingDescriptor#choices()}. */
    CHOICE
}
