package dev.pixelgrad.algorithms.cli;

import dev.pixelgrad.algorithms.FeatureInversion;
import dev.pixelgrad.algorithms.ImageOptimization;
import dev.pixelgrad.algorithms.LayerWeights;
import dev.pixelgrad.algorithms.StyleTransfer;
import dev.pixelgrad.algorithms.TextureSynthesis;
import dev.pixelgrad.algorithms.TinyVgg;
import dev.pixelgrad.nn.Preprocessing;
import dev.pixelgrad.nn.Vgg;
import dev.pixelgrad.nn.optim.OptimizerKind;
import dev.pixelgrad.tensor.Backends;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** With nothing set, the commands run with the library's defaults for the weights' preprocessing; what the user sets replaces just that value. */
class LibraryDefaultsCliTest {
    /** The command object picocli filled from args (nothing runs). */
    private static Object parsed(String... args) {
        return Main.commandLine((file, backend) -> {
            throw new AssertionError("parsing loads no network");
        }).parseArgs(args).subcommand().commandSpec().userObject();
    }

    private static Vgg tiny(Preprocessing pre) {
        return TinyVgg.random(Backends.java(), 7, pre);
    }

    @ParameterizedTest
    @EnumSource(Preprocessing.class)
    void style(Preprocessing pre) {
        Vgg vgg = tiny(pre);
        StyleCommand plain = (StyleCommand) parsed("style", "--content", "c.png", "--style", "s.png", "--out", "o.png");
        assertEquals(StyleTransfer.Options.defaults(pre), plain.options(vgg));
        assertEquals(ImageOptimization.Settings.defaults(300), plain.optimizer.settings(plain.iterations));
        StyleCommand set = (StyleCommand) parsed("style", "--content", "c.png", "--style", "s.png", "--out", "o.png",
                "--style-weight", "42", "--optimizer", "adam");
        assertEquals(StyleTransfer.Options.defaults(pre).withStyleWeight(42f), set.options(vgg));
        assertEquals(new ImageOptimization.Settings(OptimizerKind.ADAM, 300, 0.02f, 20), set.optimizer.settings(set.iterations));
    }

    /** Gatys et al.'s conv1_1 is the rectified blob (Caffe's in-place ReLU): the command's default layers are the library's. */
    @Test
    void texture() {
        Vgg vgg = tiny(Preprocessing.TORCHVISION);
        TextureCommand plain = (TextureCommand) parsed("texture", "--texture", "t.png", "--out", "o.png");
        assertEquals(TextureSynthesis.Options.defaults().layers(), LayerWeights.parse(plain.layers, vgg, null));
        assertEquals(ImageOptimization.Settings.defaults(200), plain.optimizer.settings(plain.iterations));
    }

    @ParameterizedTest
    @EnumSource(Preprocessing.class)
    void invert(Preprocessing pre) {
        Vgg vgg = tiny(pre);
        InvertCommand plain = (InvertCommand) parsed("invert", "--image", "i.png", "--out", "o.png");
        assertEquals(FeatureInversion.Options.defaults(pre), plain.options(vgg));
        InvertCommand set = (InvertCommand) parsed("invert", "--image", "i.png", "--out", "o.png", "--tv", "0.5");
        assertEquals(FeatureInversion.Options.defaults(pre).withTvWeight(0.5f), set.options(vgg));
    }
}
