package org.idbroker.providers.authentik;

import static java.util.Objects.requireNonNull;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.idbroker.providers.oidc.OidcConfig;
import org.idbroker.spi.AuthenticatedIdentity;
import org.idbroker.spi.CallbackRequest;
import org.idbroker.spi.EndSessionRequest;
import org.idbroker.spi.Finding;
import org.idbroker.spi.IdentityProvider;
import org.idbroker.spi.LogoutNotice;
import org.idbroker.spi.RejectionReason;
import org.idbroker.spi.SignInRejectedException;
import org.idbroker.spi.SignInRequest;
import org.idbroker.spi.SignInStart;

/**
 * An Authentik instance: the generic OpenID Connect provider, with refusals worded for Authentik's
 * settings and Authentik's own checks added to the diagnostics.
 */
final class AuthentikProvider implements IdentityProvider {

    static final String ENCRYPTED_MESSAGE =
            "encrypted tokens are not supported: leave the Encryption Key empty in the Authentik provider";

    private final IdentityProvider oidc;
    private final AuthentikDiagnostics diagnostics;

    AuthentikProvider(IdentityProvider oidc, OidcConfig config, boolean trustEmail) {
        this.oidc = requireNonNull(oidc, "oidc is null");
        this.diagnostics = new AuthentikDiagnostics(requireNonNull(config, "config is null"), trustEmail);
    }

    @Override
    public SignInStart startSignIn(SignInRequest request) throws SignInRejectedException {
        return oidc.startSignIn(request);
    }

    @Override
    public AuthenticatedIdentity finishSignIn(CallbackRequest callback, Map<String, String> remembered)
            throws SignInRejectedException {
        try {
            return oidc.finishSignIn(callback, remembered);
        } catch (SignInRejectedException e) {
            if (e.reason() == RejectionReason.TOKEN_ENCRYPTED) {
                throw new SignInRejectedException(RejectionReason.TOKEN_ENCRYPTED, ENCRYPTED_MESSAGE, e);
            }
            throw e;
        }
    }

    @Override
    public Optional<URI> endSessionUri(EndSessionRequest request) {
        return oidc.endSessionUri(request);
    }

    @Override
    public LogoutNotice validateLogoutToken(String logoutToken) throws SignInRejectedException {
        return oidc.validateLogoutToken(logoutToken);
    }

    /** The generic checks, reworded where Authentik differs, followed by Authentik's own. */
    @Override
    public List<Finding> diagnose() {
        List<Finding> findings = new ArrayList<>();
        for (Finding finding : oidc.diagnose()) {
            findings.add(diagnostics.reword(finding));
        }
        findings.addAll(diagnostics.run());
        return findings;
    }

    @Override
    public void close() {
        oidc.close();
    }
}
