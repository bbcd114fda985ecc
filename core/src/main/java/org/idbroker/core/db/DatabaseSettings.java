package org.idbroker.core.db;

import static java.util.Objects.requireNonNull;

/**
 * Where the database is.
 *
 * @param jdbcUrl a {@code jdbc:postgresql://} URL
 * @param username the user, or {@code null} to use the URL's or the driver's default
 * @param password the password, or {@code null}
 * @param maxPoolSize the most connections this node opens
 */
public record DatabaseSettings(String jdbcUrl, String username, String password, int maxPoolSize) {

    public DatabaseSettings {
        requireNonNull(jdbcUrl, "jdbcUrl is null");
        if (!jdbcUrl.startsWith("jdbc:postgresql://") || jdbcUrl.length() <= "jdbc:postgresql://".length()) {
            throw new IllegalArgumentException("the database URL must look like jdbc:postgresql://HOST[:PORT]/DATABASE, got '"
                    + jdbcUrl + "'");
        }
        if (maxPoolSize < 1) {
            throw new IllegalArgumentException("maxPoolSize must be at least 1");
        }
    }

    @Override
    public String toString() {
        return "DatabaseSettings[jdbcUrl=" + jdbcUrl + ", username=" + username + ", maxPoolSize=" + maxPoolSize + "]";
    }
}
