package org.idbroker.server.cli;

import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code bin/idbroker}: the single entry point of the broker. */
@Command(name = "idbroker", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = "IdBroker: sign in with your identity provider, map groups to permissions.",
        subcommands = {StartDevCommand.class, StartCommand.class, AdminCommand.class, ConfigureCommand.class,
                DoctorCommand.class, SupportBundleCommand.class},
        footer = {"", "Every option can also be set with the environment variable named in its description."})
public final class Main implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** The common pool's parallelism when the operator has not chosen one. */
    static final String COMMON_POOL_PARALLELISM = "java.util.concurrent.ForkJoinPool.common.parallelism";

    public static void main(String[] args) {
        // On one or two cores the common pool gets parallelism 1, and CompletableFuture then starts a new thread for
        // every asynchronous step; the JDK HTTP client takes one such step per request to an IdP (measured: one thread
        // started and ended per sign-in). Set before anything touches the pool.
        if (System.getProperty(COMMON_POOL_PARALLELISM) == null) {
            System.setProperty(COMMON_POOL_PARALLELISM, "2");
        }
        int code = run(args);
        if (code != 0 || !isServer(args)) {
            System.exit(code);
        }
    }

    /** Runs a command line and returns its exit code; a server keeps running after this returns. */
    public static int run(String... args) {
        return commandLine().execute(args);
    }

    public static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new Main());
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            commandLine.getErr().println("idbroker: " + Messages.of(e));
            return e instanceof CliException c ? c.exitCode() : 1;
        });
        cli.setParameterExceptionHandler((e, args) -> {
            CommandLine failing = e.getCommandLine();
            PrintWriter err = failing.getErr();
            err.println("idbroker: " + e.getMessage() + " (see '" + failing.getCommandSpec().qualifiedName() + " --help')");
            return 2;
        });
        return cli;
    }

    private static boolean isServer(String[] args) {
        return args.length > 0 && (args[0].equals("start") || args[0].equals("start-dev"));
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
