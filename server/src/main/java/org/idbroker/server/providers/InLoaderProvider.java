package org.idbroker.server.providers;

import static java.util.Objects.requireNonNull;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.idbroker.spi.AuthenticatedIdentity;
import org.idbroker.spi.CallbackRequest;
import org.idbroker.spi.EndSessionRequest;
import org.idbroker.spi.Finding;
import org.idbroker.spi.IdentityProvider;
import org.idbroker.spi.LogoutNotice;
import org.idbroker.spi.PasswordCredentials;
import org.idbroker.spi.SignInRejectedException;
import org.idbroker.spi.SignInRequest;
import org.idbroker.spi.SignInStart;

/**
 * A drop-in provider seen by the host: every call runs with the provider jar's class loader as the
 * context class loader ({@link ProviderCalls}). It overrides every method of {@link IdentityProvider}
 * (a test holds it to that), so no call reaches the provider without it.
 */
final class InLoaderProvider implements IdentityProvider {

    private final IdentityProvider provider;
    private final ClassLoader loader;

    InLoaderProvider(IdentityProvider provider, ClassLoader loader) {
        this.provider = requireNonNull(provider, "provider is null");
        this.loader = requireNonNull(loader, "loader is null");
    }

    @Override
    public SignInStart startSignIn(SignInRequest request) throws SignInRejectedException {
        return ProviderCalls.in(loader, () -> provider.startSignIn(request));
    }

    @Override
    public AuthenticatedIdentity finishSignIn(CallbackRequest callback, Map<String, String> remembered)
            throws SignInRejectedException {
        return ProviderCalls.in(loader, () -> provider.finishSignIn(callback, remembered));
    }

    @Override
    public AuthenticatedIdentity signInWithPassword(PasswordCredentials credentials) throws SignInRejectedException {
        return ProviderCalls.in(loader, () -> provider.signInWithPassword(credentials));
    }

    @Override
    public Optional<URI> endSessionUri(EndSessionRequest request) {
        return ProviderCalls.in(loader, () -> provider.endSessionUri(request));
    }

    @Override
    public LogoutNotice validateLogoutToken(String logoutToken) throws SignInRejectedException {
        return ProviderCalls.in(loader, () -> provider.validateLogoutToken(logoutToken));
    }

    @Override
    public List<Finding> diagnose() {
        return ProviderCalls.in(loader, provider::diagnose);
    }

    @Override
    public Map<String, String> metadataDocuments() {
        return ProviderCalls.in(loader, provider::metadataDocuments);
    }

    @Override
    public void close() {
        ProviderCalls.<Void, RuntimeException>in(loader, () -> {
            provider.close();
            return null;
        });
    }
}
