package org.idbroker.providers.ldap;

import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.ResultCode;
import org.idbroker.spi.RejectionReason;
import org.idbroker.spi.SignInRejectedException;

/**
 * What a directory's error means for the person and the administrator: a wrong password ({@code invalidCredentials},
 * 49, at the person's bind) is told apart from a directory that cannot be reached or is misconfigured. Messages never
 * hold the password.
 */
final class LdapRefusals {

    static final String WRONG_PASSWORD = "The username or the password is wrong. Check them and try again.";

    private LdapRefusals() {
    }

    /** The person's bind failed. */
    static SignInRejectedException personBind(LDAPException e, LdapConfig config) {
        if (e.getResultCode() == ResultCode.INVALID_CREDENTIALS) {
            return new SignInRejectedException(RejectionReason.INVALID_CREDENTIALS, WRONG_PASSWORD);
        }
        return operation(e, config, "checking the password");
    }

    /** A step done as the service account (connect, bind, search) failed. */
    static SignInRejectedException operation(LDAPException e, LdapConfig config, String step) {
        ResultCode code = e.getResultCode();
        if (code == ResultCode.INVALID_CREDENTIALS) {
            return new SignInRejectedException(RejectionReason.MISCONFIGURED, "The directory refused the broker's service account"
                    + " (invalidCredentials while " + step + "): an administrator must correct the provider's Bind DN or Bind"
                    + " Password.");
        }
        if (code == ResultCode.NO_SUCH_OBJECT || code == ResultCode.INVALID_DN_SYNTAX || code == ResultCode.FILTER_ERROR
                || code == ResultCode.INSUFFICIENT_ACCESS_RIGHTS || code == ResultCode.UNDEFINED_ATTRIBUTE_TYPE) {
            return new SignInRejectedException(RejectionReason.MISCONFIGURED, "The directory answered " + code.getName()
                    + " while " + step + ": an administrator must check the provider's base DNs, filters and the service"
                    + " account's rights (run the provider's Test).");
        }
        if (unreachable(code)) {
            return new SignInRejectedException(RejectionReason.IDP_UNAVAILABLE, "The directory (" + config.addresses()
                    + ") cannot be reached or did not answer within " + config.timeout().toSeconds() + " s (" + code.getName()
                    + " while " + step + "). Try again later; if it goes on, tell an administrator." , e);
        }
        return new SignInRejectedException(RejectionReason.IDP_UNAVAILABLE, "The directory answered " + code.getName() + " ("
                + code.intValue() + ") while " + step + ". Try again later; if it goes on, tell an administrator.", e);
    }

    static boolean unreachable(ResultCode code) {
        return !code.isConnectionUsable() || code == ResultCode.TIMEOUT || code == ResultCode.BUSY || code == ResultCode.UNAVAILABLE
                || code == ResultCode.CONNECT_ERROR || code == ResultCode.SERVER_DOWN || code == ResultCode.TIME_LIMIT_EXCEEDED;
    }
}
