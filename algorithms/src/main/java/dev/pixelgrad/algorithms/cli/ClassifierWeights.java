package dev.pixelgrad.algorithms.cli;

import dev.pixelgrad.algorithms.lecture.Classifier;
import dev.pixelgrad.tensor.Backend;
import picocli.CommandLine.Option;

import java.nio.file.Path;

/** {@code --weights} of the commands that need VGG's classifier (fc6-fc8), and the classifier it loads. */
final class ClassifierWeights {
    @Option(names = "--weights", paramLabel = "FILE",
            description = "VGG weights with the fc layers, any supported format (default: the cached VGG-19).")
    Path weights;

    /** Fails early, before any work, when a --weights file was given and is missing. */
    void requireFile() {
        if (weights != null) {
            InputFiles.require("--weights", weights);
        }
    }

    /** @throws IllegalArgumentException naming {@code command} when the weights have no classifier */
    Classifier load(VggSource network, Backend backend, String command) {
        return Classifier.of(network.load(weights, backend), command);
    }
}
