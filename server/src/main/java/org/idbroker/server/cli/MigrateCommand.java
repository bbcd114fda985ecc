package org.idbroker.server.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(name = "migrate", mixinStandardHelpOptions = true,
        description = {"Migrate the database schema to this version (start and start-dev do it too) and exit.",
                "Back up the database first: an older IdBroker refuses to run on the migrated schema."})
final class MigrateCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    DatabaseOptions db;

    @Override
    public Integer call() {
        try (DatabaseOptions.OpenDatabase open = db.openAndMigrate()) {
            String version = open.database().jdbi().withHandle(h -> h.createQuery(
                    "select version from flyway_schema_history where success and version is not null"
                            + " order by installed_rank desc limit 1").mapTo(String.class).findOne().orElse("none"));
            spec.commandLine().getOut().println("The database schema is at V" + version + ".");
            spec.commandLine().getOut().flush();
            return 0;
        }
    }
}
