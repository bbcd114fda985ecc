package org.idbroker.core.signin;

import static java.util.Objects.requireNonNull;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.idbroker.core.users.User;
import org.idbroker.core.users.Users;
import org.idbroker.spi.AuthenticatedIdentity;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * Matches an identity the IdP vouched for to a user account, as the sign-in guide says:
 * <ol>
 *   <li>a user linked to this issuer and subject;</li>
 *   <li>else a user with the same email address (case-insensitive), linked for next time, but only
 *       when the email is verified or the provider is set to trust it;</li>
 *   <li>else, when automatic creation is allowed, a new user from the claims;</li>
 *   <li>else refused.</li>
 * </ol>
 * The user's external groups are replaced with the ones from this sign-in.
 */
public final class IdentityMatcher {

    private final Jdbi jdbi;

    public IdentityMatcher(Jdbi jdbi) {
        this.jdbi = requireNonNull(jdbi, "jdbi is null");
    }

    /**
     * Matches, links or creates in the caller's transaction (the sign-in's, which also writes the event
     * and starts the session: one commit per sign-in). A refusal is decided before anything is written.
     */
    public SignInDecision match(Handle h, ProviderPolicy policy, AuthenticatedIdentity identity) {
        requireNonNull(policy, "policy is null");
        requireNonNull(identity, "identity is null");
        return decide(h, policy, identity);
    }

    /** What {@link #match} would decide, without changing anything (the claims preview). */
    public SignInDecision preview(ProviderPolicy policy, AuthenticatedIdentity identity) {
        return jdbi.withHandle(h -> {
            h.begin();
            try {
                return decide(h, policy, identity);
            } finally {
                h.rollback();
            }
        });
    }

    private static SignInDecision decide(Handle h, ProviderPolicy policy, AuthenticatedIdentity identity) {
        List<String> groups = List.copyOf(new LinkedHashSet<>(identity.groups()));
        // the linked user, and (only when active) the identity's last sign-in and email brought up to date: one round trip
        Optional<Linked> linked = h.createQuery("""
                with linked as (
                    select ei.id as identity_id, u.id, u.username, u.display_name, u.email, u.active, u.external_groups, u.created
                    from external_identities ei join users u on u.id = ei.user_id
                    where ei.issuer = :issuer and ei.subject = :subject),
                touched as (
                    update external_identities set last_sign_in = now(), email = coalesce(:email, email)
                    where id = (select identity_id from linked where active))
                select * from linked""")
                .bind("issuer", identity.issuer()).bind("subject", identity.subject()).bind("email", identity.email())
                .map((rs, ctx) -> new Linked(rs.getObject("identity_id", UUID.class), Users.USER.map(rs, ctx)))
                .findOne();
        if (linked.isPresent()) {
            User user = linked.get().user();
            if (!user.active()) {
                return SignInDecision.refused(SignInRefusal.USER_INACTIVE);
            }
            return new SignInDecision(replaceGroups(h, user, groups), MatchRule.EXTERNAL_IDENTIFIER, linked.get().identityId(), null);
        }
        if (identity.email() != null && !identity.email().isBlank()) {
            List<User> sameEmail = Users.findByEmail(h, identity.email());
            if (sameEmail.size() > 1) {
                return SignInDecision.refused(SignInRefusal.AMBIGUOUS_EMAIL);
            }
            if (sameEmail.size() == 1) {
                User user = sameEmail.get(0);
                if (!identity.emailVerified() && !policy.trustEmail()) {
                    return SignInDecision.refused(SignInRefusal.EMAIL_NOT_VERIFIED);
                }
                if (!user.active()) {
                    return SignInDecision.refused(SignInRefusal.USER_INACTIVE);
                }
                UUID identityId = link(h, user.id(), policy.providerId(), identity);
                return new SignInDecision(replaceGroups(h, user, groups), MatchRule.EMAIL, identityId, null);
            }
        }
        if (!policy.allowAutoUserCreation()) {
            return SignInDecision.refused(SignInRefusal.NO_MATCHING_ACCOUNT);
        }
        String wanted = firstPresent(identity.username(), localPart(identity.email()), "user");
        String displayName = firstPresent(identity.displayName(), identity.username(), wanted);
        User created = Users.createWithUniqueUsername(h, wanted, displayName, identity.email());
        UUID identityId = link(h, created.id(), policy.providerId(), identity);
        return new SignInDecision(replaceGroups(h, created, groups), MatchRule.CREATED, identityId, null);
    }

    private static UUID link(Handle h, UUID userId, String providerId, AuthenticatedIdentity identity) {
        return h.createQuery("""
                insert into external_identities (user_id, provider_id, issuer, subject, email, last_sign_in)
                values (:user, :provider, :issuer, :subject, :email, now()) returning id""")
                .bind("user", userId).bind("provider", providerId).bind("issuer", identity.issuer())
                .bind("subject", identity.subject()).bind("email", identity.email())
                .mapTo(UUID.class).one();
    }

    private static User replaceGroups(Handle h, User user, List<String> groups) {
        if (user.externalGroups().equals(groups)) {
            return user;
        }
        h.createUpdate("update users set external_groups = :groups where id = :id")
                .bind("groups", groups.toArray(String[]::new)).bind("id", user.id()).execute();
        return new User(user.id(), user.username(), user.displayName(), user.email(), user.active(), groups, user.created());
    }

    private static String firstPresent(String... values) {
        for (String value : values) {
            if (value != null && !value.isBlank()) {
                return value;
            }
        }
        return null;
    }

    private static String localPart(String email) {
        if (email == null) {
            return null;
        }
        int at = email.indexOf('@');
        return at > 0 ? email.substring(0, at) : null;
    }

    private record Linked(UUID identityId, User user) {
    }
}
