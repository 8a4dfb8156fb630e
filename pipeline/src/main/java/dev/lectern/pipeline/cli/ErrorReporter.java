package dev.lectern.pipeline.cli;

import dev.lectern.pipeline.config.ConfigException;
import dev.lectern.pipeline.model.ModelLoadException;
import picocli.CommandLine;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;

/** Turns a failure into one line on stderr (and the stack trace with {@code --verbose}) and an exit code. */
final class ErrorReporter implements CommandLine.IExecutionExceptionHandler {

    @Override
    public int handleExecutionException(Exception e, CommandLine cli, CommandLine.ParseResult parsed) {
        PrintWriter err = cli.getErr();
        boolean verbose = parsed.matchedOption("--verbose") != null || hasVerbose(parsed);
        Throwable cause = rootCause(e);
        int code;
        if (e instanceof ConfigException || e instanceof ModelLoadException) {
            err.println("lectern: " + e.getMessage());
            code = LecternCli.EXIT_CONFIG;
        } else {
            err.println("lectern: the run failed: " + describe(cause)
                    + (verbose ? "" : " (run with --verbose for details)"));
            code = LecternCli.EXIT_FAILED;
        }
        if (verbose) {
            e.printStackTrace(err);
        }
        err.flush();
        return code;
    }

    private static boolean hasVerbose(CommandLine.ParseResult parsed) {
        for (CommandLine.ParseResult p = parsed; p != null; p = p.subcommand()) {
            if (p.matchedOption("--verbose") != null) {
                return true;
            }
        }
        return false;
    }

    static Throwable rootCause(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t;
    }

    static String describe(Throwable t) {
        if (t instanceof UncheckedIOException u) {
            t = u.getCause();
        }
        String message = t.getMessage();
        if (t instanceof IOException && message != null) {
            return t.getClass().getSimpleName().replace("Exception", "").replaceAll("([a-z])([A-Z])", "$1 $2")
                    .toLowerCase(java.util.Locale.ROOT) + ": " + message;
        }
        return message == null ? t.getClass().getSimpleName() : message;
    }
}
