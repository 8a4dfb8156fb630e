package dev.lectern.pipeline.cli;

import dev.lectern.pipeline.output.Versions;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

import java.io.PrintWriter;

/**
 * The {@code lectern} command. Subcommands are registered in {@link Subcommands}. Problems are reported as one
 * line on stderr with a non-zero exit code; {@code --verbose} adds the stack trace and library logs.
 */
@Command(name = "lectern", mixinStandardHelpOptions = true, versionProvider = LecternCli.Version.class,
        description = "Offline batch summarization and classification of local documents.",
        footer = {"", "Run 'lectern COMMAND --help' for a command's options."})
public final class LecternCli implements Runnable {

    /** Exit code of a job file or model that cannot be used (nothing was processed). */
    public static final int EXIT_CONFIG = 2;
    /** Exit code of a run that failed while running. */
    public static final int EXIT_FAILED = 1;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--verbose", scope = ScopeType.INHERIT,
            description = "Show library logs and, on failure, the stack trace.")
    boolean verbose;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a command is required (run, validate, ...)");
    }

    public static void main(String[] args) {
        System.exit(execute(args));
    }

    /** Runs the command line and returns the exit code (tests call this). */
    public static int execute(String... args) {
        boolean verbose = java.util.Arrays.asList(args).contains("--verbose");
        Logs.configure(verbose);
        CommandLine cli = commandLine();
        return cli.execute(args);
    }

    static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new LecternCli());
        Subcommands.register(cli);
        cli.setCaseInsensitiveEnumValuesAllowed(true);
        cli.setExecutionExceptionHandler(new ErrorReporter());
        cli.setParameterExceptionHandler((e, args) -> {
            PrintWriter err = e.getCommandLine().getErr();
            err.println("lectern: " + e.getMessage());
            err.println("Run '" + e.getCommandLine().getCommandSpec().qualifiedName() + " --help' for usage.");
            return EXIT_CONFIG;
        });
        return cli;
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            Versions v = Versions.current();
            return new String[]{"lectern " + v.lectern() + " (Beam " + v.beam() + ", Tika " + v.tika() + ", JDK "
                    + v.jdk() + ")"};
        }
    }
}
