package org.idbroker.server.cli;

import java.util.concurrent.Callable;
import org.idbroker.core.users.Users;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "admin", mixinStandardHelpOptions = true,
        description = {"Create a user, or update the one with this username, and put it in the Administrators team.",
                "Its email must match the email your IdP sends: the first sign-in finds the account by it."})
final class AdminCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    DatabaseOptions db;

    @Option(names = "--username", required = true, paramLabel = "USERNAME", description = "The administrator's username.")
    String username;

    @Option(names = "--email", required = true, paramLabel = "EMAIL", description = "The administrator's email address.")
    String email;

    @Override
    public Integer call() {
        try (DatabaseOptions.OpenDatabase open = db.openForSeeding()) {
            Users.SeedResult result;
            try {
                result = new Users(open.database().jdbi()).seedAdministrator(username, email.trim());
            } catch (IllegalArgumentException e) {
                throw new CliException(e.getMessage(), 2);
            }
            spec.commandLine().getOut().println((result.created() ? "Created" : "Updated") + " user '" + result.user().username()
                    + "' (" + result.user().email() + ", id " + result.user().id() + ")"
                    + (result.addedToAdministrators() ? " and added it to the Administrators team."
                            : "; it was already in the Administrators team."));
            spec.commandLine().getOut().flush();
            return 0;
        }
    }
}
