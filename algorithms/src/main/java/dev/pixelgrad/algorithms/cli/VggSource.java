package dev.pixelgrad.algorithms.cli;

import dev.pixelgrad.nn.Vgg;
import dev.pixelgrad.tensor.Backend;

import java.nio.file.Path;

/**
 * Where the commands get their network. {@link CommandFactory} hands it to every command that
 * loads one, so a test gives the whole command line a tiny network without global state:
 * {@code Main.commandLine((file, backend) -> tinyVgg(backend))}.
 */
@FunctionalInterface
interface VggSource {
    /** The network of a weights file, or the default network when {@code fileOrNull} is null. */
    Vgg load(Path fileOrNull, Backend backend);

    /**
     * As {@link #load(Path, Backend)}; without {@code classifier} the network leaves out fc6-fc8,
     * which hold most of VGG's weights, for commands that read convolution layers only.
     */
    default Vgg load(Path fileOrNull, Backend backend, boolean classifier) {
        Vgg vgg = load(fileOrNull, backend);
        return classifier ? vgg : vgg.withoutClassifier();
    }

    /**
     * The network of a weights file, or the cached network {@code defaultName} (vgg16, vgg19) when
     * {@code fileOrNull} is null; a source with one network only gives that one.
     */
    default Vgg load(Path fileOrNull, String defaultName, Backend backend) {
        return load(fileOrNull, backend);
    }

    /** True when {@code load(null, ...)} finds the default network without a download. */
    default boolean hasDefault() {
        return true;
    }

    /** Downloads the default network, reporting on the console; true when it is there now. */
    default boolean fetchDefault() {
        return hasDefault();
    }
}
