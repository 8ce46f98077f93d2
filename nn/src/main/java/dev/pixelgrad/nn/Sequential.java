package dev.pixelgrad.nn;

import dev.pixelgrad.tensor.Tensor;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Layers in order, each with a name (a "tap"). {@link #forward(Tensor, Collection)} runs only as
 * deep as the deepest requested name and returns the requested activations.
 */
public final class Sequential {
    private final List<String> names = new ArrayList<>();
    private final List<Module> layers = new ArrayList<>();

    public Sequential add(String name, Module layer) {
        if (names.contains(name)) {
            throw new IllegalArgumentException("Sequential: layer name '" + name + "' is used twice");
        }
        names.add(name);
        layers.add(layer);
        return this;
    }

    public List<String> names() {
        return List.copyOf(names);
    }

    public Module layer(String name) {
        return layers.get(indexOf(name));
    }

    /** The index of a layer; an unknown name is an error listing the valid ones. */
    public int indexOf(String name) {
        int i = names.indexOf(name);
        if (i < 0) {
            throw new IllegalArgumentException("unknown layer '" + name + "'; valid layers: " + String.join(", ", names));
        }
        return i;
    }

    /** Runs the layers up to the deepest of {@code taps} and returns their outputs, by name, in network order. */
    public Map<String, Tensor> forward(Tensor x, Collection<String> taps) {
        int deepest = -1;
        for (String t : taps) {
            deepest = Math.max(deepest, indexOf(t));
        }
        Map<String, Tensor> out = new LinkedHashMap<>();
        Tensor y = x;
        for (int i = 0; i <= deepest; i++) {
            Tensor next = layers.get(i).forward(y);
            if (y != x && !out.containsValue(y) && outputUnreadAfter(i)) {
                y.releaseValues();
            }
            y = y == x || out.containsValue(y) ? next : Intermediates.free(y, next);
            if (taps.contains(names.get(i))) {
                out.put(names.get(i), y);
            }
        }
        return out;
    }

    /**
     * Whether no backward reads the output of layer i - 1 once layer i has run, as with a ReLU after
     * a convolution (ReLU's backward reads its own output, the convolution's its input): with a tape
     * its values can go at once, which halves the activations a VGG keeps for backward.
     */
    private boolean outputUnreadAfter(int i) {
        return i > 0 && !layers.get(i).backwardReadsInput() && !layers.get(i - 1).backwardReadsOutput();
    }

    /** Runs every layer. */
    public Tensor forward(Tensor x) {
        Tensor y = x;
        for (int i = 0; i < layers.size(); i++) {
            Tensor next = layers.get(i).forward(y);
            if (y != x && outputUnreadAfter(i)) {
                y.releaseValues();
            }
            y = y == x ? next : Intermediates.free(y, next);
        }
        return y;
    }
}
