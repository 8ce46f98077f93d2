package dev.pixelgrad.algorithms;

import dev.pixelgrad.tensor.Tensor;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The weighted terms of a loss, by name ({@code content}, {@code style}, {@code tv}, ...), each a
 * one-element tensor on the device. The loss is their sum.
 */
public final class LossTerms {
    private final Map<String, Tensor> terms = new LinkedHashMap<>();

    public LossTerms add(String name, Tensor weightedTerm) {
        terms.merge(name, weightedTerm, Tensor::add);
        return this;
    }

    /** Multiplies each term named in {@code factors} by its factor (a weight changed during the run); returns this. */
    public LossTerms scaleInPlace(Map<String, Float> factors) {
        factors.forEach((name, f) -> terms.computeIfPresent(name, (k, t) -> f == 1f ? t : t.scale(f)));
        return this;
    }

    public Map<String, Tensor> terms() {
        return terms;
    }

    /** L = sum of the terms (a tensor on the tape, ready for backward). */
    public Tensor total() {
        Tensor sum = null;
        for (Tensor t : terms.values()) {
            sum = sum == null ? t : sum.add(t);
        }
        if (sum == null) {
            throw new IllegalStateException("loss: no terms");
        }
        return sum;
    }

    /** The value of each term (one scalar read per term; call before backward frees them). */
    public Map<String, Float> values() {
        Map<String, Float> v = new LinkedHashMap<>();
        terms.forEach((k, t) -> v.put(k, t.item()));
        return v;
    }

    /** The sum of term values, as the log reports the loss. */
    public static float sum(Map<String, Float> values) {
        double s = 0;
        for (float f : values.values()) {
            s += f;
        }
        return (float) s;
    }
}
