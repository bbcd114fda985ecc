package org.idbroker.providers.ldap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.unboundid.ldap.listener.interceptor.InMemoryInterceptedSimpleBindRequest;
import com.unboundid.ldap.listener.interceptor.InMemoryOperationInterceptor;
import com.unboundid.ldap.sdk.LDAPException;
import java.net.URI;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.idbroker.spi.AuthenticatedIdentity;
import org.idbroker.spi.Finding;
import org.idbroker.spi.IdentityProvider;
import org.idbroker.spi.InvalidSettingsException;
import org.idbroker.spi.PasswordCredentials;
import org.idbroker.spi.ProviderContext;
import org.idbroker.spi.ProviderSettings;
import org.idbroker.spi.RejectionReason;
import org.idbroker.spi.SignInRejectedException;
import org.idbroker.testkit.TestPerson;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The {@code ldap} provider against a real directory (UnboundID's in-memory server), without the broker. */
class LdapProviderTest {

    private static final TestPerson ALICE = new TestPerson("a", "alice", "Alice Doe", "alice@example.com", false, List.of("developers"));
    private static final TestPerson BOB = new TestPerson("b", "bob", "Bob Roe", "bob@example.com", false, List.of());

    private TestingDirectory directory;
    private IdentityProvider provider;
    private final List<String> binds = new CopyOnWriteArrayList<>();

    @AfterEach
    void stop() {
        if (provider != null) {
            provider.close();
        }
        if (directory != null) {
            directory.close();
        }
    }

    @Test
    void signsInOverLdapsWithTheTestCaAndReadsTheEntry() throws Exception {
        start(TestingDirectory.Tls.LDAPS, Map.of());
        directory.enrol(ALICE, "alice-pw");

        AuthenticatedIdentity identity = provider.signInWithPassword(new PasswordCredentials("alice", "alice-pw"));

        assertThat(identity.issuer()).isEqualTo("ldap://localhost/ou=people,dc=example,dc=com");
        assertThat(identity.subject()).isEqualTo(directory.subjectOf(ALICE)).matches("[0-9a-f-]{36}");
        assertThat(identity.username()).isEqualTo("alice");
        assertThat(identity.displayName()).isEqualTo("Alice Doe");
        assertThat(identity.email()).isEqualTo("alice@example.com");
        assertThat(identity.emailVerified()).isFalse();
        assertThat(identity.groups()).containsExactly("developers");
    }

    @Test
    void refusesADirectoryWhoseCertificateNoTrustedAuthoritySigned() throws Exception {
        start(TestingDirectory.Tls.LDAPS, Map.of(LdapConfig.CA_CERTIFICATE, ""));
        directory.enrol(ALICE, "alice-pw");

        assertRefused(() -> provider.signInWithPassword(new PasswordCredentials("alice", "alice-pw")), RejectionReason.IDP_UNAVAILABLE,
                "cannot be reached");
    }

    @Test
    void readsNestedGroupsOnlyWhenAskedTo() throws Exception {
        start(TestingDirectory.Tls.NONE, Map.of());
        directory.enrol(ALICE, "alice-pw");
        directory.addToGroup("engineering", TestingDirectory.groupDn("developers"));
        directory.addToGroup("staff", TestingDirectory.groupDn("engineering"));

        assertThat(provider.signInWithPassword(new PasswordCredentials("alice", "alice-pw")).groups()).containsExactly("developers");

        provider.close();
        provider = create(TestingDirectory.Tls.NONE, Map.of(LdapConfig.NESTED_GROUPS, "true"));
        assertThat(provider.signInWithPassword(new PasswordCredentials("alice", "alice-pw")).groups())
                .containsExactly("developers", "engineering", "staff");
    }

    @Test
    void escapesTheUsernameSoAFilterInjectionFindsNobody() throws Exception {
        start(TestingDirectory.Tls.NONE, Map.of());
        directory.enrol(ALICE, "alice-pw");
        directory.enrol(BOB, "alice-pw");

        assertRefused(() -> provider.signInWithPassword(new PasswordCredentials("*)(uid=*", "alice-pw")),
                RejectionReason.INVALID_CREDENTIALS, "username or the password is wrong");
        assertRefused(() -> provider.signInWithPassword(new PasswordCredentials("*", "alice-pw")),
                RejectionReason.INVALID_CREDENTIALS, "username or the password is wrong");
        assertThat(binds).noneMatch(dn -> dn.startsWith("uid="));
    }

    @Test
    void refusesAnEmptyPasswordBeforeAnyBind() throws Exception {
        start(TestingDirectory.Tls.NONE, Map.of());
        directory.enrol(ALICE, "alice-pw");

        assertRefused(() -> provider.signInWithPassword(new PasswordCredentials("alice", "")), RejectionReason.INVALID_CREDENTIALS,
                "password");
        assertThat(binds).isEmpty();
    }

    @Test
    void tellsAWrongPasswordFromAWrongServiceAccount() throws Exception {
        start(TestingDirectory.Tls.NONE, Map.of());
        directory.enrol(ALICE, "alice-pw");
        assertRefused(() -> provider.signInWithPassword(new PasswordCredentials("alice", "nope")), RejectionReason.INVALID_CREDENTIALS,
                "wrong");

        provider.close();
        provider = create(TestingDirectory.Tls.NONE, Map.of(LdapConfig.BIND_PASSWORD, "not-the-service-password"));
        assertRefused(() -> provider.signInWithPassword(new PasswordCredentials("alice", "alice-pw")), RejectionReason.MISCONFIGURED,
                "Bind Password");
    }

    @Test
    void refusesAUsernameFoundTwice() throws Exception {
        start(TestingDirectory.Tls.NONE, Map.of());
        directory.enrol(ALICE, "alice-pw");
        directory.server().add("dn: ou=contractors," + TestingDirectory.PEOPLE, "objectClass: organizationalUnit", "ou: contractors");
        directory.server().add("dn: uid=alice,ou=contractors," + TestingDirectory.PEOPLE, "objectClass: top", "objectClass: person",
                "objectClass: organizationalPerson", "objectClass: inetOrgPerson", "uid: alice", "cn: Other Alice", "sn: A",
                "userPassword: alice-pw");

        assertRefused(() -> provider.signInWithPassword(new PasswordCredentials("alice", "alice-pw")), RejectionReason.MISCONFIGURED,
                "several entries for the username 'alice'");
        assertThat(binds).noneMatch(dn -> dn.startsWith("uid="));
    }

    @Test
    void saysTheDirectoryIsUnavailableWhenItGoesAwayMidSignIn() throws Exception {
        directory = TestingDirectory.start(TestingDirectory.Tls.NONE, new InMemoryOperationInterceptor() {
            @Override
            public void processSimpleBindRequest(InMemoryInterceptedSimpleBindRequest request) throws LDAPException {
                if (request.getRequest().getBindDN().startsWith("uid=")) {
                    Thread stopper = new Thread(() -> directory.goAway());
                    stopper.start();
                    try {
                        stopper.join();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
            }
        });
        provider = create(TestingDirectory.Tls.NONE, Map.of());
        directory.enrol(ALICE, "alice-pw");

        assertRefused(() -> provider.signInWithPassword(new PasswordCredentials("alice", "alice-pw")), RejectionReason.IDP_UNAVAILABLE,
                "cannot be reached");
    }

    @Test
    void theDoctorChecksTheDirectoryTheBindTheBasesAndASampleEntry() throws Exception {
        start(TestingDirectory.Tls.START_TLS, Map.of());
        directory.enrol(ALICE, "alice-pw");

        assertThat(provider.diagnose()).extracting(Finding::check, Finding::severity).contains(
                org.assertj.core.groups.Tuple.tuple("transport", Finding.Severity.OK),
                org.assertj.core.groups.Tuple.tuple("directory", Finding.Severity.OK),
                org.assertj.core.groups.Tuple.tuple("service-bind", Finding.Severity.OK),
                org.assertj.core.groups.Tuple.tuple("user-base", Finding.Severity.OK),
                org.assertj.core.groups.Tuple.tuple("group-base", Finding.Severity.OK),
                org.assertj.core.groups.Tuple.tuple("sample-search", Finding.Severity.OK));

        provider.close();
        provider = create(TestingDirectory.Tls.START_TLS, Map.of(LdapConfig.USER_BASE_DN, "ou=nobody,dc=example,dc=com"));
        assertThat(provider.diagnose()).filteredOn(f -> f.check().equals("user-base")).extracting(Finding::severity)
                .containsExactly(Finding.Severity.FAIL);
    }

    @Test
    void refusesUnusableSettingsNamingTheField() {
        assertThatThrownBy(() -> config(Map.of(LdapConfig.URL, "http://ldap.example.com"))).isInstanceOfSatisfying(
                InvalidSettingsException.class, e -> assertThat(e.setting()).isEqualTo(LdapConfig.URL));
        assertThatThrownBy(() -> config(Map.of(LdapConfig.URL, "ldaps://ldap.example.com", LdapConfig.START_TLS, "true")))
                .isInstanceOfSatisfying(InvalidSettingsException.class, e -> assertThat(e.setting()).isEqualTo(LdapConfig.START_TLS));
        assertThatThrownBy(() -> config(Map.of(LdapConfig.USER_FILTER, "(objectClass=person"))).isInstanceOfSatisfying(
                InvalidSettingsException.class, e -> assertThat(e.setting()).isEqualTo(LdapConfig.USER_FILTER));
        assertThatThrownBy(() -> config(Map.of(LdapConfig.CA_CERTIFICATE, "not a certificate"))).isInstanceOfSatisfying(
                InvalidSettingsException.class, e -> assertThat(e.setting()).isEqualTo(LdapConfig.CA_CERTIFICATE));
        assertThatThrownBy(() -> config(Map.of(LdapConfig.USER_BASE_DN, "not a dn"))).isInstanceOfSatisfying(
                InvalidSettingsException.class, e -> assertThat(e.setting()).isEqualTo(LdapConfig.USER_BASE_DN));
    }

    @Test
    void readsAnActiveDirectoryObjectGuidAsItsUuid() {
        byte[] guid = {(byte) 0x2b, (byte) 0xc5, (byte) 0x8c, (byte) 0x7f, (byte) 0x3a, (byte) 0x41, (byte) 0x1e, (byte) 0x4c,
                (byte) 0x9d, (byte) 0x0f, (byte) 0x12, (byte) 0x34, (byte) 0x56, (byte) 0x78, (byte) 0x9a, (byte) 0xbc};

        assertThat(ObjectGuid.toUuid(guid)).isEqualTo("7f8cc52b-413a-4c1e-9d0f-123456789abc");
        assertThat(ObjectGuid.toUuid(new byte[3])).isNull();
    }

    private void start(TestingDirectory.Tls tls, Map<String, String> overrides) {
        directory = TestingDirectory.start(tls, new InMemoryOperationInterceptor() {
            @Override
            public void processSimpleBindRequest(InMemoryInterceptedSimpleBindRequest request) {
                if (!request.getRequest().getBindDN().equals(TestingDirectory.SERVICE_DN)) {
                    binds.add(request.getRequest().getBindDN());
                }
            }
        });
        try {
            provider = create(tls, overrides);
        } catch (InvalidSettingsException e) {
            throw new AssertionError(e);
        }
    }

    private IdentityProvider create(TestingDirectory.Tls tls, Map<String, String> overrides) throws InvalidSettingsException {
        Map<String, String> values = settings(tls);
        values.putAll(overrides);
        return new LdapProviderFactory().create(new ProviderContext("Corp", new ProviderSettings(values),
                URI.create("http://localhost/api/users/authenticatedToken/Corp")));
    }

    private Map<String, String> settings(TestingDirectory.Tls tls) {
        Map<String, String> values = new HashMap<>();
        values.put(LdapConfig.URL, directory.url());
        values.put(LdapConfig.START_TLS, Boolean.toString(tls == TestingDirectory.Tls.START_TLS));
        if (directory.caPem() != null) {
            values.put(LdapConfig.CA_CERTIFICATE, directory.caPem());
        }
        values.put(LdapConfig.BIND_DN, TestingDirectory.SERVICE_DN);
        values.put(LdapConfig.BIND_PASSWORD, TestingDirectory.SERVICE_PASSWORD);
        values.put(LdapConfig.USER_BASE_DN, TestingDirectory.PEOPLE);
        values.put(LdapConfig.GROUP_BASE_DN, TestingDirectory.GROUPS);
        return values;
    }

    private static LdapConfig config(Map<String, String> overrides) throws InvalidSettingsException {
        Map<String, String> values = new HashMap<>(Map.of(LdapConfig.URL, "ldaps://ldap.example.com", LdapConfig.BIND_DN,
                "cn=svc,dc=example,dc=com", LdapConfig.BIND_PASSWORD, "pw", LdapConfig.USER_BASE_DN, "dc=example,dc=com"));
        values.putAll(overrides);
        return LdapConfig.of(new ProviderSettings(values));
    }

    private static void assertRefused(Refusable call, RejectionReason reason, String message) {
        assertThatThrownBy(call::run).isInstanceOfSatisfying(SignInRejectedException.class, e -> {
            assertThat(e.reason()).as(e.getMessage()).isEqualTo(reason);
            assertThat(e.getMessage()).contains(message);
        });
    }

    @FunctionalInterface
    private interface Refusable {
        void run() throws Exception;
    }
}
