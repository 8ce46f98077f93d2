package dev.pixelgrad.algorithms;

import dev.pixelgrad.nn.Preprocessing;
import dev.pixelgrad.nn.optim.OptimizerKind;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The defaults README ("Defaults, and why") documents, as the library gives them for each preprocessing. */
class DefaultsTest {
    private static final LayerWeights RELU4_2 = new LayerWeights(Map.of("relu4_2", 1f));
    private static final LayerWeights STYLE_LAYERS = LayerWeights.uniform(List.of("relu1_1", "relu2_1", "relu3_1", "relu4_1", "relu5_1"));

    @Test
    void styleTransferForTorchvisionWeights() {
        assertEquals(new StyleTransfer.Options(RELU4_2, STYLE_LAYERS, 1f, 1e8f, 10f, 2f),
                StyleTransfer.Options.defaults(Preprocessing.TORCHVISION));
    }

    @Test
    void styleTransferForCaffeWeights() {
        assertEquals(new StyleTransfer.Options(RELU4_2, STYLE_LAYERS, 1f, 5e3f, 1e6f, 2f),
                StyleTransfer.Options.defaults(Preprocessing.CAFFE));
    }

    @Test
    void styleLayersWeighOneFifthEach() {
        assertEquals(List.of("relu1_1", "relu2_1", "relu3_1", "relu4_1", "relu5_1"), STYLE_LAYERS.names());
        for (String l : STYLE_LAYERS.names()) {
            assertEquals(0.2f, STYLE_LAYERS.weight(l));
        }
    }

    @Test
    void featureInversionForEachPreprocessing() {
        assertEquals(new FeatureInversion.Options(RELU4_2, 5f, 2f), FeatureInversion.Options.defaults(Preprocessing.TORCHVISION));
        assertEquals(new FeatureInversion.Options(RELU4_2, 2e5f, 2f), FeatureInversion.Options.defaults(Preprocessing.CAFFE));
    }

    @Test
    void textureAndOptimiser() {
        assertEquals(LayerWeights.uniform(List.of("relu1_1", "pool1", "pool2", "pool3", "pool4")),
                TextureSynthesis.Options.defaults().layers());
        assertEquals(new ImageOptimization.Settings(OptimizerKind.LBFGS, 300, 0.02f, 20), ImageOptimization.Settings.defaults(300));
    }

    @Test
    void withChangesOnlyItsOwnValue() {
        StyleTransfer.Options d = StyleTransfer.Options.defaults(Preprocessing.CAFFE);
        assertEquals(new StyleTransfer.Options(RELU4_2, STYLE_LAYERS, 1f, 7f, 1e6f, 2f), d.withStyleWeight(7f));
        assertEquals(new StyleTransfer.Options(RELU4_2, STYLE_LAYERS, 3f, 5e3f, 1e6f, 2f), d.withContentWeight(3f));
        assertEquals(new StyleTransfer.Options(RELU4_2, STYLE_LAYERS, 1f, 5e3f, 4f, 1.5f), d.withTvWeight(4f).withTvBeta(1.5f));
        assertEquals(new StyleTransfer.Options(STYLE_LAYERS, RELU4_2, 1f, 5e3f, 1e6f, 2f),
                d.withContentLayers(STYLE_LAYERS).withStyleLayers(RELU4_2));
        FeatureInversion.Options f = FeatureInversion.Options.defaults(Preprocessing.TORCHVISION);
        assertEquals(new FeatureInversion.Options(STYLE_LAYERS, 9f, 1f), f.withLayers(STYLE_LAYERS).withTvWeight(9f).withTvBeta(1f));
    }
}
