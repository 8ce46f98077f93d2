package dev.pixelgrad.algorithms;

import dev.pixelgrad.nn.LayerList;
import dev.pixelgrad.nn.Vgg;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Chosen VGG layers with a weight each, parsed once from text such as
 * {@code relu4_2:1,relu5_1:0.5}. A layer without {@code :w} gets the default weight, which is
 * either a fixed number or 1/(number of layers), as each loss defines it.
 */
public record LayerWeights(Map<String, Float> weights) {
    public LayerWeights {
        if (weights.isEmpty()) {
            throw new IllegalArgumentException("layers: none given");
        }
        weights = Collections.unmodifiableMap(new LinkedHashMap<>(weights));
    }

    /**
     * Parses {@code name[:weight],...} with {@link LayerList}; unknown layers are errors listing the
     * valid ones, and a layer listed twice is an error too.
     */
    public static LayerWeights parse(String text, Vgg vgg, Float defaultWeight) {
        List<LayerList.Entry> entries = LayerList.parse(text, vgg);
        Map<String, Float> w = new LinkedHashMap<>();
        for (LayerList.Entry e : entries) {
            float weight = e.weight() != null ? e.weight() : defaultWeight != null ? defaultWeight : 1f / entries.size();
            if (w.put(e.name(), weight) != null) {
                throw new IllegalArgumentException("layers: " + e.name() + " is listed twice in '" + text + "'");
            }
        }
        return new LayerWeights(w);
    }

    /** Uniform weights 1/L over the given layers. */
    public static LayerWeights uniform(List<String> layers) {
        Map<String, Float> w = new LinkedHashMap<>();
        layers.forEach(l -> w.put(l, 1f / layers.size()));
        return new LayerWeights(w);
    }

    public List<String> names() {
        return List.copyOf(weights.keySet());
    }

    public float weight(String layer) {
        return weights.get(layer);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        weights.forEach((k, v) -> sb.append(sb.length() == 0 ? "" : ",").append(k).append(':').append(v));
        return sb.toString();
    }
}
