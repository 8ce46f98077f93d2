package dev.pixelgrad.algorithms.cli;

import dev.pixelgrad.nn.Vgg;
import dev.pixelgrad.tensor.Backend;
import dev.pixelgrad.weights.VggWeights;
import dev.pixelgrad.weights.WeightFileException;

import java.nio.file.Path;

/** The networks of the real command line: weights files through {@link VggWeights}, by default the cached VGG-19. */
final class VggWeightsSource implements VggSource {
    private static final String DEFAULT = "vgg19";

    @Override
    public Vgg load(Path fileOrNull, Backend backend) {
        return VggWeights.load(fileOrNull, backend);
    }

    @Override
    public Vgg load(Path fileOrNull, Backend backend, boolean classifier) {
        return VggWeights.load(fileOrNull, backend, classifier);
    }

    @Override
    public Vgg load(Path fileOrNull, String defaultName, Backend backend) {
        return VggWeights.load(fileOrNull == null ? VggWeights.requireCached(defaultName) : fileOrNull, backend);
    }

    @Override
    public boolean hasDefault() {
        try {
            VggWeights.requireCached(DEFAULT);
            return true;
        } catch (WeightFileException notCached) {
            return false;
        }
    }

    /** As {@code pixelgrad weights fetch vgg19} does it (progress on stderr, the file's path on stdout). */
    @Override
    public boolean fetchDefault() {
        return WeightsCommand.Fetch.fetch(DEFAULT, "torchvision") == 0;
    }
}
