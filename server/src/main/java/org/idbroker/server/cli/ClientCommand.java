package org.idbroker.server.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import org.idbroker.core.admin.ChangeRefusedException;
import org.idbroker.core.clients.Client;
import org.idbroker.core.clients.ClientSpec;
import org.idbroker.core.clients.Clients;
import org.idbroker.core.clients.CreatedClient;
import org.idbroker.core.teams.TeamRef;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code idbroker client create|update|delete|list|rotate-secret}: the applications that sign in through the broker. */
@Command(name = "client", mixinStandardHelpOptions = true,
        description = "Register and manage the applications (OpenID Connect clients) that sign people in through the broker.",
        subcommands = {ClientCommand.Create.class, ClientCommand.Update.class, ClientCommand.Delete.class,
                ClientCommand.ListClients.class, ClientCommand.RotateSecret.class})
final class ClientCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** The options that describe a client, shared by create and update. */
    static final class ClientOptions {
        @Option(names = "--name", paramLabel = "NAME", description = "The name people see, such as Grafana.")
        String name;

        @Option(names = "--redirect-uri", paramLabel = "URI",
                description = "A redirect URI, matched exactly (repeatable; given on update, replaces the list).")
        List<String> redirectUris;

        @Option(names = "--post-logout-redirect-uri", paramLabel = "URI",
                description = "Where the application may send people after logout (repeatable; replaces the list).")
        List<String> postLogoutRedirectUris;

        @Option(names = "--backchannel-logout-uri", paramLabel = "URI",
                description = "Where the broker posts a logout token when a session ends; empty to clear.")
        String backchannelLogoutUri;

        @Option(names = "--grant-type", paramLabel = "GRANT",
                description = "authorization_code, refresh_token or client_credentials (repeatable; default the first two).")
        List<String> grantTypes;

        @Option(names = "--team", paramLabel = "NAME",
                description = "Only members of this team may use the application (repeatable; replaces the list).")
        List<String> teams;

        @Option(names = "--all-users", description = "Let every active user use the application (clears --team).")
        boolean allUsers;

        @Option(names = "--groups-claim", paramLabel = "teams|external-groups|permissions",
                description = "What the groups claim carries (default: teams).")
        String groupsClaim;

        @Option(names = "--access-token-seconds", paramLabel = "N", description = "Access-token lifetime (default 300).")
        Integer accessTokenSeconds;

        @Option(names = "--id-token-seconds", paramLabel = "N", description = "ID-token lifetime (default 300).")
        Integer idTokenSeconds;

        @Option(names = "--refresh-token-seconds", paramLabel = "N", description = "Refresh-token lifetime (default 86400).")
        Integer refreshTokenSeconds;

        @Option(names = "--signing-alg", paramLabel = "RS256|ES256",
                description = "What the application's tokens are signed with (default RS256, which every application accepts).")
        String signingAlgorithm;

        ClientSpec over(ClientSpec base, String type) {
            if (allUsers && teams != null && !teams.isEmpty()) {
                throw new CliException("give either --team or --all-users, not both", 2);
            }
            return new ClientSpec(
                    name != null ? name : base.name(),
                    type != null ? type : base.type(),
                    redirectUris != null ? redirectUris : base.redirectUris(),
                    postLogoutRedirectUris != null ? postLogoutRedirectUris : base.postLogoutRedirectUris(),
                    backchannelLogoutUri != null ? backchannelLogoutUri : base.backchannelLogoutUri(),
                    grantTypes != null ? grantTypes : base.grantTypes(),
                    allUsers ? List.of() : teams != null ? teams : base.teams(),
                    groupsClaim != null ? groupsClaim : base.groupsClaim(),
                    accessTokenSeconds != null ? accessTokenSeconds : base.accessTokenSeconds(),
                    idTokenSeconds != null ? idTokenSeconds : base.idTokenSeconds(),
                    refreshTokenSeconds != null ? refreshTokenSeconds : base.refreshTokenSeconds(),
                    signingAlgorithm != null ? signingAlgorithm : base.signingAlgorithm(), false);
        }
    }

    /** What every subcommand needs: the database and the public URL. */
    abstract static class Base implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        DatabaseOptions db;

        @Option(names = "--public-url", paramLabel = "URL", description = "The broker's public URL, to print the discovery URL (default: ${DEFAULT-VALUE}). Env: IDBROKER_PUBLIC_URL.")
        URI publicUrl;

        @Override
        public Integer call() {
            URI url = CliException.publicUrl(publicUrl);
            checkOptions();
            try (DatabaseOptions.OpenDatabase open = db.openForSeeding()) {
                Clients clients = new Clients(open.database().jdbi());
                PrintWriter out = spec.commandLine().getOut();
                try {
                    run(clients, out, url);
                } catch (ChangeRefusedException e) {
                    int code = e.kind() == ChangeRefusedException.Kind.INVALID ? 2 : 1;
                    throw new CliException(e.getMessage(), code);
                }
                out.flush();
                return 0;
            }
        }

        abstract void run(Clients clients, PrintWriter out, URI publicUrl);

        /** Refuses a usage error before the database is opened. */
        void checkOptions() {
        }

        static void requireClientId(String clientId) {
            if (clientId == null || clientId.isBlank()) {
                throw new CliException("give --client-id ID (or set IDBROKER_CLIENT_ID)", 2);
            }
        }

        static String secretFrom(Path file) {
            if (file == null) {
                return null;
            }
            try {
                return Files.readString(file).strip();
            } catch (IOException e) {
                throw new CliException("cannot read the secret file " + file + ": " + e.getMessage());
            }
        }

        static void describe(PrintWriter out, Client c, URI publicUrl) {
            out.println("Client '" + c.id() + "' (" + c.name() + ", " + c.type().code() + ")");
            out.println("  redirect URIs: " + (c.redirectUris().isEmpty() ? "(none)" : String.join(" ", c.redirectUris())));
            if (!c.postLogoutRedirectUris().isEmpty()) {
                out.println("  post-logout redirect URIs: " + String.join(" ", c.postLogoutRedirectUris()));
            }
            if (c.backchannelLogoutUri() != null) {
                out.println("  back-channel logout URI: " + c.backchannelLogoutUri());
            }
            out.println("  grant types: " + String.join(" ", c.grantTypes()));
            out.println("  who may use it: " + (!c.teamRestricted() ? "every active user"
                    : c.teams().isEmpty() ? "nobody (its teams were deleted)"
                    : "members of " + String.join(", ", c.teams().stream().map(TeamRef::name).toList())));
            out.println("  groups claim: " + c.groupsClaim().code() + "; lifetimes (s): access " + c.accessTokenLifetime().toSeconds()
                    + ", ID " + c.idTokenLifetime().toSeconds() + ", refresh " + c.refreshTokenLifetime().toSeconds());
            out.println("  discovery URL: " + publicUrl + "/.well-known/openid-configuration");
        }
    }

    @Command(name = "create", mixinStandardHelpOptions = true,
            description = {"Register an application. A confidential client's secret is printed once (or taken from --secret-file)."})
    static final class Create extends Base {
        @Option(names = "--client-id", paramLabel = "ID", description = "The client id the application sends (1-64 letters, digits, '.', '_', '-'). Env: IDBROKER_CLIENT_ID.")
        String clientId;

        @Option(names = "--type", paramLabel = "confidential|public", description = "confidential (a server that keeps a secret) or public (a browser or native app; PKCE required). "
                        + "Default: ${DEFAULT-VALUE}.")
        String type;

        @Option(names = "--secret-file", paramLabel = "FILE", description = "File holding the secret to use, instead of printing a generated one. Env: IDBROKER_CLIENT_SECRET_FILE.")
        Path secretFile;

        @Mixin
        ClientOptions options;

        @Override
        void checkOptions() {
            requireClientId(clientId);
        }

        @Override
        void run(Clients clients, PrintWriter out, URI publicUrl) {
            if (options.name == null) {
                options.name = clientId;
            }
            ClientSpec spec = options.over(new ClientSpec(null, type, null, null, null, null, null, null, null, null, null), type);
            CreatedClient created = clients.create(clientId, spec, secretFrom(secretFile), null);
            out.println("Created:");
            describe(out, created.client(), publicUrl);
            if (created.secret() != null && secretFile == null) {
                out.println("Client secret (shown only now; store it in the application's configuration):");
                out.println(created.secret());
            } else if (created.secret() != null) {
                out.println("Client secret: the one in " + secretFile);
            }
        }
    }

    @Command(name = "update", mixinStandardHelpOptions = true,
            description = "Change an application; options left out keep their value, list options given replace the list.")
    static final class Update extends Base {
        @Option(names = "--client-id", paramLabel = "ID", description = "The client to change. Env: IDBROKER_CLIENT_ID.")
        String clientId;

        @Mixin
        ClientOptions options;

        @Override
        void checkOptions() {
            requireClientId(clientId);
        }

        @Override
        void run(Clients clients, PrintWriter out, URI publicUrl) {
            Client current = clients.find(clientId).orElseThrow(() -> new CliException("there is no client '" + clientId
                    + "' (idbroker client list shows them)"));
            Client updated = clients.update(clientId, options.over(ClientSpec.of(current), null), null);
            out.println("Updated:");
            describe(out, updated, publicUrl);
        }
    }

    @Command(name = "delete", mixinStandardHelpOptions = true, description = "Delete an application and its secrets.")
    static final class Delete extends Base {
        @Option(names = "--client-id", paramLabel = "ID", description = "The client to delete. Env: IDBROKER_CLIENT_ID.")
        String clientId;

        @Override
        void checkOptions() {
            requireClientId(clientId);
        }

        @Override
        void run(Clients clients, PrintWriter out, URI publicUrl) {
            clients.delete(clientId, null);
            out.println("Deleted client '" + clientId + "'.");
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List the registered applications.")
    static final class ListClients extends Base {
        @Override
        void run(Clients clients, PrintWriter out, URI publicUrl) {
            List<Client> all = clients.list();
            if (all.isEmpty()) {
                out.println("No clients are registered (idbroker client create registers one).");
            }
            for (Client c : all) {
                describe(out, c, publicUrl);
            }
        }
    }

    @Command(name = "rotate-secret", mixinStandardHelpOptions = true,
            description = "Give a confidential application a new secret; the old one keeps working for --overlap-minutes.")
    static final class RotateSecret extends Base {
        @Option(names = "--client-id", paramLabel = "ID", description = "The client. Env: IDBROKER_CLIENT_ID.")
        String clientId;

        @Option(names = "--overlap-minutes", paramLabel = "N", description = "How long the old secret keeps working (default: ${DEFAULT-VALUE}; 0 ends it now).")
        long overlapMinutes;

        @Option(names = "--secret-file", paramLabel = "FILE", description = "File holding the new secret, instead of printing a generated one. Env: IDBROKER_CLIENT_SECRET_FILE.")
        Path secretFile;

        @Override
        void checkOptions() {
            requireClientId(clientId);
        }

        @Override
        void run(Clients clients, PrintWriter out, URI publicUrl) {
            if (overlapMinutes < 0) {
                throw new CliException("--overlap-minutes must not be negative", 2);
            }
            CreatedClient rotated = clients.rotateSecret(clientId, secretFrom(secretFile), Duration.ofMinutes(overlapMinutes), null);
            out.println("New secret for client '" + clientId + "'; the old one works for " + overlapMinutes + " more minutes.");
            if (secretFile == null) {
                out.println("Client secret (shown only now):");
                out.println(rotated.secret());
            }
        }
    }
}
