package org.idbroker.server.cli;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** A health check a container runtime can run inside the image, which has no curl: exit 0 when the node answers 200. */
@Command(name = "health", mixinStandardHelpOptions = true,
        description = {"Ask a node on this machine whether it is ready (or live) and exit 0 when it answers 200, else 1.",
                "For a container's health check, e.g. compose: test: [\"CMD\", \"/opt/idbroker/bin/idbroker\", \"health\"]."})
final class HealthCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--port", paramLabel = "N", description = "Port to ask on 127.0.0.1 (default: the management port of"
            + " IDBROKER_MANAGEMENT_PORT when it is a number, else IDBROKER_HTTP_PORT, else " + OptionDefaults.HTTP_PORT + ").")
    Integer port;

    @Option(names = "--live", description = "Ask /health/live (the process answers) instead of /health/ready.")
    boolean live;

    @Override
    public Integer call() {
        URI uri = URI.create("http://127.0.0.1:" + (port != null ? port : defaultPort()) + (live ? "/health/live" : "/health/ready"));
        try {
            int status = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build()
                    .send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(3)).build(), HttpResponse.BodyHandlers.discarding())
                    .statusCode();
            spec.commandLine().getOut().println(uri + " answered " + status);
            spec.commandLine().getOut().flush();
            return status == 200 ? 0 : 1;
        } catch (IOException e) {
            spec.commandLine().getErr().println("idbroker: " + uri + " does not answer"
                    + (e.getMessage() == null ? "" : ": " + e.getMessage()));
            return 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 1;
        }
    }

    /** The management port when the node has one, else its HTTP port: where the environment the node runs in says. */
    private static String defaultPort() {
        for (String variable : new String[] {"IDBROKER_MANAGEMENT_PORT", "IDBROKER_HTTP_PORT"}) {
            String value = System.getenv(variable);
            if (value != null && value.strip().matches("[0-9]{1,5}")) {
                return value.strip();
            }
        }
        return OptionDefaults.HTTP_PORT;
    }
}
