package dev.pixelgrad.algorithms;

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

    /** Parses {@code name[:weight],...}; unknown layers are errors listing the valid ones. */
    public static LayerWeights parse(String text, Vgg vgg, Float defaultWeight) {
        Map<String, Float> w = new LinkedHashMap<>();
        String[] items = text.split(",");
        int count = 0;
        for (String item : items) {
            if (!item.isBlank()) {
                count++;
            }
        }
        for (String item : items) {
            if (item.isBlank()) {
                continue;
            }
            String[] kv = item.trim().split(":");
            String name = vgg.checkLayer(kv[0].trim());
            float weight;
            if (kv.length == 1) {
                weight = defaultWeight != null ? defaultWeight : 1f / count;
            } else if (kv.length == 2) {
                try {
                    weight = Float.parseFloat(kv[1].trim());
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("layers: weight of " + name + " is '" + kv[1] + "', not a number; write e.g. "
                            + name + ":0.5");
                }
            } else {
                throw new IllegalArgumentException("layers: cannot read '" + item + "'; write name or name:weight, e.g. relu4_2:1");
            }
            if (w.put(name, weight) != null) {
                throw new IllegalArgumentException("layers: " + name + " is listed twice in '" + text + "'");
            }
        }
        if (w.isEmpty()) {
            throw new IllegalArgumentException("layers: none given; valid layers: " + String.join(", ", vgg.layerNames()));
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
