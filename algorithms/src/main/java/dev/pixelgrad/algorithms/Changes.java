package dev.pixelgrad.algorithms;

import java.util.Map;

/**
 * Settings changed between two steps of a run (from the live page, see {@link Monitor#changes}).
 * What is safe to change there is what the next step reads afresh: the weights of the loss terms,
 * the step size, DeepDream's layers. Each part is null when it is unchanged.
 *
 * @param termFactors  a factor on each named loss term, relative to the weight the run started with
 *                     (e.g. {@code style: 2} doubles beta); for invert, texture and style
 * @param learningRate Adam's step in RGB units (invert, texture, style with Adam), or DeepDream's
 *                     step in 8-bit levels
 * @param layers       DeepDream's layer(s) with weights, as {@code --layer} takes them
 */
public record Changes(Map<String, Float> termFactors, Float learningRate, String layers) {
    public Changes {
        termFactors = termFactors == null ? null : Map.copyOf(termFactors);
    }
}
