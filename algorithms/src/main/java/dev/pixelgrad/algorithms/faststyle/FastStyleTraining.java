package dev.pixelgrad.algorithms.faststyle;

import dev.pixelgrad.algorithms.LossTerms;
import dev.pixelgrad.nn.TransformerNet;
import dev.pixelgrad.nn.optim.ParameterAdam;
import dev.pixelgrad.tensor.Backend;
import dev.pixelgrad.tensor.Shape;
import dev.pixelgrad.tensor.Tensor;

import java.io.IOException;
import java.util.Map;

/**
 * Training a feed-forward style network (Johnson et al.), the loop of pytorch/examples:
 * <pre>
 * for each batch x of content images (0-255):
 *     y = transformer(x)                        // the stylised batch
 *     L = content(y, x) + style(y) [+ tv(y)]    // the fixed VGG's perceptual loss
 *     zero the gradients;  L.backward()         // down through the VGG into the transformer's parameters
 *     adam.step()
 * </pre>
 * Unlike Gatys' method, the pixels are not what is optimised: the gradient stops at the
 * transformer's parameters, which learn to stylise any image in one forward pass.
 */
public final class FastStyleTraining {
    /** Where training stands: steps done, and where the next batch starts. */
    public record Progress(long iteration, TrainingImages.Position next) {
        public static final Progress START = new Progress(0, TrainingImages.Position.START);
    }

    /** What one step measured. */
    public record Step(long iteration, int images, Map<String, Float> terms, float loss, TrainingImages.Position next) {
    }

    /** Told after every step; may ask the loop to stop, and writes checkpoints and samples. */
    public interface Listener {
        void step(Step step) throws IOException;

        /** Whether to stop after the step just reported (Ctrl-C). */
        default boolean stopRequested() {
            return false;
        }
    }

    private final TransformerNet transformer;
    private final PerceptualLoss loss;
    private final ParameterAdam adam;
    private final Backend backend;

    public FastStyleTraining(TransformerNet transformer, PerceptualLoss loss, ParameterAdam adam) {
        this.transformer = transformer;
        this.backend = transformer.parameters().get(0).backend();
        this.loss = loss;
        this.adam = adam;
    }

    public TransformerNet transformer() {
        return transformer;
    }

    public ParameterAdam adam() {
        return adam;
    }

    /** One training step on a batch x (N, 3, S, S) in 0-255; returns each weighted loss term before the update. */
    public Map<String, Float> step(Tensor x255) {
        adam.zeroGrad();
        Tensor y255 = transformer.forward(x255);
        LossTerms terms = loss.loss(y255, x255);
        Tensor total = terms.total();
        Map<String, Float> values = terms.values();   // read before backward frees the terms
        total.backward();
        adam.step();
        return values;
    }

    /**
     * Trains from {@code from} until {@code lastIteration} steps are done, or the epoch
     * {@code epochs} would begin (whichever comes first; 0 means no such limit).
     *
     * @return where training stands when it ends
     */
    public Progress run(TrainingImages data, Progress from, long lastIteration, int epochs, Listener listener)
            throws IOException {
        Progress at = from;
        while (!done(at, lastIteration, epochs)) {
            TrainingImages.Batch b = data.next();
            Map<String, Float> terms;
            try (Tensor x = Tensor.of(b.pixels(), Shape.of(b.n(), 3, b.size(), b.size()), backend)) {
                terms = step(x);
            }
            at = new Progress(at.iteration() + 1, b.next());
            listener.step(new Step(at.iteration(), b.n(), terms, LossTerms.sum(terms), b.next()));
            if (listener.stopRequested()) {
                break;
            }
        }
        return at;
    }

    static boolean done(Progress at, long lastIteration, int epochs) {
        return (lastIteration > 0 && at.iteration() >= lastIteration) || (epochs > 0 && at.next().epoch() >= epochs);
    }
}
