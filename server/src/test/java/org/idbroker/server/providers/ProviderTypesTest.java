package org.idbroker.server.providers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.idbroker.server.providers.probe.ProbeProviderFactory;
import org.idbroker.spi.IdentityProvider;
import org.idbroker.spi.IdentityProviderFactory;
import org.idbroker.spi.ProviderContext;
import org.idbroker.spi.SettingDescriptor;
import org.junit.jupiter.api.Test;

class ProviderTypesTest {

    @Test
    void theTypeForNewInstancesIsTheOneThatSaysSo() {
        ProviderTypes types = new ProviderTypes(List.of(new ProbeProviderFactory(), new DefaultType("standard")));

        assertThat(types.defaultForNewInstances()).map(IdentityProviderFactory::type).contains("standard");
        assertThat(new ProviderTypes(List.of(new ProbeProviderFactory())).defaultForNewInstances()).isEmpty();
    }

    @Test
    void twoTypesClaimingToBeTheDefaultAreRefused() {
        assertThatThrownBy(() -> new ProviderTypes(List.of(new DefaultType("one"), new DefaultType("two"))))
                .hasMessage("more than one provider type says it is the default for new instances: one, two");
    }

    private record DefaultType(String type) implements IdentityProviderFactory {
        @Override
        public String displayName() {
            return type;
        }

        @Override
        public List<SettingDescriptor> settings() {
            return List.of();
        }

        @Override
        public boolean defaultForNewInstances() {
            return true;
        }

        @Override
        public IdentityProvider create(ProviderContext context) {
            throw new UnsupportedOperationException("never built");
        }
    }
}
