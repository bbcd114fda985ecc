package org.idbroker.spi;

import java.util.Map;

/**
 * The base of a provider whose type signs in with {@link SignInStyle#PASSWORD}: it checks credentials and has
 * no redirect, so the redirect steps refuse with {@link RejectionReason#UNSUPPORTED} (the broker never calls
 * them for such a type).
 */
public abstract class PasswordIdentityProvider implements IdentityProvider {

    @Override
    public abstract AuthenticatedIdentity signInWithPassword(PasswordCredentials credentials) throws SignInRejectedException;

    @Override
    public final SignInStart startSignIn(SignInRequest request) throws SignInRejectedException {
        throw new SignInRejectedException(RejectionReason.UNSUPPORTED, "this provider signs in with a password, not a redirect");
    }

    @Override
    public final AuthenticatedIdentity finishSignIn(CallbackRequest callback, Map<String, String> remembered)
            throws SignInRejectedException {
        throw new SignInRejectedException(RejectionReason.UNSUPPORTED, "this provider signs in with a password, not a redirect");
    }
}
