package dev.pixelgrad.nn;

import dev.pixelgrad.tensor.Backend;
import dev.pixelgrad.tensor.Conv2dSpec;
import dev.pixelgrad.tensor.PoolSpec;
import dev.pixelgrad.tensor.Shape;
import dev.pixelgrad.tensor.Tensor;

import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeSet;

/**
 * A VGG-16 or VGG-19 network with frozen weights: one module per layer that
 * {@link VggSpec#layers(boolean)} describes, the classifier included when its parameters are given.
 * {@link #forward(Tensor, Collection)} runs only as deep as the deepest requested layer.
 */
public final class Vgg {
    private final VggSpec spec;
    private final Preprocessing preprocessing;
    private final PoolingMode pooling;
    private final Map<String, Tensor> params;
    private final Sequential layers;

    private Vgg(VggSpec spec, Map<String, Tensor> params, Preprocessing preprocessing, PoolingMode pooling) {
        this.spec = spec;
        this.params = params;
        this.preprocessing = preprocessing;
        this.pooling = pooling;
        this.layers = build(spec.layers(hasClassifier(params)), params, pooling);
    }

    /**
     * A network from named parameters ({@code conv1_1.weight}, ..., optionally {@code fc6.weight}
     * ... {@code fc8.bias}); every shape is checked against the spec, and fc layers are built
     * when all six classifier tensors are present.
     */
    public static Vgg of(VggSpec spec, Map<String, Tensor> params, Preprocessing preprocessing, PoolingMode pooling) {
        checkParameters(spec, params);
        return new Vgg(spec, new LinkedHashMap<>(params), preprocessing, pooling);
    }

    /**
     * Random parameters for every tensor of the spec, for demos, tests and benchmarks: He
     * initialisation, w ~ N(0, 2 / fanIn) with fanIn = C*R*S for a conv (the input width for a
     * linear layer), so activations keep their scale through the ReLUs; biases ~ N(0, 0.01^2).
     * The same seed gives the same values.
     */
    public static Map<String, Tensor> randomParameters(VggSpec spec, boolean classifier, Backend backend, long seed) {
        Random rnd = new Random(seed);
        Map<String, Tensor> params = new LinkedHashMap<>();
        spec.parameterShapes(classifier).forEach((name, dims) -> {
            Shape s = Shape.of(dims);
            boolean bias = dims.length == 1;
            float scale = bias ? 0.01f : (float) Math.sqrt(2.0 / (s.numel() / dims[0]));
            float[] v = new float[s.numel()];
            for (int i = 0; i < v.length; i++) {
                v[i] = (float) rnd.nextGaussian() * scale;
            }
            params.put(name, Tensor.of(v, s, backend));
        });
        return params;
    }

    /** Throws with the tensor's name when a parameter is missing, extra or of the wrong shape. */
    public static void checkParameters(VggSpec spec, Map<String, Tensor> params) {
        Map<String, int[]> expected = spec.parameterShapes(hasClassifier(params));
        for (Map.Entry<String, int[]> e : expected.entrySet()) {
            Tensor t = params.get(e.getKey());
            if (t == null) {
                throw new IllegalArgumentException(spec.arch().id() + ": parameter " + e.getKey() + " is missing (expected shape "
                        + Arrays.toString(e.getValue()) + ")");
            }
            if (!Arrays.equals(t.shape().dims(), e.getValue())) {
                throw new IllegalArgumentException(spec.arch().id() + ": parameter " + e.getKey() + " has shape " + t.shape()
                        + " but " + spec + " expects " + Arrays.toString(e.getValue()));
            }
        }
        TreeSet<String> extra = new TreeSet<>(params.keySet());
        extra.removeAll(expected.keySet());
        if (!extra.isEmpty()) {
            throw new IllegalArgumentException(spec.arch().id() + ": unexpected parameters " + extra
                    + "; expected exactly " + expected.keySet().size() + " tensors named like conv1_1.weight");
        }
    }

    private static boolean hasClassifier(Map<String, Tensor> params) {
        return params.containsKey("fc6.weight");
    }

    private static Sequential build(List<VggLayer> description, Map<String, Tensor> params, PoolingMode pooling) {
        Sequential seq = new Sequential();
        for (VggLayer layer : description) {
            seq.add(layer.name(), module(layer, params, pooling));
        }
        return seq;
    }

    /** 3x3 convolutions keep the image size (stride 1, pad 1); 2x2 pools with stride 2 halve it. */
    private static Module module(VggLayer layer, Map<String, Tensor> params, PoolingMode pooling) {
        Tensor w = params.get(layer.weightName());
        Tensor b = params.get(layer.biasName());
        PoolSpec window = PoolSpec.of(2, 2, 0);
        return switch (layer.kind()) {
            case CONV -> new Conv2d(w, b, Conv2dSpec.of(1, 1));
            case RELU -> new Relu();
            case POOL -> pooling == PoolingMode.MAX ? new MaxPool2d(window) : new AvgPool2d(window);
            case FC -> new Linear(w, b);
        };
    }

    /**
     * The same network without fc6-fc8, for work that reads convolution layers only: the classifier
     * holds most of VGG's weights (123 of 144 million for VGG-19). Its tensors are freed, so this
     * network's own classifier is unusable afterwards.
     */
    public Vgg withoutClassifier() {
        if (!hasClassifier()) {
            return this;
        }
        Map<String, Tensor> convs = new LinkedHashMap<>(params);
        convs.keySet().removeIf(name -> name.startsWith("fc"));
        params.forEach((name, t) -> {
            if (name.startsWith("fc")) {
                t.close();
            }
        });
        return new Vgg(spec, convs, preprocessing, pooling);
    }

    /** The same weights with max pooling swapped for average pooling, or back. */
    public Vgg withPooling(PoolingMode mode) {
        return mode == pooling ? this : new Vgg(spec, params, preprocessing, mode);
    }

    /** The same network with its parameters copied to another backend. */
    public Vgg to(Backend backend) {
        Map<String, Tensor> moved = new LinkedHashMap<>();
        params.forEach((k, v) -> moved.put(k, v.to(backend)));
        return new Vgg(spec, moved, preprocessing, pooling);
    }

    public VggSpec spec() {
        return spec;
    }

    public Preprocessing preprocessing() {
        return preprocessing;
    }

    public PoolingMode pooling() {
        return pooling;
    }

    /** The backend the parameters live on, where inputs must be too. */
    public Backend backend() {
        return params.values().iterator().next().backend();
    }

    public boolean hasClassifier() {
        return hasClassifier(params);
    }

    public Map<String, Tensor> parameters() {
        return Collections.unmodifiableMap(params);
    }

    /** Every layer name, in network order. */
    public List<String> layerNames() {
        return layers.names();
    }

    /** Throws for an unknown name, listing the valid ones; returns the name. */
    public String checkLayer(String name) {
        layers.indexOf(name);
        return name;
    }

    /**
     * The smallest image side (in pixels, for height and width alike) that a forward pass to these
     * layers can take. Convolutions keep the size (3x3, pad 1); each 2x2 pool with stride 2 halves
     * it, rounding down, and needs at least one full window, so the k pools up to and including the
     * deepest chosen layer need 2^k pixels: relu1_1 takes 1, pool1 2, relu4_2 8, relu5_1 16,
     * pool5 32. The classifier needs pool5 to be 7 x 7, so fc6 and after need 224.
     *
     * @throws IllegalArgumentException for an unknown layer name, listing the valid ones
     */
    public int smallestInputSide(Collection<String> layerNames) {
        List<VggLayer> all = spec.layers(hasClassifier());
        int deepest = 0;
        for (String name : layerNames) {
            deepest = Math.max(deepest, layers.indexOf(name));
        }
        int pools = 0;
        for (VggLayer layer : all.subList(0, deepest + 1)) {
            if (layer.kind() == VggLayer.Kind.FC) {
                return VggSpec.POOL5_SIZE << pools;
            }
            pools += layer.kind() == VggLayer.Kind.POOL ? 1 : 0;
        }
        return 1 << pools;
    }

    /** Parses a comma-separated list of layer names, checking each (see {@link LayerList}). */
    public List<String> parseLayers(String csv) {
        return LayerList.parseNames(csv, this);
    }

    /** Activations of the requested layers for input x (N, 3, H, W), by name in network order. */
    public Map<String, Tensor> forward(Tensor x, Collection<String> layerNames) {
        return layers.forward(x, layerNames);
    }

    /** Runs the whole network (the classifier included when present). */
    public Tensor forward(Tensor x) {
        return layers.forward(x);
    }
}
