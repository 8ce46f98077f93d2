package dev.pixelgrad.algorithms;

import dev.pixelgrad.nn.Preprocessing;
import dev.pixelgrad.nn.Vgg;
import dev.pixelgrad.nn.optim.OptimizerKind;
import dev.pixelgrad.tensor.Backend;
import dev.pixelgrad.tensor.Backends;
import dev.pixelgrad.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Settings changed between steps (the live page's hook, Monitor#changes) take effect at the step they are given for. */
class ChangesTest {
    private final Backend be = Backends.java();
    private final Vgg vgg = TinyVgg.random(be, 7, Preprocessing.TORCHVISION);

    /** Records the terms per iteration and hands out one change at one iteration. */
    private static final class Changer implements Monitor {
        final List<Map<String, Float>> terms = new ArrayList<>();
        final int at;
        final Changes change;
        int stopAt = Integer.MAX_VALUE;

        Changer(int at, Changes change) {
            this.at = at;
            this.change = change;
        }

        @Override
        public void iteration(int iter, float loss, Map<String, Float> t, Tensor x) {
            terms.add(t);
        }

        @Override
        public boolean stopRequested() {
            return terms.size() > stopAt;
        }

        @Override
        public Changes changes(int iter) {
            return iter == at ? change : null;
        }
    }

    /** Two terms on a small image: a = sum x^2, b = sum x. */
    private static LossTerms loss(Tensor x) {
        return new LossTerms().add("a", x.square().sum()).add("b", x.sum().scale(0.1f));
    }

    @Test
    void aTermWeightChangesFromTheStepItIsGivenFor() {
        Tensor x = ImageTensors.leafCopy(ImageTensors.toNetwork(AlgorithmsTest.picture(6, 5, 0), Preprocessing.TORCHVISION, be));
        Changer m = new Changer(3, new Changes(Map.of("a", 0f), 0.05f, null));
        var settings = new ImageOptimization.Settings(OptimizerKind.ADAM, 6, 0.02f, 5);
        assertEquals(6, ImageOptimization.run(x, ChangesTest::loss, Preprocessing.TORCHVISION, settings, m));
        for (int k = 0; k < 3; k++) {
            assertTrue(m.terms.get(k).get("a") > 0, "before the change: " + m.terms.get(k));
        }
        for (int k = 3; k <= 6; k++) {
            assertEquals(0f, m.terms.get(k).get("a"), "from iteration 3 on, a is weighted 0: " + m.terms.get(k));
            assertNotEquals(0f, m.terms.get(k).get("b"));
        }
    }

    @Test
    void lbfgsStartsAfreshAfterAChangeAndStillStops() {
        Tensor x = ImageTensors.leafCopy(ImageTensors.toNetwork(AlgorithmsTest.picture(6, 5, 0), Preprocessing.TORCHVISION, be));
        Changer m = new Changer(2, new Changes(Map.of("b", 3f), null, null));
        m.stopAt = 4;
        var settings = new ImageOptimization.Settings(OptimizerKind.LBFGS, 10, 0.02f, 5);
        int done = ImageOptimization.run(x, ChangesTest::loss, Preprocessing.TORCHVISION, settings, m);
        assertEquals(4, done);
        float b1 = m.terms.get(1).get("b"), b2 = m.terms.get(2).get("b");
        assertTrue(Math.abs(b2) > 2 * Math.abs(b1), "b is tripled from iteration 2 on: " + b1 + " then " + b2);
    }

    @Test
    void aDreamTakesANewLayerAndStep() {
        var options = new DeepDream.Options(LayerWeights.parse("relu2_1", vgg, 1f), 4, 1.5f, 1, 1.4f, 0, 0);
        Tensor image = ImageTensors.toNetwork(AlgorithmsTest.picture(32, 32, 0), vgg.preprocessing(), be);
        Changer m = new Changer(2, new Changes(null, 3f, "relu3_1"));
        new DeepDream(vgg, null, options, 1).run(image, m);
        Changer same = new Changer(-1, null);
        new DeepDream(vgg, null, options, 1).run(image, same);
        assertEquals(same.terms.get(1), m.terms.get(1), "before the change the runs agree");
        assertNotEquals(same.terms.get(2), m.terms.get(2), "from iteration 2 the dream is on relu3_1");
    }

    @Test
    void aGuidedDreamRefusesNewLayers() {
        var options = new DeepDream.Options(LayerWeights.parse("relu2_1", vgg, 1f), 3, 1.5f, 1, 1.4f, 0, 0);
        Tensor image = ImageTensors.toNetwork(AlgorithmsTest.picture(32, 32, 0), vgg.preprocessing(), be);
        Changer m = new Changer(1, new Changes(null, null, "relu3_1"));
        var e = assertThrows(IllegalArgumentException.class, () -> new DeepDream(vgg, image, options, 1).run(image, m));
        assertTrue(e.getMessage().contains("guided"), e.getMessage());
    }
}
