package org.idbroker.server.web.oidc;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import java.time.Clock;
import org.idbroker.core.clients.Clients;
import org.idbroker.core.crypto.SecretCipher;
import org.idbroker.core.oauth.AuthorizationCodes;
import org.idbroker.core.oauth.AuthorizationRequests;
import org.idbroker.core.oauth.BackchannelLogouts;
import org.idbroker.core.oauth.RefreshTokens;
import org.idbroker.core.oauth.SigningKeys;
import org.idbroker.core.oauth.Subjects;
import org.idbroker.core.teams.Memberships;
import org.idbroker.server.BrokerConfig;
import org.jdbi.v3.core.Jdbi;

/** The broker as an OpenID Provider: its keys, codes and pending requests, and what issues tokens. */
public final class OidcModule extends AbstractModule {

    @Provides
    @Singleton
    OidcKeys oidcKeys(Jdbi jdbi, SecretCipher cipher, Clock clock) {
        return new OidcKeys(new SigningKeys(jdbi, cipher, clock), SigningKeys.Schedule.DEFAULT, clock);
    }

    @Provides
    @Singleton
    TokenIssuer tokenIssuer(OidcKeys keys, BrokerConfig config, Clock clock) {
        return new TokenIssuer(keys, config.publicUrl().toString(), clock);
    }

    @Provides
    @Singleton
    AuthorizationRequests authorizationRequests(Jdbi jdbi, Clock clock) {
        return new AuthorizationRequests(jdbi, clock);
    }

    @Provides
    @Singleton
    AuthorizationCodes authorizationCodes(Jdbi jdbi, Clock clock) {
        return new AuthorizationCodes(jdbi, clock);
    }

    @Provides
    @Singleton
    RefreshTokens refreshTokens(Jdbi jdbi, Clock clock) {
        return new RefreshTokens(jdbi, clock);
    }

    @Provides
    @Singleton
    BackchannelLogouts backchannelLogouts(Jdbi jdbi) {
        return new BackchannelLogouts(jdbi);
    }

    @Provides
    @Singleton
    BackchannelDelivery backchannelDelivery(BackchannelLogouts logouts, TokenIssuer issuer, Clients clients) {
        return new BackchannelDelivery(logouts, issuer, clients);
    }

    @Provides
    @Singleton
    Subjects subjects(Jdbi jdbi, Memberships memberships) {
        return new Subjects(jdbi, memberships);
    }

    @Provides
    @Singleton
    OidcMaintenance oidcMaintenance(OidcKeys keys, AuthorizationRequests requests, AuthorizationCodes codes,
            RefreshTokens refreshTokens) {
        return new OidcMaintenance(keys, requests, codes, refreshTokens);
    }
}
