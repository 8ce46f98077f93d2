package dev.pixelgrad.algorithms.cli.live;

import java.util.function.UnaryOperator;

/**
 * What the live page may change between steps of a run ({@link dev.pixelgrad.algorithms.Changes}).
 *
 * @param termWeights       whether each loss term's weight may be scaled (invert, texture, style)
 * @param learningRate      the step size the run started with, or null when it has none to change
 *                          (L-BFGS finds its own)
 * @param learningRateLabel what the step is called on the page, with its unit
 * @param layers            the layers the run started with, as --layer takes them, or null when fixed
 * @param checkLayers       checks a new layer list, throwing IllegalArgumentException with the reason
 *                          (unknown layer, too deep for the image); returns it as it will be used
 */
public record Knobs(boolean termWeights, Float learningRate, String learningRateLabel, String layers,
                    UnaryOperator<String> checkLayers) {
    /** Nothing to change (train-style: a resumed run must repeat its settings). */
    public static Knobs none() {
        return new Knobs(false, null, null, null, null);
    }

    /** Loss weights only (L-BFGS). */
    public static Knobs weights() {
        return new Knobs(true, null, null, null, null);
    }

    /** Loss weights and Adam's learning rate. */
    public static Knobs weightsAndRate(float learningRate) {
        return new Knobs(true, learningRate, "learning rate (RGB units)", null, null);
    }

    /** DeepDream: its step and, unless guided, its layers. */
    public static Knobs dream(float step, String layers, UnaryOperator<String> checkLayers) {
        return new Knobs(false, step, "step (8-bit levels)", layers, checkLayers);
    }
}
