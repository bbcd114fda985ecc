package org.idbroker.server.cli;

import java.net.URI;
import java.util.concurrent.Callable;
import org.idbroker.server.BrokerServer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "start-dev", mixinStandardHelpOptions = true,
        description = "Start the broker in development mode on an embedded PostgreSQL whose data stays in --data-dir.")
final class StartDevCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    DatabaseOptions db;

    @Mixin
    ServerOptions http;

    @Mixin
    ProvidersOptions providers;

    @Option(names = "--public-url", paramLabel = "URL", description = "Address people reach the broker at (default: http://localhost:PORT). Env: IDBROKER_PUBLIC_URL.")
    URI publicUrl;

    @Override
    public Integer call() {
        BrokerServer server = ServerLauncher.launch(db, http, providers, publicUrl, true);
        String where = db.embedded() ? "embedded PostgreSQL in " + db.dataDir.toAbsolutePath().normalize() : db.dbUrl;
        spec.commandLine().getOut().println("IdBroker is running in DEVELOPMENT mode at " + server.config().publicUrl()
                + " (" + where + "). Do not use start-dev in production: use 'idbroker start'.");
        spec.commandLine().getOut().println("Sign in at " + server.config().publicUrl() + "/app/sign-in");
        spec.commandLine().getOut().flush();
        return 0;
    }
}
