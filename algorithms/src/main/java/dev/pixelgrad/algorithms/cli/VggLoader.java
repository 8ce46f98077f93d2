package dev.pixelgrad.algorithms.cli;

import dev.pixelgrad.nn.Vgg;
import dev.pixelgrad.tensor.Backend;

import java.nio.file.Path;

/** Where the commands get their network: a weights file, or the cached VGG-19 when none is given. */
final class VggLoader {
    /** How a network is loaded; tests may swap in another. */
    interface Source {
        Vgg load(Path fileOrNull, Backend backend);
    }

    static volatile Source source = (file, backend) -> {
        throw new IllegalStateException("weights: this build cannot read weight files yet"
                + (file == null ? "; fetch VGG-19 with: pixelgrad weights fetch vgg19" : " (" + file + ")"));
    };

    private VggLoader() {
    }

    static Vgg load(Path fileOrNull, Backend backend) {
        return source.load(fileOrNull, backend);
    }
}
