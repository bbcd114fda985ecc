package org.idbroker.core.signin;

import java.util.UUID;
import org.idbroker.core.users.User;

/**
 * The outcome of matching an identity: a user and the rule that found it, or a refusal.
 *
 * @param user the user, or {@code null} when refused
 * @param rule the rule that matched, or {@code null} when refused
 * @param externalIdentityId the linked external identity, or {@code null} when refused
 * @param refusal why it was refused, or {@code null}
 */
public record SignInDecision(User user, MatchRule rule, UUID externalIdentityId, SignInRefusal refusal) {

    public static SignInDecision refused(SignInRefusal refusal) {
        return new SignInDecision(null, null, null, refusal);
    }

    public boolean accepted() {
        return refusal == null;
    }
}
