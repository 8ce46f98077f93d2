package dev.pixelgrad.algorithms.cli;

import dev.pixelgrad.algorithms.lecture.TinyClassifier;
import dev.pixelgrad.nn.Vgg;
import dev.pixelgrad.tensor.Backends;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The image commands load fc6-fc8 only when a layer option names one of them. */
class ClassifierLoadingTest {
    @TempDir
    Path dir;

    @Test
    void layerOptionsDecide() {
        assertFalse(ImageCommand.readsClassifier(List.of("relu4_2", "relu1_1,relu2_1:0.5,pool5")));
        assertTrue(ImageCommand.readsClassifier(List.of("relu4_2:1,fc8")));
        assertTrue(ImageCommand.readsClassifier(List.of("relu7:2")));
        assertTrue(ImageCommand.readsClassifier(null), "a planner that does not say may need any layer");
        assertFalse(ImageCommand.readsClassifier(List.of()));
    }

    @Test
    void dreamOnAConvLayerLoadsNoClassifierAndOnFc8Does() throws IOException {
        Path weights = dir.resolve("tiny.safetensors");
        TinyClassifier.write(weights, Backends.java(), 1);
        Path image = dir.resolve("in.png");
        dev.pixelgrad.algorithms.image.ImageFiles.write(CommandLineTest.picture(48, 48, 0.3), image);
        List<Boolean> loaded = new ArrayList<>();
        VggSource recording = new VggSource() {
            @Override
            public Vgg load(Path file, dev.pixelgrad.tensor.Backend be) {
                return new VggWeightsSource().load(file, be);
            }

            @Override
            public Vgg load(Path file, dev.pixelgrad.tensor.Backend be, boolean classifier) {
                Vgg vgg = VggSource.super.load(file, be, classifier);
                loaded.add(vgg.hasClassifier());
                return vgg;
            }
        };
        for (String layer : List.of("relu3_1", "fc8")) {
            int code = Main.commandLine(recording).execute("dream", "--image", image.toString(), "--layer", layer,
                    "--iterations", "1", "--octaves", "1", "--size", "224", "--weights", weights.toString(), "--device", "java",
                    "--quiet", "--out", dir.resolve(layer + ".png").toString());
            assertEquals(0, code, layer);
        }
        assertEquals(List.of(false, true), loaded, "relu3_1 runs without fc6-fc8, fc8 with them");
    }
}
