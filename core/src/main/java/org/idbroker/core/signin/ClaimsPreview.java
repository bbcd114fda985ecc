package org.idbroker.core.signin;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * The result of a test sign-in: the claims received and what the broker would do.
 *
 * @param mode always {@code test} (the claims preview's mode code)
 * @param providerId the provider tested
 * @param outcome {@code would-sign-in} or {@code would-refuse}
 * @param refusal why it would be refused, or {@code null}
 * @param identity what the provider made of the claims, or {@code null} when the provider refused
 * @param claims the claims received (ID token merged with userinfo); never a token
 * @param user the account the person would be signed in as, or {@code null}
 * @param matchedBy the rule that found (or would create) the account: {@code external_identifier}, {@code email},
 *     {@code created}; or {@code null}
 * @param teams the teams the person would be in, each with why
 * @param permissions the permissions those teams would give
 */
public record ClaimsPreview(String mode, String providerId, String outcome, Refusal refusal, IdentityView identity,
        Map<String, Object> claims, UserView user, String matchedBy, List<TeamView> teams, Set<String> permissions) {

    /** @param by {@code provider} (the IdP's answer or the tokens) or {@code broker} (account matching) */
    public record Refusal(String by, String code, String message) {
    }

    public record IdentityView(String issuer, String subject, String username, String displayName, String email,
            boolean emailVerified, List<String> groups) {
    }

    /** @param exists false when the account would be created at this sign-in */
    public record UserView(UUID id, String username, String displayName, String email, boolean exists) {
    }

    /** @param via {@code group}, {@code member} or {@code everyone} */
    public record TeamView(String name, String via, String group) {
    }
}
