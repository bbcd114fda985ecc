package org.idbroker.spi;

import static java.util.Objects.requireNonNull;

/**
 * What a person typed into the broker's password form. The broker refuses an empty username or password
 * before it calls the provider; a provider must never log, store or echo the password.
 *
 * @param username the username as typed, without surrounding blanks
 * @param password the password exactly as typed
 */
public record PasswordCredentials(String username, String password) {

    public PasswordCredentials {
        requireNonNull(username, "username is null");
        requireNonNull(password, "password is null");
    }

    @Override
    public String toString() {
        // never print the password
        return "PasswordCredentials[username=" + username + "]";
    }
}
