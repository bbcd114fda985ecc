package org.idbroker.it.support;

import com.unboundid.ldap.listener.InMemoryDirectoryServer;
import com.unboundid.ldap.listener.InMemoryDirectoryServerConfig;
import com.unboundid.ldap.listener.InMemoryListenerConfig;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldif.LDIFException;
import java.util.List;

/**
 * A real LDAP directory for the integration tests (UnboundID's in-memory server, plain LDAP on a free port) holding
 * {@code dc=example,dc=com}: the service account {@code cn=idbroker}, Alice Doe ({@code alice} / {@code alice-pw}) in
 * the group {@code developers}.
 */
public final class TestingLdap implements AutoCloseable {

    public static final String BASE = "dc=example,dc=com";
    public static final String SERVICE_PASSWORD = "service-pw";
    public static final String ALICE_PASSWORD = "alice-pw";

    private final InMemoryDirectoryServer server;

    private TestingLdap(InMemoryDirectoryServer server) {
        this.server = server;
    }

    public static TestingLdap start() {
        try {
            InMemoryDirectoryServerConfig config = new InMemoryDirectoryServerConfig(BASE);
            config.setListenerConfigs(InMemoryListenerConfig.createLDAPConfig("ldap", 0));
            InMemoryDirectoryServer server = new InMemoryDirectoryServer(config);
            server.add("dn: " + BASE, "objectClass: domain", "dc: example");
            server.add("dn: ou=people," + BASE, "objectClass: organizationalUnit", "ou: people");
            server.add("dn: ou=groups," + BASE, "objectClass: organizationalUnit", "ou: groups");
            server.add("dn: cn=idbroker," + BASE, "objectClass: person", "cn: idbroker", "sn: service",
                    "userPassword: " + SERVICE_PASSWORD);
            server.add("dn: uid=alice,ou=people," + BASE, "objectClass: person", "objectClass: organizationalPerson",
                    "objectClass: inetOrgPerson", "uid: alice", "cn: Alice Doe", "sn: Doe", "mail: alice@example.com",
                    "userPassword: " + ALICE_PASSWORD);
            server.add("dn: cn=developers,ou=groups," + BASE, "objectClass: groupOfNames", "cn: developers",
                    "member: uid=alice,ou=people," + BASE);
            server.startListening();
            return new TestingLdap(server);
        } catch (LDAPException | LDIFException e) {
            throw new IllegalStateException("cannot start the test directory: " + e.getMessage(), e);
        }
    }

    /** The issuer the {@code ldap} type gives this directory's people. */
    public String issuer() {
        return "ldap://127.0.0.1/ou=people," + BASE;
    }

    /**
     * The {@code configure} arguments (after {@code --type ldap}) that point an instance at this directory, the service
     * account's password in {@code bindPasswordFile}.
     */
    public List<String> settings(String bindPasswordFile) {
        return List.of("--set", "url=ldap://127.0.0.1:" + server.getListenPort(), "--set", "bindDn=cn=idbroker," + BASE,
                "--bind-password-file", bindPasswordFile, "--set", "userBaseDn=ou=people," + BASE,
                "--set", "groupBaseDn=ou=groups," + BASE);
    }

    @Override
    public void close() {
        server.shutDown(true);
    }
}
