package org.idbroker.providers.ldap;

import java.util.List;
import org.idbroker.spi.IdentityProvider;
import org.idbroker.spi.IdentityProviderFactory;
import org.idbroker.spi.InvalidSettingsException;
import org.idbroker.spi.ProviderContext;
import org.idbroker.spi.SettingDescriptor;
import org.idbroker.spi.SignInStyle;

/**
 * The {@code ldap} type: people sign in with the broker's password form, checked against an LDAP directory
 * (OpenLDAP, 389 Directory Server, Active Directory, ...) with a service account, a search for the person and a
 * bind as them; their groups are read from the directory.
 */
public final class LdapProviderFactory implements IdentityProviderFactory {

    public static final String TYPE = "ldap";

    private static final List<SettingDescriptor> SETTINGS = List.of(
            SettingDescriptor.list(LdapConfig.URL, "URL", "The directory's address, ldap://host:389 or ldaps://host:636; several"
                    + " separated by spaces are tried in order (failover). The first one's host names the identities' issuer.",
                    true, null),
            SettingDescriptor.bool(LdapConfig.START_TLS, "StartTLS", "Encrypt ldap:// connections with StartTLS before anything is"
                    + " sent. Without it (or ldaps://) passwords cross the network in clear.", false),
            SettingDescriptor.multiline(LdapConfig.CA_CERTIFICATE, "CA Certificate", "The PEM certificate(s) of the authority that"
                    + " signed the directory's TLS certificate, for ldaps:// and StartTLS. Empty: the JVM's trusted authorities.",
                    false),
            SettingDescriptor.text(LdapConfig.BIND_DN, "Bind DN", "The service account the broker searches with, such as"
                    + " cn=idbroker,ou=services,dc=example,dc=com.", true, null),
            SettingDescriptor.secret(LdapConfig.BIND_PASSWORD, "Bind Password", "The service account's password.", true),
            SettingDescriptor.text(LdapConfig.USER_BASE_DN, "User Base DN", "Where people are searched, such as"
                    + " ou=people,dc=example,dc=com (the whole subtree).", true, null),
            SettingDescriptor.text(LdapConfig.USER_FILTER, "User Filter", "Which entries under the user base are people who may"
                    + " sign in; the username is added to it.", false, "(objectClass=person)"),
            SettingDescriptor.text(LdapConfig.USERNAME_ATTRIBUTE, "Username Attribute", "The attribute people type as their"
                    + " username (sAMAccountName for Active Directory).", false, "uid"),
            SettingDescriptor.text(LdapConfig.ID_ATTRIBUTE, "ID Attribute", "The attribute that identifies an entry for ever, even"
                    + " when renamed or moved: entryUUID (OpenLDAP, 389 DS), objectGUID (Active Directory, read as binary).",
                    false, "entryUUID"),
            SettingDescriptor.text(LdapConfig.EMAIL_ATTRIBUTE, "Email Attribute", "The email address. A directory cannot say an"
                    + " address is verified: only Trust Email links accounts by it.", false, "mail"),
            SettingDescriptor.text(LdapConfig.NAME_ATTRIBUTE, "Name Attribute", "The person's full name.", false, "cn"),
            SettingDescriptor.text(LdapConfig.GROUP_BASE_DN, "Group Base DN", "Where groups are searched, such as"
                    + " ou=groups,dc=example,dc=com. Empty: groups are not read.", false, null),
            SettingDescriptor.text(LdapConfig.GROUP_FILTER, "Group Filter", "Which entries under the group base are groups.", false,
                    "(objectClass=groupOfNames)"),
            SettingDescriptor.text(LdapConfig.GROUP_MEMBER_ATTRIBUTE, "Group Member Attribute", "The attribute of a group that"
                    + " holds the DNs of its members.", false, "member"),
            SettingDescriptor.text(LdapConfig.GROUP_NAME_ATTRIBUTE, "Group Name Attribute", "The attribute whose value is the"
                    + " group's name, as teams' external groups name it.", false, "cn"),
            SettingDescriptor.bool(LdapConfig.NESTED_GROUPS, "Nested Groups", "Also the groups that the person's groups are members"
                    + " of, and so on.", false),
            SettingDescriptor.integer(LdapConfig.IDP_TIMEOUT_SECONDS, "IdP Timeout", "Seconds each directory operation (connect,"
                    + " bind, search) may take, 1 to 60.", LdapConfig.DEFAULT_TIMEOUT_SECONDS));

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public String displayName() {
        return "LDAP directory";
    }

    @Override
    public SignInStyle signInStyle() {
        return SignInStyle.PASSWORD;
    }

    @Override
    public List<SettingDescriptor> settings() {
        return SETTINGS;
    }

    @Override
    public IdentityProvider create(ProviderContext context) throws InvalidSettingsException {
        return new LdapProvider(LdapConfig.of(context.settings()), context.idpCalls());
    }
}
