package org.idbroker.server.cli;

import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code bin/idbroker}: the single entry point of the broker. */
@Command(name = "idbroker", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = "IdBroker: sign in with your identity provider, map groups to permissions.",
        subcommands = {StartDevCommand.class, StartCommand.class, AdminCommand.class, ConfigureCommand.class,
                DoctorCommand.class, SupportBundleCommand.class, ClientCommand.class, MigrateCommand.class,
                RotateMasterKeyCommand.class, ExportCommand.class, ApplyCommand.class, HealthCommand.class},
        footer = {"", "Every option can also be set with the environment variable named in its description."})
public final class Main implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        asyncTasksOnAPool();
        int code = run(args);
        if (code != 0 || !isServer(args)) {
            System.exit(code);
        }
    }

    /** Runs a command line and returns its exit code; a server keeps running after this returns. */
    public static int run(String... args) {
        return commandLine(args).execute(args);
    }

    /**
     * The command line that runs {@code args}: {@code configure}'s setting options come from the provider types
     * installed for it ({@link ProvidersOptions#forOptions}); without arguments, from the built-in types.
     */
    public static CommandLine commandLine(String... args) {
        CommandLine cli = new CommandLine(new Main());
        ConfigureCommand.withOptionsOf(cli.getSubcommands().get("configure"), ProvidersOptions.forOptions(args));
        cli.setDefaultValueProvider(new OptionDefaults());
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            commandLine.getErr().println("idbroker: " + Messages.of(e));
            return e instanceof CliException c ? c.exitCode() : 1;
        });
        cli.setParameterExceptionHandler((e, unused) -> {
            CommandLine failing = e.getCommandLine();
            PrintWriter err = failing.getErr();
            err.println("idbroker: " + e.getMessage() + " (see '" + failing.getCommandSpec().qualifiedName() + " --help')");
            return 2;
        });
        return cli;
    }

    /**
     * On one or two processors the common fork-join pool has a parallelism of one, and then every
     * {@code CompletableFuture} step without an executor of its own (the JDK HTTP client makes one per
     * exchange with the IdP) starts a new thread. Two keep them on the pool's threads. Runs before
     * anything uses the pool; a value given with -D is kept.
     */
    private static void asyncTasksOnAPool() {
        String parallelism = "java.util.concurrent.ForkJoinPool.common.parallelism";
        if (System.getProperty(parallelism) == null && Runtime.getRuntime().availableProcessors() < 3) {
            System.setProperty(parallelism, "2");
        }
    }

    private static boolean isServer(String[] args) {
        return args.length > 0 && (args[0].equals("start") || args[0].equals("start-dev"));
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
