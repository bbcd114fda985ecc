package org.idbroker.providers.ldap;

import com.unboundid.ldap.sdk.Filter;
import com.unboundid.ldap.sdk.LDAPConnectionPool;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.SearchRequest;
import com.unboundid.ldap.sdk.SearchResult;
import com.unboundid.ldap.sdk.SearchResultEntry;
import com.unboundid.ldap.sdk.SearchScope;
import com.unboundid.ldap.sdk.SimpleBindRequest;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.idbroker.spi.AuthenticatedIdentity;
import org.idbroker.spi.Finding;
import org.idbroker.spi.IdpCalls;
import org.idbroker.spi.PasswordCredentials;
import org.idbroker.spi.PasswordIdentityProvider;
import org.idbroker.spi.RejectionReason;
import org.idbroker.spi.SignInRejectedException;

/**
 * Signs a person in against the directory: as the service account, search the user base for exactly one entry with
 * the user filter and the username (the value escaped, so {@code *)(uid=*} finds nobody); bind as that entry with
 * the password (never an empty one: an empty password is an unauthenticated bind, which many servers accept); read
 * the groups as the service account. The subject is the ID attribute (objectGUID read as binary), the issuer names
 * the directory and the user base ({@link LdapConfig#issuer()}); the email is never said to be verified.
 */
final class LdapProvider extends PasswordIdentityProvider {

    /** Endpoint names for the broker's metrics. */
    static final String SEARCH = "search";
    static final String BIND = "bind";

    private final LdapConfig config;
    private final LdapConnections connections;
    private final IdpCalls calls;
    private final String issuer;

    LdapProvider(LdapConfig config, IdpCalls calls) {
        this.config = config;
        this.connections = new LdapConnections(config);
        this.calls = calls;
        this.issuer = config.issuer();
    }

    @Override
    public AuthenticatedIdentity signInWithPassword(PasswordCredentials credentials) throws SignInRejectedException {
        String username = credentials.username().trim();
        if (username.isEmpty() || credentials.password().isEmpty()) {
            // before any bind: a bind with a DN and an empty password is an unauthenticated bind that succeeds (RFC 4513 5.1.2)
            throw new SignInRejectedException(RejectionReason.INVALID_CREDENTIALS, "Enter your username and your password.");
        }
        LDAPConnectionPool pool = pool();
        SearchResultEntry entry = findPerson(pool, username);
        bindAs(pool, entry.getDN(), credentials.password());
        List<String> groups;
        try {
            groups = timed(SEARCH, () -> new LdapGroups(config).of(pool, entry.getDN()));
        } catch (LDAPException e) {
            throw LdapRefusals.operation(e, config, "reading the groups");
        }
        return identity(entry, groups);
    }

    private LDAPConnectionPool pool() throws SignInRejectedException {
        try {
            return connections.pool();
        } catch (LDAPException e) {
            throw LdapRefusals.operation(e, config, "connecting");
        }
    }

    private SearchResultEntry findPerson(LDAPConnectionPool pool, String username) throws SignInRejectedException {
        SearchRequest search = new SearchRequest(config.userBaseDn().toString(), SearchScope.SUB,
                Filter.createANDFilter(config.userFilter(), Filter.createEqualityFilter(config.usernameAttribute(), username)),
                config.usernameAttribute(), config.idAttribute(), config.emailAttribute(), config.nameAttribute());
        search.setSizeLimit(2);
        search.setTimeLimitSeconds((int) config.timeout().toSeconds());
        search.setResponseTimeoutMillis(config.timeoutMillis());
        SearchResult result;
        try {
            result = timed(SEARCH, () -> pool.search(search));
        } catch (LDAPException e) {
            if (e.getResultCode() == com.unboundid.ldap.sdk.ResultCode.SIZE_LIMIT_EXCEEDED) {
                throw twice(username);
            }
            throw LdapRefusals.operation(e, config, "searching the user");
        }
        if (result.getEntryCount() > 1) {
            throw twice(username);
        }
        if (result.getEntryCount() == 0) {
            // as for a wrong password: the page does not tell who has an account
            throw new SignInRejectedException(RejectionReason.INVALID_CREDENTIALS, LdapRefusals.WRONG_PASSWORD);
        }
        return result.getSearchEntries().get(0);
    }

    private SignInRejectedException twice(String username) {
        return new SignInRejectedException(RejectionReason.MISCONFIGURED, "The directory has several entries for the username '"
                + username + "' under " + config.userBaseDn() + ", so the broker cannot tell which is you: an administrator must"
                + " make the User Filter or the Username Attribute match one entry per person.");
    }

    private void bindAs(LDAPConnectionPool pool, String dn, String password) throws SignInRejectedException {
        SimpleBindRequest bind = new SimpleBindRequest(dn, password);
        bind.setResponseTimeoutMillis(config.timeoutMillis());
        try {
            timed(BIND, () -> pool.bindAndRevertAuthentication(bind));
        } catch (LDAPException e) {
            throw LdapRefusals.personBind(e, config);
        }
    }

    private AuthenticatedIdentity identity(SearchResultEntry entry, List<String> groups) throws SignInRejectedException {
        String subject = subject(entry);
        if (subject == null) {
            throw new SignInRejectedException(RejectionReason.CLAIM_MISSING, "Your directory entry has no "
                    + config.idAttribute() + ": an administrator must set the ID Attribute to one every entry has (entryUUID;"
                    + " objectGUID for Active Directory).");
        }
        String username = entry.getAttributeValue(config.usernameAttribute());
        String name = entry.getAttributeValue(config.nameAttribute());
        String email = entry.getAttributeValue(config.emailAttribute());
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("dn", entry.getDN());
        claims.put(config.idAttribute(), subject);
        putIfPresent(claims, config.usernameAttribute(), username);
        putIfPresent(claims, config.nameAttribute(), name);
        putIfPresent(claims, config.emailAttribute(), email);
        claims.put("groups", groups);
        return new AuthenticatedIdentity(issuer, subject, username, name, email, false, groups, claims, null, null);
    }

    private String subject(SearchResultEntry entry) {
        if (config.idAttribute().equalsIgnoreCase(LdapConfig.OBJECT_GUID)) {
            byte[] guid = entry.getAttributeValueBytes(config.idAttribute());
            return guid == null ? null : ObjectGuid.toUuid(guid);
        }
        return entry.getAttributeValue(config.idAttribute());
    }

    private static void putIfPresent(Map<String, Object> claims, String name, String value) {
        if (value != null) {
            claims.put(name, value);
        }
    }

    /** Runs one directory call, telling the broker's metrics how it went. */
    private <T> T timed(String endpoint, LdapCall<T> call) throws LDAPException {
        long start = System.nanoTime();
        try {
            T result = call.run();
            calls.called(endpoint, IdpCalls.Outcome.OK, System.nanoTime() - start);
            return result;
        } catch (LDAPException e) {
            calls.called(endpoint, LdapRefusals.unreachable(e.getResultCode()) ? IdpCalls.Outcome.UNREACHABLE
                    : IdpCalls.Outcome.HTTP_ERROR, System.nanoTime() - start);
            throw e;
        }
    }

    @FunctionalInterface
    interface LdapCall<T> {
        T run() throws LDAPException;
    }

    @Override
    public List<Finding> diagnose() {
        return new LdapDoctor(config, connections).check();
    }

    @Override
    public void close() {
        connections.close();
    }
}
