package org.idbroker.server.providers;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Method;
import java.net.URI;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.List;
import java.util.Map;
import org.idbroker.core.providers.ProviderRecord;
import org.idbroker.server.providers.probe.ProbeProviderFactory;
import org.idbroker.spi.IdentityProvider;
import org.idbroker.spi.IdentityProviderFactory;
import org.idbroker.spi.SignInRequest;
import org.idbroker.spi.SignInStart;
import org.junit.jupiter.api.Test;

class ProviderInstancesTest {

    private static final URI PUBLIC_URL = URI.create("https://broker.example.com");

    @Test
    void aDropInProviderIsBuiltAndCalledWithItsOwnClassLoaderAsContextClassLoader() throws Exception {
        ClassLoader before = Thread.currentThread().getContextClassLoader();
        try (URLClassLoader jar = new ProbeJarLoader()) {
            IdentityProviderFactory factory = (IdentityProviderFactory) jar.loadClass(ProbeProviderFactory.class.getName())
                    .getConstructor().newInstance();
            assertThat(factory.getClass().getClassLoader()).isSameAs(jar);

            IdentityProvider provider = new ProviderInstances(new ProviderTypes(List.of(factory)))
                    .create(factory, "Probe", Map.of(), Map.of(), PUBLIC_URL);
            SignInStart start = provider.startSignIn(new SignInRequest("state"));

            assertThat(start.remember()).containsEntry("createdWith", "probe-jar").containsEntry("calledWith", "probe-jar");
            assertThat(provider.diagnose()).singleElement().satisfies(f -> assertThat(f.message()).isEqualTo("probe-jar"));
            assertThat(Thread.currentThread().getContextClassLoader()).isSameAs(before);
        }
    }

    @Test
    void aBuiltInProviderIsCalledAsItIs() {
        IdentityProviderFactory factory = new ProbeProviderFactory();
        ProviderInstances instances = new ProviderInstances(new ProviderTypes(List.of(factory)));

        ProviderInstances.Instance built = instances.build(new ProviderRecord("Probe", "probe", Map.of(), Map.of(), 1), PUBLIC_URL);

        assertThat(built.problem()).isNull();
        assertThat(built.provider()).isNotInstanceOf(InLoaderProvider.class);
    }

    @Test
    void aStoredInstanceOfATypeNotInstalledSaysSo() {
        ProviderInstances instances = new ProviderInstances(new ProviderTypes(List.of()));

        ProviderInstances.Instance built = instances.build(new ProviderRecord("Gone", "gone", Map.of("enabled", "true"), Map.of(), 1),
                PUBLIC_URL);

        assertThat(built.provider()).isNull();
        assertThat(built.problem().describe()).isEqualTo("the provider type 'gone' is not installed on this node");
        assertThat(built.settings()).containsEntry("enabled", "true").containsEntry("allowAutoUserCreation", "true");
    }

    @Test
    void theDefaultsOfPlainSettingsApplyAndBlankValuesDoNot() {
        Map<String, String> effective = ProviderInstances.effective(new ProbeProviderFactory(),
                Map.of("displayName", " ", "trustEmail", "true"));

        assertThat(effective).containsEntry("enabled", "false").containsEntry("allowAutoUserCreation", "true")
                .containsEntry("trustEmail", "true").doesNotContainKey("displayName");
    }

    @Test
    void theClassLoaderWrapperHandsOnEveryMethodOfTheSpi() throws Exception {
        for (Method method : IdentityProvider.class.getMethods()) {
            assertThat(InLoaderProvider.class.getDeclaredMethod(method.getName(), method.getParameterTypes()))
                    .as(method.getName()).isNotNull();
        }
    }

    /** Loads the probe from the test classes itself, like a jar in providers/, and everything else from the host. */
    private static final class ProbeJarLoader extends URLClassLoader {

        ProbeJarLoader() {
            super("probe-jar", new URL[] {ProbeProviderFactory.class.getProtectionDomain().getCodeSource().getLocation()},
                    ProviderInstancesTest.class.getClassLoader());
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            if (!name.startsWith(ProbeProviderFactory.class.getPackageName())) {
                return super.loadClass(name, resolve);
            }
            synchronized (getClassLoadingLock(name)) {
                Class<?> loaded = findLoadedClass(name);
                return loaded != null ? loaded : findClass(name);
            }
        }
    }
}
