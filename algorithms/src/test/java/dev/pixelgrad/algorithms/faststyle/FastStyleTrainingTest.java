package dev.pixelgrad.algorithms.faststyle;

import dev.pixelgrad.algorithms.TinyVgg;
import dev.pixelgrad.algorithms.image.ImageFiles;
import dev.pixelgrad.algorithms.image.RgbImage;
import dev.pixelgrad.nn.Preprocessing;
import dev.pixelgrad.nn.TransformerNet;
import dev.pixelgrad.nn.optim.AdamOptions;
import dev.pixelgrad.nn.optim.ParameterAdam;
import dev.pixelgrad.tensor.Backend;
import dev.pixelgrad.tensor.Backends;
import dev.pixelgrad.tensor.Shape;
import dev.pixelgrad.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FastStyleTrainingTest {
    private final Backend be = Backends.java();

    private static RgbImage picture(int h, int w, double phase) {
        float[] rgb = new float[3 * h * w];
        for (int c = 0; c < 3; c++) {
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    rgb[(c * h + y) * w + x] = (float) (0.5 + 0.4 * Math.sin(0.37 * x * (phase + 1) + 0.23 * y * (c + 1) + phase + c));
                }
            }
        }
        return new RgbImage(rgb, h, w);
    }

    private FastStyleTraining training(float lr) {
        float[] style = new float[3 * 32 * 32];
        RgbImage s = picture(32, 32, 7);
        for (int i = 0; i < style.length; i++) {
            style[i] = 255f * s.rgb()[i];
        }
        PerceptualLoss loss = new PerceptualLoss(TinyVgg.random(be, 11, Preprocessing.TORCHVISION),
                Tensor.of(style, Shape.of(1, 3, 32, 32), be), PerceptualLoss.Options.pytorchExamples().withStyleWeight(1e7f));
        TransformerNet net = TransformerNet.initialized(4, 2, be);
        return new FastStyleTraining(net, loss, new ParameterAdam(net.parameters(), AdamOptions.defaults().withLearningRate(lr)));
    }

    @Test
    void trainingOnAHandfulOfImagesLowersTheLoss(@TempDir Path dir) throws IOException {
        for (int i = 0; i < 4; i++) {
            ImageFiles.write(picture(40, 36 + 4 * i, i), dir.resolve("p" + i + ".png"));
        }
        FastStyleTraining training = training(1e-2f);
        List<Float> losses = new ArrayList<>();
        try (TrainingImages images = TrainingImages.open(dir, 32, 2, 1, TrainingImages.Position.START, msg -> { })) {
            FastStyleTraining.Progress end = training.run(images, FastStyleTraining.Progress.START, 40, 0, s -> losses.add(s.loss()));
            assertEquals(40, end.iteration());
            assertEquals(20, end.next().epoch());   // 4 images in batches of 2: 2 steps an epoch
        }
        double first = (losses.get(0) + losses.get(1)) / 2, last = (losses.get(38) + losses.get(39)) / 2;
        assertTrue(last < 0.5 * first, "loss " + first + " -> " + last);
    }

    @Test
    void epochsEndTrainingWhenNoIterationCountIsGiven(@TempDir Path dir) throws IOException {
        for (int i = 0; i < 5; i++) {
            ImageFiles.write(picture(32, 32, i), dir.resolve("p" + i + ".png"));
        }
        FastStyleTraining training = training(1e-3f);
        List<Integer> sizes = new ArrayList<>();
        try (TrainingImages images = TrainingImages.open(dir, 32, 2, 1, TrainingImages.Position.START, msg -> { })) {
            FastStyleTraining.Progress end = training.run(images, FastStyleTraining.Progress.START, 0, 2, s -> sizes.add(s.images()));
            assertEquals(6, end.iteration());   // 5 images in batches of 2: 2 + 2 + 1, twice (the last batch is short, as PyTorch's DataLoader)
            assertEquals(List.of(2, 2, 1, 2, 2, 1), sizes);
        }
    }
}
