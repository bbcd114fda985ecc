package org.idbroker.server;

import static java.util.Objects.requireNonNull;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import java.time.Clock;
import org.idbroker.core.apikeys.ApiKeys;
import org.idbroker.core.auth.Callers;
import org.idbroker.core.clients.Clients;
import org.idbroker.core.crypto.SecretCipher;
import org.idbroker.core.db.Database;
import org.idbroker.core.events.Events;
import org.idbroker.core.providers.ProviderDirectory;
import org.idbroker.core.providers.ProviderStore;
import org.idbroker.core.sessions.Sessions;
import org.idbroker.core.signin.ClaimsPreviews;
import org.idbroker.core.signin.IdentityMatcher;
import org.idbroker.core.signin.LoginStates;
import org.idbroker.core.signin.PasswordSignIns;
import org.idbroker.core.signin.PasswordThrottle;
import org.idbroker.core.signin.SignIns;
import org.idbroker.core.teams.Memberships;
import org.idbroker.core.teams.Roles;
import org.idbroker.core.teams.Teams;
import org.idbroker.core.users.UserAdministration;
import org.idbroker.core.users.Users;
import org.jdbi.v3.core.Jdbi;

/** The database and the core services on it. */
public final class CoreModule extends AbstractModule {

    private final Database database;
    private final SecretCipher cipher;
    private final BrokerConfig config;
    private final PasswordThrottle.Limits passwordFailures;

    public CoreModule(Database database, SecretCipher cipher, BrokerConfig config, PasswordThrottle.Limits passwordFailures) {
        this.database = requireNonNull(database, "database is null");
        this.cipher = requireNonNull(cipher, "cipher is null");
        this.config = requireNonNull(config, "config is null");
        this.passwordFailures = requireNonNull(passwordFailures, "passwordFailures is null");
    }

    @Override
    protected void configure() {
        bind(Database.class).toInstance(database);
        bind(Jdbi.class).toInstance(database.jdbi());
        bind(SecretCipher.class).toInstance(cipher);
        bind(BrokerConfig.class).toInstance(config);
        bind(Clock.class).toInstance(Clock.systemUTC());
    }

    @Provides
    @Singleton
    Users users(Jdbi jdbi) {
        return new Users(jdbi);
    }

    @Provides
    @Singleton
    Events events(Jdbi jdbi) {
        return new Events(jdbi);
    }

    @Provides
    @Singleton
    Sessions sessions(Jdbi jdbi, Clock clock) {
        return new Sessions(jdbi, cipher, clock, config.sessionLifetimes());
    }

    @Provides
    @Singleton
    LoginStates loginStates(Jdbi jdbi, Clock clock) {
        return new LoginStates(jdbi, cipher, clock);
    }

    @Provides
    @Singleton
    IdentityMatcher identityMatcher(Jdbi jdbi) {
        return new IdentityMatcher(jdbi);
    }

    @Provides
    @Singleton
    Callers callers(Sessions sessions, ApiKeys apiKeys) {
        return new Callers(sessions, apiKeys);
    }

    @Provides
    @Singleton
    ClaimsPreviews claimsPreviews(Callers callers, IdentityMatcher matcher, Memberships memberships, LoginStates states) {
        return new ClaimsPreviews(callers, matcher, memberships, states);
    }

    @Provides
    @Singleton
    PasswordThrottle passwordThrottle(Jdbi jdbi, Clock clock) {
        return new PasswordThrottle(jdbi, passwordFailures, clock);
    }

    @Provides
    @Singleton
    PasswordSignIns passwordSignIns(SignIns signIns, LoginStates states, ClaimsPreviews previews,
            PasswordThrottle throttle) {
        return new PasswordSignIns(signIns, states, previews, throttle);
    }

    @Provides
    @Singleton
    SignIns signIns(Jdbi jdbi, ProviderDirectory providers, LoginStates states, IdentityMatcher matcher,
            Sessions sessions, ClaimsPreviews previews) {
        return new SignIns(jdbi, providers, states, matcher, sessions, previews, config.publicUrl());
    }

    @Provides
    @Singleton
    Memberships memberships(Jdbi jdbi) {
        return new Memberships(jdbi);
    }

    @Provides
    @Singleton
    Teams teams(Jdbi jdbi) {
        return new Teams(jdbi);
    }

    @Provides
    @Singleton
    Roles roles(Jdbi jdbi) {
        return new Roles(jdbi);
    }

    @Provides
    @Singleton
    UserAdministration userAdministration(Jdbi jdbi) {
        return new UserAdministration(jdbi);
    }

    @Provides
    @Singleton
    ApiKeys apiKeys(Jdbi jdbi, Clock clock) {
        return new ApiKeys(jdbi, clock);
    }

    @Provides
    @Singleton
    ProviderStore providerStore(Jdbi jdbi) {
        return new ProviderStore(jdbi, cipher);
    }

    @Provides
    @Singleton
    Clients clients(Jdbi jdbi) {
        return new Clients(jdbi);
    }
}
