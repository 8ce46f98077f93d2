package dev.pixelgrad.algorithms.cli;

import dev.pixelgrad.algorithms.ImageOptimization;
import dev.pixelgrad.nn.optim.OptimizerKind;
import picocli.CommandLine.Option;

/** The optimiser choice for inversion, texture and style. */
final class OptimizerOptions {
    @Option(names = "--optimizer", defaultValue = "lbfgs", paramLabel = "lbfgs|adam",
            description = "L-BFGS (quasi-Newton, best quality per step) or Adam (default: ${DEFAULT-VALUE}).")
    String optimizer;

    @Option(names = "--learning-rate", defaultValue = "0.02", paramLabel = "LR",
            description = "Adam's step in RGB units (0.02 = about 5 levels of 255 per step) (default: ${DEFAULT-VALUE}).")
    float learningRate;

    @Option(names = "--history", defaultValue = "20", paramLabel = "M",
            description = "L-BFGS history size; memory is 2 M image copies (default: ${DEFAULT-VALUE}).")
    int history;

    ImageOptimization.Settings settings(int iterations) {
        return new ImageOptimization.Settings(OptimizerKind.parse(optimizer), iterations, learningRate, history);
    }
}
