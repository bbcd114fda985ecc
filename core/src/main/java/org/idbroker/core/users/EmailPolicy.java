package org.idbroker.core.users;

/** What an email address may be: just enough to catch typing mistakes. */
public final class EmailPolicy {

    private EmailPolicy() {
    }

    public static void validate(String email) {
        if (email == null || email.isBlank()) {
            throw new IllegalArgumentException("email must not be empty: it is how the first sign-in finds this account");
        }
        if (email.length() > 254 || !email.matches("[^@\\s]+@[^@\\s]+")) {
            throw new IllegalArgumentException("email must look like name@example.com, got '" + email + "'");
        }
    }
}
