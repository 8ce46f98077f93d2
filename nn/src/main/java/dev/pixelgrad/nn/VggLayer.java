package dev.pixelgrad.nn;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One layer of a VGG as {@link VggSpec#layers(boolean)} describes it: its name (conv1_1, relu1_1,
 * pool1, ..., fc6, relu6, fc8), its kind, and its channels in and out. A fully connected layer's
 * {@code in} counts the flattened features, C * 7 * 7 for fc6.
 */
public record VggLayer(String name, Kind kind, int in, int out) {

    /** What the layer computes; torchvision's Dropout is left out, since the weights are frozen. */
    public enum Kind { CONV, RELU, POOL, FC }

    /** A 3x3 convolution from {@code in} to {@code out} channels. */
    public static VggLayer conv(String name, int in, int out) {
        return new VggLayer(name, Kind.CONV, in, out);
    }

    public static VggLayer relu(String name, int channels) {
        return new VggLayer(name, Kind.RELU, channels, channels);
    }

    /** A 2x2 pool, max or average as the network is built. */
    public static VggLayer pool(String name, int channels) {
        return new VggLayer(name, Kind.POOL, channels, channels);
    }

    public static VggLayer fc(String name, int in, int out) {
        return new VggLayer(name, Kind.FC, in, out);
    }

    public String weightName() {
        return name + ".weight";
    }

    public String biasName() {
        return name + ".bias";
    }

    /**
     * Parameter shapes by name, weight first as in a state_dict: a convolution has w: (out, in, 3, 3),
     * a fully connected layer W: (out, in), each with a bias b: (out); ReLU and pooling have none.
     */
    public Map<String, int[]> parameterShapes() {
        if (kind == Kind.RELU || kind == Kind.POOL) {
            return Map.of();
        }
        Map<String, int[]> shapes = new LinkedHashMap<>();
        shapes.put(weightName(), kind == Kind.CONV ? new int[]{out, in, 3, 3} : new int[]{out, in});
        shapes.put(biasName(), new int[]{out});
        return shapes;
    }
}
