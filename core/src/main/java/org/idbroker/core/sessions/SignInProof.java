package org.idbroker.core.sessions;

import java.util.List;
import java.util.Locale;
import org.idbroker.spi.AuthenticatedIdentity;

/**
 * What the sign-in that made a session proved, told to the applications that sign in through it.
 *
 * @param verifiedEmail the account's email address when the upstream vouched for it at this sign-in (it
 *     said {@code email_verified: true}, or its provider's Trust Email is on), else {@code null}
 * @param amr the upstream's authentication methods ({@code amr}), empty when it sent none
 * @param acr the upstream's authentication context class ({@code acr}), or {@code null}
 */
public record SignInProof(String verifiedEmail, List<String> amr, String acr) {

    public static final SignInProof NONE = new SignInProof(null, List.of(), null);
    static final int MAX_AMR_VALUES = 10;
    static final int MAX_VALUE_LENGTH = 128;

    public SignInProof {
        amr = amr == null ? List.of() : List.copyOf(amr);
    }

    /** What {@code identity} proves about the account whose address is {@code accountEmail}. */
    public static SignInProof of(AuthenticatedIdentity identity, boolean trustEmail, String accountEmail) {
        boolean vouched = (identity.emailVerified() || trustEmail) && identity.email() != null && accountEmail != null
                && identity.email().toLowerCase(Locale.ROOT).equals(accountEmail.toLowerCase(Locale.ROOT));
        List<String> amr = identity.claims().get("amr") instanceof List<?> values
                ? values.stream().filter(SignInProof::usable).map(String.class::cast).limit(MAX_AMR_VALUES).toList()
                : List.of();
        Object acr = identity.claims().get("acr");
        return new SignInProof(vouched ? accountEmail : null, amr, usable(acr) ? (String) acr : null);
    }

    /** Whether the session's proof covers {@code email}, the account's address now (an administrator may have changed it). */
    public boolean vouchesFor(String email) {
        return verifiedEmail != null && email != null && verifiedEmail.equalsIgnoreCase(email);
    }

    private static boolean usable(Object value) {
        return value instanceof String s && !s.isEmpty() && s.length() <= MAX_VALUE_LENGTH
                && s.chars().allMatch(c -> c > 0x20 && c < 0x7f);
    }
}
