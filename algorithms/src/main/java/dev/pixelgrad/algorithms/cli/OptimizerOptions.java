package dev.pixelgrad.algorithms.cli;

import dev.pixelgrad.algorithms.ImageOptimization;
import dev.pixelgrad.nn.optim.OptimizerKind;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.Spec;

/** The optimiser choice for inversion, texture and style. */
final class OptimizerOptions {
    @Spec(Spec.Target.MIXEE)
    CommandSpec command;

    @Option(names = "--optimizer", defaultValue = "lbfgs", paramLabel = "lbfgs|adam", converter = Checked.Optimizer.class,
            description = "L-BFGS (quasi-Newton, best quality per step) or Adam (default: ${DEFAULT-VALUE}).")
    OptimizerKind optimizer;

    @Option(names = "--learning-rate", defaultValue = "0.02", paramLabel = "LR", converter = Checked.PositiveFloat.class,
            description = "Adam's step in RGB units; 0.02 is about 5 levels of 255 per step (default: ${DEFAULT-VALUE}).")
    float learningRate;

    @Option(names = "--history", defaultValue = "20", paramLabel = "M", converter = Checked.PositiveInt.class,
            description = "L-BFGS history size; memory is 2 M image copies (default: ${DEFAULT-VALUE}).")
    int history;

    ImageOptimization.Settings settings(int iterations) {
        return new ImageOptimization.Settings(optimizer, iterations, learningRate, history);
    }

    /** One line on stderr for each option given that the chosen optimiser does not use. */
    void warnIgnored() {
        ParseResult given = command.commandLine().getParseResult();
        String name = command.qualifiedName();
        if (optimizer == OptimizerKind.ADAM && given.hasMatchedOption("--history")) {
            System.err.println(name + ": --history is ignored: it sizes L-BFGS's memory, and --optimizer is adam");
        }
        if (optimizer == OptimizerKind.LBFGS && given.hasMatchedOption("--learning-rate")) {
            System.err.println(name + ": --learning-rate is ignored: it is Adam's step (--optimizer adam); L-BFGS finds its own");
        }
    }
}
