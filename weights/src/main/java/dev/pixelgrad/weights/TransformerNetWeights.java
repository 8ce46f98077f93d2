package dev.pixelgrad.weights;

import dev.pixelgrad.nn.TransformerNet;
import dev.pixelgrad.tensor.Backend;
import dev.pixelgrad.tensor.Shape;
import dev.pixelgrad.tensor.Tensor;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Fast-style transformer networks on disk. Saved as safetensors with PyTorch's parameter names
 * in state_dict order, float32, and {@code __metadata__}:
 * <pre>
 *   format        pixelgrad-transformer-net     format_version  1
 *   architecture  transformer_net               width           32 (channels of the first layer)
 *   training.KEY  free-form training record: style image sha256, loss weights, layers, VGG, iterations...
 * </pre>
 * Loaded from that format, from a bare safetensors state dict, and from pytorch/examples
 * checkpoints ({@code torch.save(transformer.state_dict(), path)}, zip or legacy .pth) through the
 * restricted unpickler. Old published checkpoints carry {@code in*.running_mean} and
 * {@code running_var} buffers of PyTorch versions whose InstanceNorm2d kept statistics; they are
 * dropped, as the example's stylize step does. The width is read from {@code conv1.conv2d.weight}.
 */
public final class TransformerNetWeights {
    public static final String FORMAT_ID = "pixelgrad-transformer-net";
    public static final String ARCHITECTURE = "transformer_net";
    public static final String KEY_FORMAT = "format";
    public static final String KEY_VERSION = "format_version";
    public static final String KEY_ARCH = "architecture";
    public static final String KEY_WIDTH = "width";
    /** Training metadata keys are stored under this prefix, so they never collide with the format's own. */
    public static final String TRAINING_PREFIX = "training.";
    /** The buffers the example deletes before load_state_dict (same pattern, searched). */
    private static final Pattern STALE_RUNNING_STATS = Pattern.compile("in\\d+\\.running_(mean|var)$");

    private TransformerNetWeights() {
    }

    /**
     * A network read from a file.
     *
     * @param training the free-form training record (keys without the prefix); empty for checkpoints
     */
    public record Loaded(Path file, WeightFormat format, TransformerNet net, Map<String, String> training) {
        public Loaded {
            training = Collections.unmodifiableMap(new LinkedHashMap<>(training));
        }
    }

    /**
     * Reads any supported file into a network with its parameters on {@code backend} (they do not
     * require gradients; call {@code requiresGrad(true)} to train on).
     *
     * @throws WeightFileException naming the file and what was wrong: not a transformer network
     *                             (another architecture), a missing, unexpected or misshaped
     *                             parameter, a truncated or corrupt file
     */
    public static Loaded load(Path file, Backend backend) {
        SourceWeights source = WeightFormat.readAny(file);
        Map<String, String> meta = source.metadata();
        checkMetadata(file, meta);
        Map<String, RawTensor> raw = new LinkedHashMap<>();
        for (Map.Entry<String, RawTensor> e : source.tensors().entrySet()) {
            if (!STALE_RUNNING_STATS.matcher(e.getKey()).find()) {
                raw.put(e.getKey(), e.getValue());
            }
        }
        RawTensor first = raw.get("conv1.conv2d.weight");
        if (first == null) {
            throw new WeightFileException(file, "no tensor conv1.conv2d.weight, so not a fast-style transformer network "
                    + "(expected the state dict of pytorch/examples' TransformerNet: conv1.conv2d.weight, in1.weight, ...); found "
                    + Excerpt.of(raw.keySet()) + (looksLikeVgg(raw.keySet()) ? ": this is a VGG network, which is the loss network" : ""));
        }
        int width = first.shape().length == 4 ? first.shape()[0] : -1;
        if (meta.containsKey(KEY_WIDTH) && !meta.get(KEY_WIDTH).equals(Integer.toString(width))) {
            throw new WeightFileException(file, "metadata says width " + meta.get(KEY_WIDTH) + " but conv1.conv2d.weight has shape "
                    + first.shapeString() + " (width " + width + ")");
        }
        Map<String, Tensor> params = new LinkedHashMap<>();
        for (RawTensor t : raw.values()) {
            params.put(t.name(), Tensor.of(t.data(), Shape.of(t.shape()), backend));
        }
        TransformerNet net;
        try {
            net = TransformerNet.of(params);
        } catch (IllegalArgumentException e) {
            params.values().forEach(Tensor::close);
            throw new WeightFileException(file, e.getMessage(), e);
        }
        Map<String, String> training = new LinkedHashMap<>();
        meta.forEach((k, v) -> {
            if (k.startsWith(TRAINING_PREFIX)) {
                training.put(k.substring(TRAINING_PREFIX.length()), v);
            }
        });
        return new Loaded(file, source.format(), net, new TreeMap<>(training));
    }

    /** A file of Pixelgrad's format must say it holds this architecture in a version we read. */
    private static void checkMetadata(Path file, Map<String, String> meta) {
        String format = meta.get(KEY_FORMAT);
        if (format == null) {
            return;
        }
        if (!format.equals(FORMAT_ID)) {
            throw new WeightFileException(file, "a " + format + " file" + (meta.containsKey("arch") ? " (" + meta.get("arch") + ")" : "")
                    + "; expected a fast-style transformer network (" + FORMAT_ID + ")");
        }
        if (!ARCHITECTURE.equals(meta.get(KEY_ARCH))) {
            throw new WeightFileException(file, "architecture " + Excerpt.of(meta.get(KEY_ARCH)) + "; expected " + ARCHITECTURE);
        }
        if (!"1".equals(meta.get(KEY_VERSION))) {
            throw new WeightFileException(file, FORMAT_ID + " version " + Excerpt.of(meta.get(KEY_VERSION))
                    + "; this Pixelgrad reads version 1 (a newer Pixelgrad wrote it?)");
        }
    }

    private static boolean looksLikeVgg(Collection<String> keys) {
        return keys.stream().anyMatch(k -> k.startsWith("features.") || k.startsWith("conv1_1"));
    }

    /** The metadata recorded for a network of this width with this training record. */
    public static Map<String, String> metadata(int width, Map<String, String> training) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put(KEY_FORMAT, FORMAT_ID);
        m.put(KEY_VERSION, "1");
        m.put(KEY_ARCH, ARCHITECTURE);
        m.put(KEY_WIDTH, Integer.toString(width));
        training.forEach((k, v) -> m.put(TRAINING_PREFIX + k, v));
        return m;
    }

    /**
     * Writes the network atomically (nothing appears under {@code out} unless the write completes),
     * with {@code training} (free-form: style image sha256, loss weights, layers, VGG, iterations...)
     * in the metadata.
     */
    public static void save(TransformerNet net, Map<String, String> training, Path out) throws IOException {
        List<RawTensor> tensors = new ArrayList<>();
        for (Map.Entry<String, Tensor> e : net.namedParameters().entrySet()) {
            tensors.add(new RawTensor(e.getKey(), e.getValue().shape().dims(), DType.F32, e.getValue().toArray()));
        }
        SafetensorsWriter.write(out, metadata(net.width(), training), tensors, DType.F32);
    }
}
