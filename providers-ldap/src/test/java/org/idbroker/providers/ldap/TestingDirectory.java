package org.idbroker.providers.ldap;

import com.unboundid.ldap.listener.InMemoryDirectoryServer;
import com.unboundid.ldap.listener.InMemoryDirectoryServerConfig;
import com.unboundid.ldap.listener.InMemoryListenerConfig;
import com.unboundid.ldap.listener.interceptor.InMemoryOperationInterceptor;
import com.unboundid.ldap.sdk.Attribute;
import com.unboundid.ldap.sdk.Entry;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.Modification;
import com.unboundid.ldap.sdk.ModificationType;
import com.unboundid.util.ssl.KeyStoreKeyManager;
import com.unboundid.util.ssl.SSLUtil;
import com.unboundid.util.ssl.TrustAllTrustManager;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.List;
import org.idbroker.testkit.PasswordUpstream;
import org.idbroker.testkit.TestPerson;

/**
 * A real LDAP directory for the tests: UnboundID's in-memory directory server on a free port, speaking plain LDAP,
 * LDAP with StartTLS or LDAPS with a certificate of a CA made for the test, holding {@code dc=example,dc=com} with
 * people under {@code ou=people}, groups of names under {@code ou=groups} and the broker's service account.
 */
final class TestingDirectory implements PasswordUpstream {

    enum Tls { NONE, START_TLS, LDAPS }

    static final String BASE = "dc=example,dc=com";
    static final String PEOPLE = "ou=people," + BASE;
    static final String GROUPS = "ou=groups," + BASE;
    static final String SERVICE_DN = "cn=idbroker,ou=services," + BASE;
    static final String SERVICE_PASSWORD = "service-account-pw";
    /** Every group keeps this member, since a group of names must have one. */
    private static final String NOBODY = "cn=nobody," + BASE;

    private final InMemoryDirectoryServer server;
    private final Tls tls;
    private final TestCertificates certificates;

    private TestingDirectory(InMemoryDirectoryServer server, Tls tls, TestCertificates certificates) {
        this.server = server;
        this.tls = tls;
        this.certificates = certificates;
    }

    static TestingDirectory start(Tls tls) {
        return start(tls, null);
    }

    /** A directory with this TLS, calling {@code interceptor} (when not null) on every operation. */
    static TestingDirectory start(Tls tls, InMemoryOperationInterceptor interceptor) {
        try {
            InMemoryDirectoryServerConfig config = new InMemoryDirectoryServerConfig(BASE);
            TestCertificates certificates = tls == Tls.NONE ? null : TestCertificates.shared();
            InMemoryListenerConfig listener = switch (tls) {
                case NONE -> InMemoryListenerConfig.createLDAPConfig("ldap", 0);
                case START_TLS -> InMemoryListenerConfig.createLDAPConfig("ldap", null, 0, serverTls(certificates).createSSLSocketFactory());
                case LDAPS -> InMemoryListenerConfig.createLDAPSConfig("ldaps", null, 0,
                        serverTls(certificates).createSSLServerSocketFactory(), null);
            };
            config.setListenerConfigs(listener);
            if (interceptor != null) {
                config.addInMemoryOperationInterceptor(interceptor);
            }
            InMemoryDirectoryServer server = new InMemoryDirectoryServer(config);
            server.add("dn: " + BASE, "objectClass: top", "objectClass: domain", "dc: example");
            server.add("dn: ou=people," + BASE, "objectClass: top", "objectClass: organizationalUnit", "ou: people");
            server.add("dn: ou=groups," + BASE, "objectClass: top", "objectClass: organizationalUnit", "ou: groups");
            server.add("dn: ou=services," + BASE, "objectClass: top", "objectClass: organizationalUnit", "ou: services");
            server.add("dn: " + SERVICE_DN, "objectClass: top", "objectClass: person", "cn: idbroker", "sn: service",
                    "userPassword: " + SERVICE_PASSWORD);
            server.startListening();
            return new TestingDirectory(server, tls, certificates);
        } catch (LDAPException | com.unboundid.ldif.LDIFException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot start the test directory: " + e.getMessage(), e);
        }
    }

    private static SSLUtil serverTls(TestCertificates certificates) throws GeneralSecurityException {
        try {
            return new SSLUtil(new KeyStoreKeyManager(certificates.serverKeyStore().toFile(), certificates.password().toCharArray(),
                    "PKCS12", "server"), new TrustAllTrustManager());
        } catch (java.security.KeyStoreException e) {
            throw new GeneralSecurityException(e);
        }
    }

    /** The address to configure: {@code ldap://localhost:PORT} or {@code ldaps://localhost:PORT}. */
    String url() {
        return (tls == Tls.LDAPS ? "ldaps" : "ldap") + "://localhost:" + server.getListenPort();
    }

    /** The test CA's certificate, PEM; {@code null} for a directory without TLS. */
    String caPem() {
        return certificates == null ? null : certificates.caPemText();
    }

    /** The settings (beyond the connection's TLS) that point an instance at this directory. */
    static List<String> baseSettings() {
        return List.of("bindDn=" + SERVICE_DN, "userBaseDn=" + PEOPLE, "groupBaseDn=" + GROUPS);
    }

    InMemoryDirectoryServer server() {
        return server;
    }

    static String dnOf(String username) {
        return "uid=" + username + "," + PEOPLE;
    }

    @Override
    public String issuer() {
        return "ldap://localhost/" + PEOPLE;
    }

    @Override
    public String subjectOf(TestPerson person) {
        try {
            return server.getEntry(dnOf(person.username()), "entryUUID").getAttributeValue("entryUUID");
        } catch (LDAPException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void enrol(TestPerson person, String password) {
        String dn = dnOf(person.username());
        try {
            if (server.getEntry(dn) == null) {
                server.add(new Entry(dn, new Attribute("objectClass", "top", "person", "organizationalPerson", "inetOrgPerson"),
                        new Attribute("uid", person.username()), new Attribute("cn", person.displayName()),
                        new Attribute("sn", person.displayName()), new Attribute("mail", person.email()),
                        new Attribute("userPassword", password)));
            } else {
                server.modify(dn, new Modification(ModificationType.REPLACE, "cn", person.displayName()),
                        new Modification(ModificationType.REPLACE, "mail", person.email()),
                        new Modification(ModificationType.REPLACE, "userPassword", password));
            }
            for (Entry group : server.search(GROUPS, com.unboundid.ldap.sdk.SearchScope.ONE, "(member=" + dn + ")").getSearchEntries()) {
                server.modify(group.getDN(), new Modification(ModificationType.DELETE, "member", dn));
            }
            for (String group : person.groups()) {
                addToGroup(group, dn);
            }
        } catch (LDAPException e) {
            throw new IllegalStateException("cannot enrol " + person.username() + ": " + e.getMessage(), e);
        }
    }

    /** Puts {@code memberDn} (a person or a group) into the group {@code name}, making the group when needed. */
    void addToGroup(String name, String memberDn) throws LDAPException {
        try {
            makeGroup(name);
        } catch (com.unboundid.ldif.LDIFException e) {
            throw new IllegalStateException(e);
        }
        server.modify(groupDn(name), new Modification(ModificationType.ADD, "member", memberDn));
    }

    private void makeGroup(String name) throws LDAPException, com.unboundid.ldif.LDIFException {
        String groupDn = groupDn(name);
        if (server.getEntry(groupDn) == null) {
            List<String> lines = new ArrayList<>(List.of("dn: " + groupDn, "objectClass: top", "objectClass: groupOfNames",
                    "cn: " + name, "member: " + NOBODY));
            server.add(lines.toArray(String[]::new));
        }
    }

    static String groupDn(String name) {
        return "cn=" + name + "," + GROUPS;
    }

    @Override
    public void goAway() {
        server.shutDown(true);
    }

    @Override
    public void close() {
        server.shutDown(true);
    }
}
