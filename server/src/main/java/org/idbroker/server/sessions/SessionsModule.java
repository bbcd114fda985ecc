package org.idbroker.server.sessions;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import java.time.Clock;
import org.idbroker.core.sessions.IdpLogouts;
import org.idbroker.core.sessions.Sessions;
import org.idbroker.core.sessions.StoredSessionLifetimes;
import org.idbroker.server.BrokerConfig;
import org.idbroker.server.metrics.BrokerMetrics;
import org.jdbi.v3.core.Jdbi;

/** Session lifetimes that change at run time, session clean-up, and logout sent by IdPs. */
public final class SessionsModule extends AbstractModule {

    @Provides
    @Singleton
    StoredSessionLifetimes storedSessionLifetimes(Jdbi jdbi) {
        return new StoredSessionLifetimes(jdbi);
    }

    @Provides
    @Singleton
    SessionMaintenance sessionMaintenance(Sessions sessions, StoredSessionLifetimes stored, BrokerConfig config,
            BrokerMetrics metrics) {
        return new SessionMaintenance(sessions, stored, config.sessionLifetimes(), metrics::sessionsExpired);
    }

    @Provides
    @Singleton
    IdpLogouts idpLogouts(Jdbi jdbi, Clock clock) {
        return new IdpLogouts(jdbi, clock);
    }
}
