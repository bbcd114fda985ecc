package org.idbroker.providers.authentik;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.idbroker.providers.oidc.OidcConfig;
import org.idbroker.spi.AuthenticatedIdentity;
import org.idbroker.spi.CallbackRequest;
import org.idbroker.spi.Finding;
import org.idbroker.spi.ForwardingIdentityProvider;
import org.idbroker.spi.IdentityProvider;
import org.idbroker.spi.RejectionReason;
import org.idbroker.spi.SignInRejectedException;

/**
 * An Authentik instance: the generic OpenID Connect provider, with refusals worded for Authentik's
 * settings and Authentik's own checks added to the diagnostics.
 */
final class AuthentikProvider extends ForwardingIdentityProvider {

    static final String ENCRYPTED_MESSAGE =
            "encrypted tokens are not supported: leave the Encryption Key empty in the Authentik provider";

    private final AuthentikDiagnostics diagnostics;

    AuthentikProvider(IdentityProvider oidc, OidcConfig config, boolean trustEmail) {
        super(oidc);
        this.diagnostics = new AuthentikDiagnostics(requireNonNull(config, "config is null"), trustEmail);
    }

    @Override
    public AuthenticatedIdentity finishSignIn(CallbackRequest callback, Map<String, String> remembered)
            throws SignInRejectedException {
        try {
            return super.finishSignIn(callback, remembered);
        } catch (SignInRejectedException e) {
            if (e.reason() == RejectionReason.TOKEN_ENCRYPTED) {
                throw new SignInRejectedException(RejectionReason.TOKEN_ENCRYPTED, ENCRYPTED_MESSAGE, e);
            }
            throw e;
        }
    }

    /** The generic checks, reworded where Authentik differs, followed by Authentik's own. */
    @Override
    public List<Finding> diagnose() {
        List<Finding> findings = new ArrayList<>();
        for (Finding finding : super.diagnose()) {
            findings.add(diagnostics.reword(finding));
        }
        findings.addAll(diagnostics.run());
        return findings;
    }
}
