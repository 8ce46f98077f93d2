package dev.pixelgrad.algorithms.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code pixelgrad} command line. */
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
        })
public final class Main implements Runnable {

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the command line and returns its exit code (tests call this instead of main). */
    public static int run(String... args) {
        return new CommandLine(new Main()).execute(args);
    }

    @Override
    public void run() {
        new CommandLine(new SelfCheckCommand()).execute();
    }
}
