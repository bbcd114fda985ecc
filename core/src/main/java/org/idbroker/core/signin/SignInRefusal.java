package org.idbroker.core.signin;

import java.util.Locale;

/** Why the broker itself refused a sign-in (the provider's own reasons are in the SPI). */
public enum SignInRefusal {
    STATE_MISSING("The sign-in response carries no state. Start the sign-in again from the sign-in page."),
    STATE_UNKNOWN("This sign-in is unknown or was already used. Start the sign-in again from the sign-in page."),
    STATE_EXPIRED("This sign-in took longer than 10 minutes and expired. Start the sign-in again from the sign-in page."),
    STATE_OTHER_BROWSER("This sign-in was started in another browser. Start the sign-in again in this browser."),
    STATE_OTHER_HOST("This sign-in was started at another address of the broker than the one the identity provider sent "
            + "you back to, and a browser keeps a sign-in per address. Start the sign-in again at the broker's public address."),
    STATE_TOO_LONG("This sign-in cannot start: what it must carry through the identity provider would be longer than the "
            + "4,096 characters the broker sends in the state parameter, most likely because the address to return to after "
            + "sign-in (redirectAfterLoginTo) is very long. Start the sign-in with a shorter address to return to; if that "
            + "does not help, the provider type keeps too much per sign-in: report it to its maintainers."),
    PROVIDER_UNKNOWN("There is no enabled sign-in provider with this id. Ask an administrator to check the provider settings."),
    NO_MATCHING_ACCOUNT("No user account matches this identity and automatic user creation is off for this provider. "
            + "Ask an administrator to create your account with your email address, or to turn on Allow Auto User Creation."),
    EMAIL_NOT_VERIFIED("A user account has this email address, but the identity provider does not say the address is verified "
            + "(email_verified is not true), so the accounts were not linked. An administrator can turn on Trust Email for this "
            + "provider if the identity provider controls its users' addresses (Authentik since 2025.10 always sends "
            + "email_verified false), or link the identity to the account by hand."),
    AMBIGUOUS_EMAIL("Several user accounts have this email address, so the broker cannot tell which one is yours. "
            + "Ask an administrator to give each account its own email address."),
    USER_INACTIVE("Your user account is disabled. Ask an administrator to enable it.");

    private final String message;

    SignInRefusal(String message) {
        this.message = message;
    }

    public String message() {
        return message;
    }

    /**
     * The refusal of a callback whose sign-in started at {@code startedHost}: says so, and names the address to use.
     *
     * @param publicUrl the broker's public URL, where the IdP sends everyone back
     */
    public static String otherHostMessage(String startedHost, java.net.URI publicUrl) {
        return "This sign-in was started at " + startedHost + ", but the identity provider sends everyone back to the broker's "
                + "public address, " + publicUrl + ", and a browser keeps a sign-in for the address it was started at. "
                + "Open " + publicUrl + "/app/sign-in and sign in from there.";
    }

    public String code() {
        return name().toLowerCase(Locale.ROOT);
    }
}
