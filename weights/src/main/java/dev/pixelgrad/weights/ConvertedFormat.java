package dev.pixelgrad.weights;

import dev.pixelgrad.nn.VggSpec;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Pixelgrad's converted format: safetensors with standard names ({@code conv1_1.weight} ...), in
 * network order, float32 (or float16 with {@code --half}), and {@code __metadata__}:
 * <pre>
 *   format          pixelgrad-vgg        format_version  1
 *   arch            vgg16 | vgg19        preprocessing   torchvision | caffe
 *   source          original file name   source_sha256   its sha256 (hex)
 *   layers          conv1_1,relu1_1,...  (every layer the weights support, in order)
 *   widths, fc_width, classes            only for non-standard widths, e.g. "4,8,8,16,16"
 * </pre>
 * Loading maps the file ({@code FileChannel.map}) and reads it like any safetensors file.
 */
public final class ConvertedFormat {
    public static final String FORMAT_ID = "pixelgrad-vgg";
    public static final String KEY_FORMAT = "format";
    public static final String KEY_VERSION = "format_version";
    public static final String KEY_ARCH = "arch";
    public static final String KEY_WIDTHS = "widths";
    public static final String KEY_FC = "fc_width";
    public static final String KEY_CLASSES = "classes";
    public static final String KEY_PREPROCESSING = "preprocessing";
    public static final String KEY_SOURCE = "source";
    public static final String KEY_SOURCE_SHA256 = "source_sha256";
    public static final String KEY_LAYERS = "layers";

    private ConvertedFormat() {
    }

    /** The metadata recorded for these weights. */
    public static Map<String, String> metadata(LoadedWeights w) {
        VggSpec spec = w.spec();
        Map<String, String> m = new LinkedHashMap<>();
        m.put(KEY_FORMAT, FORMAT_ID);
        m.put(KEY_VERSION, "1");
        m.put(KEY_ARCH, spec.arch().id());
        if (!spec.isStandard()) {
            m.put(KEY_WIDTHS, Arrays.stream(spec.widths()).mapToObj(Integer::toString).collect(Collectors.joining(",")));
            if (w.hasClassifier()) {
                m.put(KEY_FC, Integer.toString(spec.fcWidth()));
                m.put(KEY_CLASSES, Integer.toString(spec.classes()));
            }
        }
        m.put(KEY_PREPROCESSING, w.preprocessing().id());
        m.put(KEY_SOURCE, w.sourceName());
        m.put(KEY_SOURCE_SHA256, w.sourceSha256());
        List<String> layers = new ArrayList<>(spec.featureLayerNames());
        if (w.hasClassifier()) {
            layers.addAll(VggSpec.classifierLayerNames());
        }
        m.put(KEY_LAYERS, String.join(",", layers));
        return m;
    }

    /** Writes the weights atomically; nothing appears under {@code out} unless the write completes. */
    public static void write(LoadedWeights w, Path out, boolean half) throws IOException {
        SafetensorsWriter.write(out, metadata(w), w.parameters().values(), half ? DType.F16 : DType.F32);
    }
}
