package dev.lectern.pipeline.cli;

import dev.lectern.inference.cli.GenerateCommand;
import picocli.CommandLine;

/** Every {@code lectern} subcommand, registered in one place. */
final class Subcommands {

    private Subcommands() {
    }

    static void register(CommandLine cli) {
        cli.addSubcommand("run", new RunCommand());
        cli.addSubcommand("validate", new ValidateCommand());
        cli.addSubcommand("generate", new GenerateCommand());
    }
}
