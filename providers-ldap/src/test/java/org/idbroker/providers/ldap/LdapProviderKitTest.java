package org.idbroker.providers.ldap;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.idbroker.testkit.PasswordProviderKit;
import org.idbroker.testkit.ProviderFeature;
import org.idbroker.testkit.TestingBroker;

/**
 * The provider test kit (neutral core and password form) for the {@code ldap} type, against a real directory over
 * StartTLS with a certificate of a CA made for the test. A directory never says an email is verified.
 */
class LdapProviderKitTest extends PasswordProviderKit<TestingDirectory> {

    @Override
    protected String providerType() {
        return LdapProviderFactory.TYPE;
    }

    @Override
    protected Set<ProviderFeature> supportedFeatures() {
        return EnumSet.noneOf(ProviderFeature.class);
    }

    @Override
    protected TestingDirectory startUpstream() {
        return TestingDirectory.start(TestingDirectory.Tls.START_TLS);
    }

    @Override
    protected List<String> connectionArguments(TestingDirectory directory) {
        List<String> args = new ArrayList<>(List.of("--set", "url=" + directory.url(), "--set", "startTls=true",
                "--set-file", "caCertificate=" + TestingBroker.writeTemp(directory.caPem()),
                "--bind-password-file", TestingBroker.writeTemp(TestingDirectory.SERVICE_PASSWORD).toString()));
        for (String setting : TestingDirectory.baseSettings()) {
            args.addAll(List.of("--set", setting));
        }
        return args;
    }
}
