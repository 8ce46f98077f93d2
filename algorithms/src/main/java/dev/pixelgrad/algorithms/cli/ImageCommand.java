package dev.pixelgrad.algorithms.cli;

import dev.pixelgrad.algorithms.ImageTensors;
import dev.pixelgrad.algorithms.image.ImageFiles;
import dev.pixelgrad.algorithms.image.Resampling;
import dev.pixelgrad.algorithms.image.RgbImage;
import dev.pixelgrad.nn.Vgg;
import dev.pixelgrad.tensor.Backend;
import picocli.CommandLine.Mixin;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/** What the four algorithm commands share: the device, the network, images in and out. */
abstract class ImageCommand implements Callable<Integer> {
    @Mixin
    CommonOptions common;

    Backend backend;
    Vgg vgg;

    /** Runs the algorithm; the backend and network are ready. */
    abstract void execute() throws IOException;

    @Override
    public final Integer call() throws IOException {
        ImageFiles.formatFor(common.out);   // a bad extension fails before any work
        backend = common.device.backend();
        vgg = VggLoader.load(common.weights, backend);
        execute();
        return 0;
    }

    /** Reads an image, scaled to a long side (0 = as it is). */
    static RgbImage read(Path file, int longSide) throws IOException {
        RgbImage img = ImageFiles.read(file);
        return longSide > 0 ? Resampling.resizeLongSide(img, longSide) : img;
    }

    /** The starting image: noise, or a file scaled to exactly (h, w). */
    RgbImage init(String init, int h, int w, RgbImage content) throws IOException {
        if (init.equals("noise")) {
            return ImageTensors.noise(h, w, common.seed);
        }
        if (init.equals("content") && content != null) {
            return content;
        }
        return Resampling.resize(ImageFiles.read(Path.of(init)), h, w);
    }
}
