package org.idbroker.spi;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A provider that hands every call to another one: the base for a type that adapts another type
 * (override what differs), so a method added to {@link IdentityProvider} is forwarded, never silently
 * answered with its default.
 */
public abstract class ForwardingIdentityProvider implements IdentityProvider {

    private final IdentityProvider delegate;

    protected ForwardingIdentityProvider(IdentityProvider delegate) {
        this.delegate = Objects.requireNonNull(delegate, "delegate is null");
    }

    protected final IdentityProvider delegate() {
        return delegate;
    }

    @Override
    public SignInStart startSignIn(SignInRequest request) throws SignInRejectedException {
        return delegate.startSignIn(request);
    }

    @Override
    public AuthenticatedIdentity finishSignIn(CallbackRequest callback, Map<String, String> remembered)
            throws SignInRejectedException {
        return delegate.finishSignIn(callback, remembered);
    }

    @Override
    public AuthenticatedIdentity signInWithPassword(PasswordCredentials credentials) throws SignInRejectedException {
        return delegate.signInWithPassword(credentials);
    }

    @Override
    public Optional<URI> endSessionUri(EndSessionRequest request) {
        return delegate.endSessionUri(request);
    }

    @Override
    public LogoutNotice validateLogoutToken(String logoutToken) throws SignInRejectedException {
        return delegate.validateLogoutToken(logoutToken);
    }

    @Override
    public List<Finding> diagnose() {
        return delegate.diagnose();
    }

    @Override
    public Map<String, String> metadataDocuments() {
        return delegate.metadataDocuments();
    }

    @Override
    public void close() {
        delegate.close();
    }
}
