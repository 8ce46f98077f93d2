package dev.pixelgrad.algorithms.cli;

import picocli.CommandLine.Option;

/** How the feature-space commands compute the codes of a folder: batch size and the code cache. */
final class CodeOptions {
    @Option(names = "--batch", defaultValue = "8", paramLabel = "N", converter = Checked.PositiveInt.class,
            description = "Images per forward pass (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--no-cache",
            description = "Compute every code again and leave the code cache (under the Pixelgrad home, codes/) as it is.")
    boolean noCache;
}
