package dev.pixelgrad.weights;

import dev.pixelgrad.nn.Preprocessing;
import dev.pixelgrad.nn.VggSpec;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * read -> map names -> detect architecture -> check -> choose preprocessing. Converted files carry
 * their architecture and preprocessing in their metadata; other files are recognised by hash
 * (published files), by format (Caffe models), or fall back to torchvision preprocessing.
 */
final class WeightLoader {
    private WeightLoader() {
    }

    static LoadedWeights load(Path file, VggSpec.Arch archOverride, Preprocessing preOverride) {
        SourceWeights source = WeightFormat.readAny(file);
        Map<String, String> meta = source.metadata();
        boolean converted = ConvertedFormat.FORMAT_ID.equals(meta.get(ConvertedFormat.KEY_FORMAT));
        NameMapping.Mapped mapped = NameMapping.toStandard(source);
        VggSpec.Arch arch = archOverride;
        if (arch == null && converted && meta.containsKey(ConvertedFormat.KEY_ARCH)) {
            arch = VggSpec.Arch.parse(meta.get(ConvertedFormat.KEY_ARCH));
        }
        VggSpec spec = SpecDetector.detect(file, mapped.tensors(), arch);
        Map<String, RawTensor> params = ParameterCheck.check(file, spec, mapped);

        String sourceName;
        String sha;
        Preprocessing pre;
        String reason;
        if (converted) {
            sourceName = meta.getOrDefault(ConvertedFormat.KEY_SOURCE, file.getFileName().toString());
            sha = meta.getOrDefault(ConvertedFormat.KEY_SOURCE_SHA256, "");
            pre = Preprocessing.parse(meta.getOrDefault(ConvertedFormat.KEY_PREPROCESSING, "torchvision"));
            reason = "recorded in the converted file";
        } else {
            sourceName = file.getFileName().toString();
            sha = Sha256.of(file);
            Optional<KnownWeights.Published> known = KnownWeights.bySha256(sha);
            if (known.isPresent()) {
                pre = known.get().preprocessing();
                reason = "published file " + known.get().fileName() + " (sha256 " + sha.substring(0, 8) + "...)";
            } else if (source.format() == WeightFormat.CAFFEMODEL) {
                pre = Preprocessing.CAFFE;
                reason = "Caffe model";
            } else {
                pre = Preprocessing.TORCHVISION;
                reason = "default for an unrecognised file; pass --preprocess caffe for Caffe-trained weights";
            }
        }
        if (preOverride != null) {
            pre = preOverride;
            reason = "given on the command line";
        }
        return new LoadedWeights(file, source.format(), spec, pre, reason, params, sourceName, sha);
    }
}
