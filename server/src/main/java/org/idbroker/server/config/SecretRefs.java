package org.idbroker.server.config;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Function;

/** Resolves a file's secret references: {@code {env: NAME}} from the environment, {@code {file: /path}} from a file. */
final class SecretRefs implements Function<ConfigFile.SecretRef, String> {

    private static final int MAX_SECRET_BYTES = 64 * 1024;

    private final Function<String, String> environment;

    SecretRefs(Function<String, String> environment) {
        this.environment = requireNonNull(environment, "environment is null");
    }

    /**
     * The value, stripped of surrounding spaces and line ends.
     *
     * @throws IllegalArgumentException saying why there is no value, never what a value was
     */
    @Override
    public String apply(ConfigFile.SecretRef ref) {
        if (ref.env() != null) {
            String value = environment.apply(ref.env());
            if (value == null || value.isBlank()) {
                throw new IllegalArgumentException("the environment variable " + ref.env() + " is not set");
            }
            return value.strip();
        }
        Path path = Path.of(ref.file());
        try {
            if (Files.size(path) > MAX_SECRET_BYTES) {
                throw new IllegalArgumentException("the secret file " + ref.file() + " is larger than " + MAX_SECRET_BYTES + " bytes");
            }
            String value = Files.readString(path).strip();
            if (value.isEmpty()) {
                throw new IllegalArgumentException("the secret file " + ref.file() + " is empty");
            }
            return value;
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read the secret file " + ref.file() + ": " + e.getClass().getSimpleName());
        }
    }
}
