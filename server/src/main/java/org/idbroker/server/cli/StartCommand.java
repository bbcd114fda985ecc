package org.idbroker.server.cli;

import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.idbroker.server.BrokerServer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "start", mixinStandardHelpOptions = true,
        description = "Start the broker in production mode on an external PostgreSQL.")
final class StartCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    DatabaseOptions db;

    @Mixin
    ServerOptions http;

    @Mixin
    ProvidersOptions providers;

    @Option(names = "--public-url", paramLabel = "URL", description = "Required. Address people and IdPs reach the broker at, such as https://broker.example.com: "
                    + "redirect URIs are built from it. Env: IDBROKER_PUBLIC_URL.")
    URI publicUrl;

    @Option(names = "--apply", paramLabel = "FILE",
            description = "Apply this configuration file (as 'idbroker apply FILE') before serving; nodes starting at once "
                    + "apply it one after the other. A file that cannot be applied stops the start. Env: IDBROKER_APPLY.")
    Path apply;

    @Override
    public Integer call() {
        if (db.embedded()) {
            throw new CliException("start needs --db-url (or IDBROKER_DB_URL) pointing at PostgreSQL; "
                    + "use start-dev to try the broker on an embedded database", 2);
        }
        if (publicUrl == null) {
            throw new CliException("start needs --public-url (or IDBROKER_PUBLIC_URL), such as https://broker.example.com: "
                    + "the redirect URIs registered at your IdP are built from it", 2);
        }
        CliException.publicUrl(publicUrl);
        BrokerServer server;
        try {
            server = ServerLauncher.launch(db, http, providers, publicUrl, false, apply);
        } catch (StartupApply.Refused e) {
            PrintWriter err = spec.commandLine().getErr();
            err.println("idbroker: " + e.getMessage());
            e.problems().forEach(p -> err.println("  " + p));
            err.flush();
            return 2;
        }
        spec.commandLine().getOut().println("IdBroker is running at " + server.config().publicUrl() + " (listening on port " + server.port() + ")");
        spec.commandLine().getOut().flush();
        return 0;
    }
}
