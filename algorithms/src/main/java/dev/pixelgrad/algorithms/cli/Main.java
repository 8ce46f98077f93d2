package dev.pixelgrad.algorithms.cli;

import dev.pixelgrad.weights.WeightFileException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.UncheckedIOException;

/** The {@code pixelgrad} command line. With no command it runs {@code demo}. */
@Command(name = "pixelgrad", mixinStandardHelpOptions = true, version = "pixelgrad 0.1.0",
        description = "Backprop to the image on a pure-Java CNN engine.",
        subcommands = {
                SelfCheckCommand.class,
                DevicesCommand.class,
                TuneCommand.class,
                ConvertCommand.class,
                WeightsCommand.class,
                FeaturesCommand.class,
                ClassifyCommand.class,
                DemoCommand.class,
                DreamCommand.class,
                InvertCommand.class,
                TextureCommand.class,
                StyleCommand.class,
        })
public final class Main implements java.util.concurrent.Callable<Integer> {
    @Spec
    CommandSpec spec;

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the command line and returns its exit code (tests call this instead of main). */
    public static int run(String... args) {
        return commandLine(new VggWeightsSource()).execute(args);
    }

    /**
     * The command line, its commands loading their networks from {@code network}; errors print as
     * one line naming what went wrong (no stack trace).
     */
    static CommandLine commandLine(VggSource network) {
        CommandLine cl = new CommandLine(new Main(), new CommandFactory(network));
        cl.setExecutionExceptionHandler((e, line, parsed) -> {
            Throwable cause = e instanceof UncheckedIOException u ? u.getCause() : e;
            boolean expected = cause instanceof IOException || cause instanceof IllegalArgumentException
                    || cause instanceof IllegalStateException || cause instanceof WeightFileException;
            line.getErr().println("pixelgrad " + line.getCommandName() + ": " + cause.getMessage());
            if (!expected) {
                e.printStackTrace(line.getErr());
            }
            return 1;
        });
        return cl;
    }

    /** No command: the demo. */
    @Override
    public Integer call() {
        return spec.subcommands().get("demo").execute();
    }
}
