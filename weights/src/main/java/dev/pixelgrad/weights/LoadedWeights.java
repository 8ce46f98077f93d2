package dev.pixelgrad.weights;

import dev.pixelgrad.nn.Preprocessing;
import dev.pixelgrad.nn.VggSpec;

import java.nio.file.Path;
import java.util.Map;

/**
 * Weights read from a file, mapped to standard names ({@code conv1_1.weight}, ..., {@code fc8.bias})
 * in network order and checked against {@code spec}.
 *
 * @param preprocessingReason why this preprocessing was chosen (metadata, known file, override, default)
 * @param sourceName          the file name the weights originally came from
 * @param sourceSha256        that file's sha256 (hex)
 */
public record LoadedWeights(Path file, WeightFormat format, VggSpec spec, Preprocessing preprocessing, String preprocessingReason,
                            Map<String, RawTensor> parameters, String sourceName, String sourceSha256) {
    public LoadedWeights {
        parameters = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(parameters));
    }

    public boolean hasClassifier() {
        return parameters.containsKey("fc6.weight");
    }
}
