package org.idbroker.spi;

import static java.util.Objects.requireNonNull;

/** A setting value that cannot be used, naming the setting and what to change. */
public final class InvalidSettingsException extends Exception {

    private final String setting;

    public InvalidSettingsException(String setting, String message) {
        super(requireNonNull(message, "message is null"));
        this.setting = requireNonNull(setting, "setting is null");
    }

    public InvalidSettingsException(String setting, String message, Throwable cause) {
        super(requireNonNull(message, "message is null"), cause);
        this.setting = requireNonNull(setting, "setting is null");
    }

    /** The name of the setting at fault. */
    public String setting() {
        return setting;
    }
}
