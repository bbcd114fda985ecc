package org.idbroker.testkit;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * A person who signs in at the IdP under test. The IdP turns it into claims its own way (Authentik,
 * for example, hashes the id into a 64-hex {@code sub} and always says {@code email_verified: false}).
 *
 * @param id the person's id at the IdP, from which the IdP derives {@code sub}
 * @param username the username ({@code preferred_username})
 * @param displayName the full name ({@code name})
 * @param email the email address
 * @param emailVerified whether the IdP would say it verified the address, if it can
 * @param groups the names of the person's groups at the IdP
 */
public record TestPerson(String id, String username, String displayName, String email, boolean emailVerified,
        List<String> groups) {

    public TestPerson {
        requireNonNull(id, "id is null");
        requireNonNull(username, "username is null");
        requireNonNull(displayName, "displayName is null");
        requireNonNull(email, "email is null");
        groups = List.copyOf(requireNonNull(groups, "groups is null"));
    }

    public TestPerson withEmail(String newEmail, boolean verified) {
        return new TestPerson(id, username, displayName, newEmail, verified, groups);
    }

    public TestPerson withGroups(List<String> newGroups) {
        return new TestPerson(id, username, displayName, email, emailVerified, newGroups);
    }
}
