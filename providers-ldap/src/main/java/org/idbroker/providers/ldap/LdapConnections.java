package org.idbroker.providers.ldap;

import com.unboundid.ldap.sdk.FailoverServerSet;
import com.unboundid.ldap.sdk.LDAPConnection;
import com.unboundid.ldap.sdk.LDAPConnectionOptions;
import com.unboundid.ldap.sdk.LDAPConnectionPool;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.LDAPURL;
import com.unboundid.ldap.sdk.PostConnectProcessor;
import com.unboundid.ldap.sdk.ServerSet;
import com.unboundid.ldap.sdk.SimpleBindRequest;
import com.unboundid.ldap.sdk.StartTLSPostConnectProcessor;
import com.unboundid.util.ssl.HostNameSSLSocketVerifier;
import com.unboundid.util.ssl.JVMDefaultTrustManager;
import com.unboundid.util.ssl.SSLUtil;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;

/**
 * The connections to one directory: a pool of at most {@link #MAX_CONNECTIONS}, opened on demand (so a directory that
 * is down when the settings are saved is no error), each bound as the service account, over ldaps:// or StartTLS
 * with the configured CA (else the JVM's) and the host name checked, failing over through the addresses in order.
 * Every operation, connecting included, has the provider's IdP Timeout as its deadline.
 */
final class LdapConnections implements AutoCloseable {

    static final int MAX_CONNECTIONS = 10;

    private final LdapConfig config;
    private final LDAPConnectionOptions options;
    private final ServerSet servers;
    private final PostConnectProcessor startTls;
    private volatile LDAPConnectionPool pool;

    LdapConnections(LdapConfig config) {
        this.config = config;
        this.options = new LDAPConnectionOptions();
        options.setConnectTimeoutMillis((int) config.timeoutMillis());
        options.setResponseTimeoutMillis(config.timeoutMillis());
        options.setAbandonOnTimeout(true);
        options.setSSLSocketVerifier(new HostNameSSLSocketVerifier(true));
        SSLSocketFactory tls = config.encrypted() ? socketFactory(config) : null;
        String[] hosts = config.urls().stream().map(LDAPURL::getHost).toArray(String[]::new);
        int[] ports = config.urls().stream().mapToInt(LDAPURL::getPort).toArray();
        boolean ldaps = config.urls().get(0).getScheme().equals("ldaps");
        this.servers = ldaps ? new FailoverServerSet(hosts, ports, tls, options) : new FailoverServerSet(hosts, ports, options);
        this.startTls = config.startTls() ? new StartTLSPostConnectProcessor(tls) : null;
    }

    /** The pool, made at first use. */
    LDAPConnectionPool pool() throws LDAPException {
        LDAPConnectionPool current = pool;
        if (current != null) {
            return current;
        }
        synchronized (this) {
            if (pool == null) {
                LDAPConnectionPool made = new LDAPConnectionPool(servers, serviceBind(), 0, MAX_CONNECTIONS, startTls);
                made.setMaxWaitTimeMillis(config.timeoutMillis());
                made.setCreateIfNecessary(true);
                made.setRetryFailedOperationsDueToInvalidConnections(true);
                made.setConnectionPoolName("idbroker-ldap");
                pool = made;
            }
            return pool;
        }
    }

    /** A connection of its own (not pooled) to one address, bound as the service account, for the doctor's checks. */
    LDAPConnection connect(LDAPURL url) throws LDAPException {
        boolean ldaps = url.getScheme().equals("ldaps");
        LDAPConnection connection = ldaps ? new LDAPConnection(socketFactory(config), options)
                : new LDAPConnection(options);
        try {
            connection.connect(url.getHost(), url.getPort(), (int) config.timeoutMillis());
            if (startTls != null) {
                startTls.processPreAuthenticatedConnection(connection);
            }
            return connection;
        } catch (LDAPException e) {
            connection.close();
            throw e;
        }
    }

    SimpleBindRequest serviceBind() {
        SimpleBindRequest bind = new SimpleBindRequest(config.bindDn(), config.bindPassword());
        bind.setResponseTimeoutMillis(config.timeoutMillis());
        return bind;
    }

    private static SSLSocketFactory socketFactory(LdapConfig config) {
        try {
            return new SSLUtil(trustManager(config)).createSSLSocketFactory();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JVM cannot make TLS connections: " + e.getMessage(), e);
        }
    }

    private static TrustManager trustManager(LdapConfig config) throws GeneralSecurityException {
        if (config.caCertificates().isEmpty()) {
            return JVMDefaultTrustManager.getInstance();
        }
        KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
        try {
            store.load(null, null);
        } catch (java.io.IOException e) {
            throw new GeneralSecurityException(e);
        }
        int i = 0;
        for (X509Certificate certificate : config.caCertificates()) {
            store.setCertificateEntry("ca-" + i++, certificate);
        }
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(store);
        return factory.getTrustManagers()[0];
    }

    @Override
    public void close() {
        LDAPConnectionPool current = pool;
        if (current != null) {
            current.close();
        }
    }
}
