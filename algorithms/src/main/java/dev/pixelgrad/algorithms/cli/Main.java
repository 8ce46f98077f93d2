package dev.pixelgrad.algorithms.cli;

import dev.pixelgrad.weights.WeightFileException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.Spec;
import picocli.CommandLine.UnmatchedArgumentException;

import java.io.PrintWriter;
import java.util.List;

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
                TrainStyleCommand.class,
                StylizeCommand.class,
                SaliencyCommand.class,
                GuidedBackpropCommand.class,
                OcclusionCommand.class,
                TopPatchesCommand.class,
                ClassModelCommand.class,
                FoolCommand.class,
                TsneCommand.class,
                PcaCommand.class,
                FiltersCommand.class,
                NeighboursCommand.class,
                EmbedCommand.class,
                ViewCommand.class,
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
     * The command line, its commands loading their networks from {@code network}. Every failure
     * prints as one line naming the command: a bad option (exit code 2, with a pointer to
     * {@code --help}) or a failed run (exit code 1, see {@link CliErrors}); an
     * {@link OutOfMemoryError}, which picocli would let through as a stack trace, takes the same way.
     */
    static CommandLine commandLine(VggSource network) {
        CommandLine cl = new CommandLine(new Main(), new CommandFactory(network));
        cl.setParameterExceptionHandler(Main::badOption);
        cl.setExecutionStrategy(Main::execute);
        cl.setExecutionExceptionHandler((e, line, parsed) -> CliErrors.report(line.getCommandSpec().qualifiedName(), e, line.getErr()));
        return cl;
    }

    /** picocli's usual strategy (run the last command given), with an out-of-memory error turned into an exception. */
    private static int execute(ParseResult parsed) {
        try {
            return new CommandLine.RunLast().execute(parsed);
        } catch (OutOfMemoryError e) {
            List<CommandLine> chain = parsed.asCommandLineList();
            CommandLine last = chain.get(chain.size() - 1);
            return CliErrors.report(last.getCommandSpec().qualifiedName(), e, last.getErr());
        }
    }

    /** {@code pixelgrad style: Invalid value for option '--tv-weight' (GAMMA): ...; see 'pixelgrad style --help'}. */
    private static int badOption(ParameterException ex, String[] args) {
        CommandLine cmd = ex.getCommandLine();
        String name = cmd.getCommandSpec().qualifiedName();
        String guess = "";
        if (ex instanceof UnmatchedArgumentException u && !u.getSuggestions().isEmpty()) {
            guess = "; did you mean " + String.join(" or ", u.getSuggestions()) + "?";
        }
        PrintWriter err = cmd.getErr();
        String help = ex.getMessage().contains("(see '") ? "" : " (see '" + name + " --help')";
        err.println(name + ": " + ex.getMessage() + guess + help);
        err.flush();
        return cmd.getCommandSpec().exitCodeOnInvalidInput();
    }

    /** No command: the demo. */
    @Override
    public Integer call() {
        return spec.subcommands().get("demo").execute();
    }
}
