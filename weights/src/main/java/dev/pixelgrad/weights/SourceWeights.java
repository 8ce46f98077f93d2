package dev.pixelgrad.weights;

import java.nio.file.Path;
import java.util.Map;

/**
 * What a reader found in a file: tensors keyed exactly as the file names them, in file order,
 * plus string metadata where the format has any (safetensors {@code __metadata__}).
 */
public record SourceWeights(Path file, WeightFormat format, Map<String, RawTensor> tensors, Map<String, String> metadata) {
    public SourceWeights {
        tensors = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(tensors));
        metadata = Map.copyOf(metadata);
    }
}
