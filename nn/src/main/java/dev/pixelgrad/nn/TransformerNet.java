package dev.pixelgrad.nn;

import dev.pixelgrad.tensor.Backend;
import dev.pixelgrad.tensor.Ops;
import dev.pixelgrad.tensor.Shape;
import dev.pixelgrad.tensor.Tensor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Johnson et al.'s image transformation network for fast style transfer, exactly as
 * pytorch/examples' fast_neural_style {@code transformer_net.py} builds it, with channel width w
 * (32 there, 16 for jcjohnson's half-width models):
 * <pre>
 *   conv1  9x9  3 -> w        in1 relu          (ConvLayer: reflection pad k/2, then convolution)
 *   conv2  3x3  w -> 2w  /2   in2 relu
 *   conv3  3x3 2w -> 4w  /2   in3 relu
 *   res1 .. res5              x + in2(conv2(relu(in1(conv1(x)))))  at 4w
 *   deconv1  up 2, 3x3 4w -> 2w   in4 relu      (UpsampleConvLayer: nearest upsampling, ConvLayer)
 *   deconv2  up 2, 3x3 2w -> w    in5 relu
 *   deconv3  9x9  w -> 3                        (no norm, no relu)
 * </pre>
 * Input and output are (N, 3, H, W) RGB in 0-255, H and W multiples of 4. Parameters carry
 * PyTorch's state_dict names in its order ({@code conv1.conv2d.weight}, {@code in1.weight}, ...,
 * {@code res1.conv1.conv2d.weight}, ...), so a checkpoint maps one to one.
 */
public final class TransformerNet implements Module {
    /** nn.InstanceNorm2d's default. */
    public static final float EPS = 1e-5f;
    /** Sides below this cannot take the 9x9 layer's reflection pad of 4 nor, after two halvings, the 3x3's pad of 1. */
    public static final int SMALLEST_SIDE = 8;
    private static final int RESIDUAL_BLOCKS = 5;

    private final int width;
    private final Map<String, Tensor> parameters;
    private final List<Module> layers = new ArrayList<>();

    private TransformerNet(int width, Map<String, Tensor> parameters) {
        this.width = width;
        this.parameters = Collections.unmodifiableMap(parameters);
        layers.add(conv("conv1", 1));
        layers.add(norm("in1"));
        layers.add(Ops::relu);
        layers.add(conv("conv2", 2));
        layers.add(norm("in2"));
        layers.add(Ops::relu);
        layers.add(conv("conv3", 2));
        layers.add(norm("in3"));
        layers.add(Ops::relu);
        for (int i = 1; i <= RESIDUAL_BLOCKS; i++) {
            String r = "res" + i + ".";
            layers.add(new ResidualBlock(conv(r + "conv1", 1), norm(r + "in1"), conv(r + "conv2", 1), norm(r + "in2")));
        }
        layers.add(new UpsampleConvLayer(2, conv("deconv1", 1)));
        layers.add(norm("in4"));
        layers.add(Ops::relu);
        layers.add(new UpsampleConvLayer(2, conv("deconv2", 1)));
        layers.add(norm("in5"));
        layers.add(Ops::relu);
        layers.add(conv("deconv3", 1));
    }

    private ConvLayer conv(String name, int stride) {
        return new ConvLayer(parameters.get(name + ".conv2d.weight"), parameters.get(name + ".conv2d.bias"), stride);
    }

    private InstanceNorm norm(String name) {
        return new InstanceNorm(parameters.get(name + ".weight"), parameters.get(name + ".bias"), EPS);
    }

    /** Every parameter's name and shape at width w, in PyTorch's state_dict order. */
    public static Map<String, Shape> parameterShapes(int width) {
        if (width < 1) {
            throw new IllegalArgumentException("TransformerNet: width must be at least 1, got " + width);
        }
        int w = width;
        Map<String, Shape> s = new LinkedHashMap<>();
        convShapes(s, "conv1", 3, w, 9);
        normShapes(s, "in1", w);
        convShapes(s, "conv2", w, 2 * w, 3);
        normShapes(s, "in2", 2 * w);
        convShapes(s, "conv3", 2 * w, 4 * w, 3);
        normShapes(s, "in3", 4 * w);
        for (int i = 1; i <= RESIDUAL_BLOCKS; i++) {
            String r = "res" + i + ".";
            convShapes(s, r + "conv1", 4 * w, 4 * w, 3);
            normShapes(s, r + "in1", 4 * w);
            convShapes(s, r + "conv2", 4 * w, 4 * w, 3);
            normShapes(s, r + "in2", 4 * w);
        }
        convShapes(s, "deconv1", 4 * w, 2 * w, 3);
        normShapes(s, "in4", 2 * w);
        convShapes(s, "deconv2", 2 * w, w, 3);
        normShapes(s, "in5", w);
        convShapes(s, "deconv3", w, 3, 9);
        return s;
    }

    private static void convShapes(Map<String, Shape> s, String name, int c, int k, int size) {
        s.put(name + ".conv2d.weight", Shape.of(k, c, size, size));
        s.put(name + ".conv2d.bias", Shape.of(k));
    }

    private static void normShapes(Map<String, Shape> s, String name, int c) {
        s.put(name + ".weight", Shape.of(c));
        s.put(name + ".bias", Shape.of(c));
    }

    /**
     * A fresh network with PyTorch's default initialisation drawn from {@code seed}: convolution
     * weights and biases uniform in +-1/sqrt(fan_in) (fan_in = C k k), instance-norm weights 1 and
     * biases 0. Its parameters require gradients.
     */
    public static TransformerNet initialized(int width, long seed, Backend be) {
        Random rng = new Random(seed);
        Map<String, Shape> shapes = parameterShapes(width);
        Map<String, Tensor> p = new LinkedHashMap<>();
        for (Map.Entry<String, Shape> e : shapes.entrySet()) {
            String name = e.getKey();
            Shape shape = e.getValue();
            float[] values = new float[shape.numel()];
            if (name.contains(".conv2d.")) {
                Shape w = shapes.get(name.replace(".bias", ".weight"));
                double bound = 1 / Math.sqrt((double) w.dim(1) * w.dim(2) * w.dim(3));
                for (int i = 0; i < values.length; i++) {
                    values[i] = (float) ((2 * rng.nextDouble() - 1) * bound);
                }
            } else if (name.endsWith(".weight")) {
                Arrays.fill(values, 1f);
            }
            p.put(name, Tensor.of(values, shape, be).requiresGrad(true));
        }
        return new TransformerNet(width, p);
    }

    /**
     * The network holding these parameters (not copied), keyed by PyTorch's names in any order;
     * the width is read from {@code conv1.conv2d.weight}.
     *
     * @throws IllegalArgumentException naming every missing or unexpected parameter, or the first
     *                                  one whose shape is wrong with the shape expected and found
     */
    public static TransformerNet of(Map<String, Tensor> params) {
        Tensor first = params.get("conv1.conv2d.weight");
        if (first == null || first.shape().rank() != 4 || first.shape().dim(0) < 1) {
            throw new IllegalArgumentException("TransformerNet: "
                    + (first == null ? "no parameter conv1.conv2d.weight" : "conv1.conv2d.weight has shape " + first.shape())
                    + "; expected (w, 3, 9, 9), whose first dimension gives the network's width"
                    + " (keys found: " + excerpt(params.keySet()) + ")");
        }
        int width = first.shape().dim(0);
        Map<String, Shape> expected = parameterShapes(width);
        List<String> missing = new ArrayList<>(), unexpected = new ArrayList<>();
        for (String name : expected.keySet()) {
            if (!params.containsKey(name)) {
                missing.add(name);
            }
        }
        for (String name : params.keySet()) {
            if (!expected.containsKey(name)) {
                unexpected.add(name);
            }
        }
        if (!missing.isEmpty() || !unexpected.isEmpty()) {
            throw new IllegalArgumentException("TransformerNet (width " + width + "): "
                    + (missing.isEmpty() ? "" : "missing parameters " + excerpt(missing))
                    + (!missing.isEmpty() && !unexpected.isEmpty() ? "; " : "")
                    + (unexpected.isEmpty() ? "" : "unexpected parameters " + excerpt(unexpected)));
        }
        Map<String, Tensor> ordered = new LinkedHashMap<>();
        for (Map.Entry<String, Shape> e : expected.entrySet()) {
            Tensor t = params.get(e.getKey());
            if (!t.shape().equals(e.getValue())) {
                throw new IllegalArgumentException("TransformerNet (width " + width + "): parameter " + e.getKey()
                        + " has shape " + t.shape() + " but " + e.getValue() + " is expected");
            }
            ordered.put(e.getKey(), t);
        }
        return new TransformerNet(width, ordered);
    }

    private static String excerpt(Collection<String> names) {
        List<String> l = new ArrayList<>(names);
        return l.size() <= 8 ? String.join(", ", l) : String.join(", ", l.subList(0, 8)) + ", ... (" + l.size() + " in all)";
    }

    /** The channel count of the first layer (32 in pytorch/examples). */
    public int width() {
        return width;
    }

    /** Every parameter by its PyTorch name, in state_dict order. */
    public Map<String, Tensor> namedParameters() {
        return parameters;
    }

    /** The parameters in state_dict order (for an optimiser). */
    public List<Tensor> parameters() {
        return List.copyOf(parameters.values());
    }

    /** Marks every parameter as needing (or not) a gradient; returns this. */
    public TransformerNet requiresGrad(boolean value) {
        for (Tensor t : parameters.values()) {
            t.requiresGrad(value);
        }
        return this;
    }

    /** x: (N, 3, H, W) in 0-255 with H, W multiples of 4 and at least {@value #SMALLEST_SIDE}; the same shape out. */
    @Override
    public Tensor forward(Tensor x) {
        Shape s = x.shape();
        if (s.rank() != 4 || s.dim(1) != 3) {
            throw new IllegalArgumentException("TransformerNet: input must be (N, 3, H, W) RGB, got " + s);
        }
        int h = s.dim(2), w = s.dim(3);
        if (h % 4 != 0 || w % 4 != 0 || h < SMALLEST_SIDE || w < SMALLEST_SIDE) {
            throw new IllegalArgumentException("TransformerNet: height and width must be multiples of 4 (the network halves"
                    + " the size twice and doubles it twice) and at least " + SMALLEST_SIDE + ", got " + h + "x" + w
                    + "; reflection-pad the image to the next multiple of 4 (as Stylizer does)");
        }
        Tensor y = x;
        for (Module layer : layers) {
            Tensor next = layer.forward(y);
            y = y == x ? next : Intermediates.free(y, next);
        }
        return y;
    }
}
