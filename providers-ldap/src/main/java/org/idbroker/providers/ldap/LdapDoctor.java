package org.idbroker.providers.ldap;

import com.unboundid.ldap.sdk.DN;
import com.unboundid.ldap.sdk.LDAPConnection;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.LDAPURL;
import com.unboundid.ldap.sdk.SearchRequest;
import com.unboundid.ldap.sdk.SearchResultEntry;
import com.unboundid.ldap.sdk.SearchScope;
import java.util.ArrayList;
import java.util.List;
import org.idbroker.spi.Finding;

/**
 * The checks an expert makes of an {@code ldap} instance: every address answers (with TLS as configured), the
 * service account's bind works, the user and group bases exist, the filters parse, and a sample search of the user
 * base returns the attributes the settings name.
 */
final class LdapDoctor {

    private final LdapConfig config;
    private final LdapConnections connections;

    LdapDoctor(LdapConfig config, LdapConnections connections) {
        this.config = config;
        this.connections = connections;
    }

    List<Finding> check() {
        List<Finding> findings = new ArrayList<>();
        findings.add(config.encrypted() ? Finding.ok("transport", config.startTls() ? "StartTLS on every connection" : "ldaps://")
                : Finding.warn("transport", "ldap:// without StartTLS: passwords cross the network in clear. Use ldaps:// or turn"
                        + " on StartTLS."));
        findings.add(Finding.ok("filters", "the user filter " + config.userFilter() + " and the group filter "
                + config.groupFilter() + " parse"));
        LDAPConnection bound = null;
        for (LDAPURL url : config.urls()) {
            try {
                LDAPConnection connection = connections.connect(url);
                findings.add(Finding.ok("directory", url + " answers"));
                if (bound == null) {
                    bound = connection;
                } else {
                    connection.close();
                }
            } catch (LDAPException e) {
                findings.add(Finding.fail("directory", url + " does not answer: " + e.getResultCode().getName() + " ("
                        + e.getExceptionMessage() + "). Check the address, the port, the firewall and, for TLS, the CA"
                        + " Certificate."));
            }
        }
        if (bound == null) {
            return findings;
        }
        try (LDAPConnection connection = bound) {
            try {
                connection.bind(connections.serviceBind());
                findings.add(Finding.ok("service-bind", "bound as " + config.bindDn()));
            } catch (LDAPException e) {
                findings.add(Finding.fail("service-bind", "the bind as " + config.bindDn() + " fails: " + e.getResultCode().getName()
                        + ". Check the Bind DN and the Bind Password."));
                return findings;
            }
            findings.add(base(connection, "user-base", config.userBaseDn()));
            if (config.groupBaseDn() != null) {
                findings.add(base(connection, "group-base", config.groupBaseDn()));
            } else {
                findings.add(Finding.warn("group-base", "no Group Base DN: people get no groups from the directory"));
            }
            findings.add(sample(connection));
        }
        return findings;
    }

    private Finding base(LDAPConnection connection, String check, DN dn) {
        try {
            return connection.getEntry(dn.toString(), "1.1") != null ? Finding.ok(check, dn + " exists")
                    : Finding.fail(check, dn + " does not exist (or the service account cannot read it)");
        } catch (LDAPException e) {
            return Finding.fail(check, "reading " + dn + " fails: " + e.getResultCode().getName());
        }
    }

    private Finding sample(LDAPConnection connection) {
        List<String> named = List.of(config.usernameAttribute(), config.idAttribute(), config.emailAttribute(), config.nameAttribute());
        try {
            SearchRequest search = new SearchRequest(config.userBaseDn().toString(), SearchScope.SUB, config.userFilter(),
                    named.toArray(String[]::new));
            search.setSizeLimit(1);
            search.setTimeLimitSeconds((int) config.timeout().toSeconds());
            List<SearchResultEntry> entries = connection.search(search).getSearchEntries();
            if (entries.isEmpty()) {
                return Finding.fail("sample-search", "no entry under " + config.userBaseDn() + " matches " + config.userFilter()
                        + ": nobody can sign in. Check the User Base DN and the User Filter.");
            }
            SearchResultEntry entry = entries.get(0);
            List<String> missing = named.stream().filter(a -> !entry.hasAttribute(a)).toList();
            return missing.isEmpty() ? Finding.ok("sample-search", entry.getDN() + " has " + String.join(", ", named))
                    : Finding.warn("sample-search", entry.getDN() + " has no " + String.join(", ", missing)
                            + ": check the attribute settings (an operational one such as entryUUID is read by name)");
        } catch (LDAPException e) {
            return Finding.fail("sample-search", "searching " + config.userBaseDn() + " fails: " + e.getResultCode().getName());
        }
    }
}
