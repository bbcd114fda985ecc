package org.idbroker.core.users;


/** What a username may be. */
public final class UsernamePolicy {

    public static final int MAX_LENGTH = 64;

    private UsernamePolicy() {
    }

    /** Refuses a username a person typed that cannot be stored. */
    public static void validate(String username) {
        if (username == null || username.isBlank()) {
            throw new IllegalArgumentException("username must not be empty");
        }
        if (username.length() > MAX_LENGTH) {
            throw new IllegalArgumentException("username must be at most " + MAX_LENGTH + " characters");
        }
        if (!username.equals(username.strip()) || username.chars().anyMatch(Character::isISOControl)) {
            throw new IllegalArgumentException("username must not start or end with spaces or hold control characters");
        }
    }

    /** Makes a usable username from a claim value, which the IdP controls. */
    public static String sanitize(String wanted) {
        String value = wanted == null ? "" : wanted.strip();
        StringBuilder clean = new StringBuilder();
        value.codePoints().filter(c -> !Character.isISOControl(c)).forEach(clean::appendCodePoint);
        String result = clean.toString().strip();
        if (result.length() > MAX_LENGTH - 4) {
            result = result.substring(0, MAX_LENGTH - 4);
        }
        return result.isEmpty() ? "user" : result;
    }

}
