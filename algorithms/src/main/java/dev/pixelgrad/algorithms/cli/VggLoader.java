package dev.pixelgrad.algorithms.cli;

import dev.pixelgrad.nn.Vgg;
import dev.pixelgrad.tensor.Backend;
import dev.pixelgrad.weights.VggWeights;

import java.nio.file.Path;

/**
 * Where the commands get their network: {@link VggWeights#load} (a weights file, or the cached
 * VGG-19 when none is given).
 */
final class VggLoader {
    /** How a network is loaded; tests may swap in another. */
    interface Source {
        Vgg load(Path fileOrNull, Backend backend);
    }

    static volatile Source source = VggWeights::load;

    private VggLoader() {
    }

    static Vgg load(Path fileOrNull, Backend backend) {
        return source.load(fileOrNull, backend);
    }
}
