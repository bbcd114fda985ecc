package org.idbroker.server.cli;

import java.net.URI;
import org.idbroker.core.crypto.SecretCipher;
import org.idbroker.server.BrokerServer;
import org.idbroker.server.operations.Operations;
import org.idbroker.server.providers.ProviderTypes;

/** Starts a node from the command line and stops it cleanly on SIGTERM or Ctrl-C. */
final class ServerLauncher {

    private ServerLauncher() {
    }

    static BrokerServer launch(DatabaseOptions db, ServerOptions http, ProvidersOptions providers, URI publicUrl, boolean devMode) {
        return launch(db, http, providers, publicUrl, devMode, null);
    }

    /** As {@link #launch(DatabaseOptions, ServerOptions, ProvidersOptions, URI, boolean)}, applying {@code applyFile} first. */
    static BrokerServer launch(DatabaseOptions db, ServerOptions http, ProvidersOptions providers, URI publicUrl, boolean devMode,
            java.nio.file.Path applyFile) {
        http.check();
        Operations operations = http.operations();
        http.logFormat().apply();
        ProviderTypes types = providers.load();
        BrokerServer.DatabaseStep beforeServing = applyFile == null ? (database, sealer) -> { }
                : new StartupApply(applyFile, types, org.idbroker.server.BrokerConfig.normalizePublicUrl(publicUrl));
        SecretCipher cipher = db.cipher();
        DatabaseOptions.OpenDatabase open = db.prepare();
        BrokerServer server;
        try {
            server = BrokerServer.start(new BrokerServer.Options(http.httpPort, http.bind, publicUrl, devMode, http.lifetimes(),
                    http.httpThreads, operations, http.trafficLimits()),
                    open.database(), cipher, types, beforeServing);
        } catch (RuntimeException e) {
            open.close();
            throw e;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            open.close();
        }, "shutdown"));
        return server;
    }
}
