package org.idbroker.server.providers.probe;

import java.net.URI;
import java.util.List;
import java.util.Map;
import org.idbroker.spi.AuthenticatedIdentity;
import org.idbroker.spi.CallbackRequest;
import org.idbroker.spi.Finding;
import org.idbroker.spi.IdentityProvider;
import org.idbroker.spi.IdentityProviderFactory;
import org.idbroker.spi.ProviderContext;
import org.idbroker.spi.SettingDescriptor;
import org.idbroker.spi.SignInRejectedException;
import org.idbroker.spi.SignInRequest;
import org.idbroker.spi.SignInStart;

/** A provider type that reports which context class loader each call into it ran with. */
public final class ProbeProviderFactory implements IdentityProviderFactory {

    @Override
    public String type() {
        return "probe";
    }

    @Override
    public String displayName() {
        return "Class loader probe";
    }

    @Override
    public List<SettingDescriptor> settings() {
        return List.of();
    }

    @Override
    public IdentityProvider create(ProviderContext context) {
        String createdWith = contextLoader();
        return new IdentityProvider() {
            @Override
            public SignInStart startSignIn(SignInRequest request) {
                return new SignInStart(URI.create("https://idp.example.com/authorize"),
                        Map.of("createdWith", createdWith, "calledWith", contextLoader()));
            }

            @Override
            public AuthenticatedIdentity finishSignIn(CallbackRequest callback, Map<String, String> remembered)
                    throws SignInRejectedException {
                throw new UnsupportedOperationException("not a real provider");
            }

            @Override
            public List<Finding> diagnose() {
                return List.of(Finding.ok("context class loader", contextLoader()));
            }
        };
    }

    private static String contextLoader() {
        return String.valueOf(Thread.currentThread().getContextClassLoader().getName());
    }
}
