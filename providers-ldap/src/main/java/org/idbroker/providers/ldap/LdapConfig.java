package org.idbroker.providers.ldap;

import static java.util.Objects.requireNonNull;

import com.unboundid.ldap.sdk.DN;
import com.unboundid.ldap.sdk.Filter;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.LDAPURL;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import org.idbroker.spi.InvalidSettingsException;
import org.idbroker.spi.ProviderSettings;

/**
 * One {@code ldap} instance's settings, checked: addresses, DNs and filters parsed, attribute names well-formed,
 * the CA certificate read. Built at save time, so a bad value is refused naming its field.
 */
record LdapConfig(List<LDAPURL> urls, boolean startTls, List<X509Certificate> caCertificates, String bindDn, String bindPassword,
        DN userBaseDn, Filter userFilter, String usernameAttribute, String idAttribute, String emailAttribute, String nameAttribute,
        DN groupBaseDn, Filter groupFilter, String groupMemberAttribute, String groupNameAttribute, boolean nestedGroups,
        Duration timeout) {

    static final String URL = "url";
    static final String START_TLS = "startTls";
    static final String CA_CERTIFICATE = "caCertificate";
    static final String BIND_DN = "bindDn";
    static final String BIND_PASSWORD = "bindPassword";
    static final String USER_BASE_DN = "userBaseDn";
    static final String USER_FILTER = "userFilter";
    static final String USERNAME_ATTRIBUTE = "usernameAttribute";
    static final String ID_ATTRIBUTE = "idAttribute";
    static final String EMAIL_ATTRIBUTE = "emailAttribute";
    static final String NAME_ATTRIBUTE = "nameAttribute";
    static final String GROUP_BASE_DN = "groupBaseDn";
    static final String GROUP_FILTER = "groupFilter";
    static final String GROUP_MEMBER_ATTRIBUTE = "groupMemberAttribute";
    static final String GROUP_NAME_ATTRIBUTE = "groupNameAttribute";
    static final String NESTED_GROUPS = "nestedGroups";
    static final String IDP_TIMEOUT_SECONDS = "idpTimeoutSeconds";
    static final int DEFAULT_TIMEOUT_SECONDS = 5;
    /** Active Directory's binary entry id. */
    static final String OBJECT_GUID = "objectGUID";
    /** An attribute description: a name (with options) or an OID. */
    private static final Pattern ATTRIBUTE = Pattern.compile("[A-Za-z][A-Za-z0-9-]*(;[A-Za-z0-9-]+)*|[0-9]+(\\.[0-9]+)+");

    LdapConfig {
        urls = List.copyOf(urls);
        caCertificates = List.copyOf(caCertificates);
        requireNonNull(bindDn, "bindDn is null");
        requireNonNull(bindPassword, "bindPassword is null");
        requireNonNull(userBaseDn, "userBaseDn is null");
        requireNonNull(timeout, "timeout is null");
    }

    static LdapConfig of(ProviderSettings s) throws InvalidSettingsException {
        List<LDAPURL> urls = urls(s);
        boolean startTls = s.bool(START_TLS, false);
        if (startTls && urls.get(0).getScheme().equals("ldaps")) {
            throw new InvalidSettingsException(START_TLS, "StartTLS is for ldap:// addresses; an ldaps:// address is encrypted already");
        }
        int seconds = s.integer(IDP_TIMEOUT_SECONDS, DEFAULT_TIMEOUT_SECONDS);
        if (seconds < 1 || seconds > 60) {
            throw new InvalidSettingsException(IDP_TIMEOUT_SECONDS, "must be between 1 and 60 seconds, got " + seconds);
        }
        return new LdapConfig(urls, startTls, certificates(s), dn(s, BIND_DN, true).toString(), s.require(BIND_PASSWORD),
                dn(s, USER_BASE_DN, true), filter(s, USER_FILTER, "(objectClass=person)"),
                attribute(s, USERNAME_ATTRIBUTE, "uid"), attribute(s, ID_ATTRIBUTE, "entryUUID"), attribute(s, EMAIL_ATTRIBUTE, "mail"),
                attribute(s, NAME_ATTRIBUTE, "cn"), dn(s, GROUP_BASE_DN, false), filter(s, GROUP_FILTER, "(objectClass=groupOfNames)"),
                attribute(s, GROUP_MEMBER_ATTRIBUTE, "member"), attribute(s, GROUP_NAME_ATTRIBUTE, "cn"), s.bool(NESTED_GROUPS, false),
                Duration.ofSeconds(seconds));
    }

    /** Whether connections are encrypted (ldaps:// or StartTLS). */
    boolean encrypted() {
        return startTls || urls.get(0).getScheme().equals("ldaps");
    }

    /**
     * The issuer of this directory's identities: {@code ldap://HOST/USER-BASE-DN} with the first address's host in lower
     * case and the user base normalized, whatever the scheme and port, so moving to LDAPS or another port, or adding
     * failover addresses after the first, keeps every identity.
     */
    String issuer() {
        try {
            return new LDAPURL("ldap", urls.get(0).getHost().toLowerCase(Locale.ROOT), null, new DN(userBaseDn.toNormalizedString()),
                    null, null, null).toString();
        } catch (LDAPException e) {
            throw new IllegalStateException("a parsed DN does not parse again", e);
        }
    }

    /** The addresses as configured, for messages. */
    String addresses() {
        return String.join(" ", urls.stream().map(LDAPURL::toString).toList());
    }

    long timeoutMillis() {
        return timeout.toMillis();
    }

    private static List<LDAPURL> urls(ProviderSettings s) throws InvalidSettingsException {
        List<String> values = s.list(URL);
        if (values.isEmpty()) {
            throw new InvalidSettingsException(URL, "a value is required, such as ldaps://ldap.example.com:636");
        }
        List<LDAPURL> urls = new ArrayList<>();
        for (String value : values) {
            LDAPURL url;
            try {
                url = new LDAPURL(value);
            } catch (LDAPException e) {
                throw new InvalidSettingsException(URL, "'" + value + "' is not an LDAP address such as ldaps://ldap.example.com:636");
            }
            if (!url.hostProvided()) {
                throw new InvalidSettingsException(URL, "'" + value + "' names no host, such as ldaps://ldap.example.com:636");
            }
            if (!urls.isEmpty() && !urls.get(0).getScheme().equals(url.getScheme())) {
                throw new InvalidSettingsException(URL, "use ldap:// for every address or ldaps:// for every address, not both");
            }
            urls.add(url);
        }
        return urls;
    }

    private static List<X509Certificate> certificates(ProviderSettings s) throws InvalidSettingsException {
        String pem = s.get(CA_CERTIFICATE).orElse(null);
        if (pem == null) {
            return List.of();
        }
        if (!pem.contains("-----BEGIN CERTIFICATE-----")) {
            throw new InvalidSettingsException(CA_CERTIFICATE, "must be PEM: -----BEGIN CERTIFICATE----- ... -----END CERTIFICATE-----");
        }
        try {
            List<X509Certificate> certificates = new ArrayList<>();
            for (var certificate : CertificateFactory.getInstance("X.509")
                    .generateCertificates(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)))) {
                certificates.add((X509Certificate) certificate);
            }
            if (certificates.isEmpty()) {
                throw new InvalidSettingsException(CA_CERTIFICATE, "holds no certificate");
            }
            return certificates;
        } catch (CertificateException e) {
            throw new InvalidSettingsException(CA_CERTIFICATE, "is not a readable PEM certificate: " + e.getMessage());
        }
    }

    private static DN dn(ProviderSettings s, String name, boolean required) throws InvalidSettingsException {
        String value = required ? s.require(name) : s.get(name).orElse(null);
        if (value == null) {
            return null;
        }
        try {
            return new DN(value);
        } catch (LDAPException e) {
            throw new InvalidSettingsException(name, "'" + value + "' is not a DN such as ou=people,dc=example,dc=com");
        }
    }

    private static Filter filter(ProviderSettings s, String name, String fallback) throws InvalidSettingsException {
        String value = s.get(name).orElse(fallback);
        try {
            return Filter.create(value);
        } catch (LDAPException e) {
            throw new InvalidSettingsException(name, "'" + value + "' is not an LDAP filter such as " + fallback + ": "
                    + e.getExceptionMessage());
        }
    }

    private static String attribute(ProviderSettings s, String name, String fallback) throws InvalidSettingsException {
        String value = s.get(name).orElse(fallback);
        if (!ATTRIBUTE.matcher(value).matches()) {
            throw new InvalidSettingsException(name, "'" + value + "' is not an attribute name such as " + fallback);
        }
        return value;
    }
}
