package dev.pixelgrad.weights;

import dev.pixelgrad.nn.VggSpec;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Checks mapped tensors against the architecture and returns them in network order: every
 * expected tensor present, none extra, floating-point, finite, and of the expected shape. A shape
 * that holds the same values in another layout is accepted where the layout is unambiguous:
 * Caffe's (1, 1, out, in) fully connected blobs, and fully connected layers stored as
 * convolutions ((out, C, 7, 7) or (out, in, 1, 1), flattened as C, H, W as torchvision does).
 */
final class ParameterCheck {
    private ParameterCheck() {
    }

    static Map<String, RawTensor> check(Path file, VggSpec spec, NameMapping.Mapped mapped) {
        Map<String, RawTensor> tensors = mapped.tensors();
        boolean classifier = tensors.keySet().stream().anyMatch(k -> k.matches("fc[678]\\.(weight|bias)"));
        Map<String, int[]> expected = spec.parameterShapes(classifier);
        Map<String, RawTensor> out = new LinkedHashMap<>();
        for (Map.Entry<String, int[]> e : expected.entrySet()) {
            String name = e.getKey();
            int[] want = e.getValue();
            RawTensor t = tensors.get(name);
            if (t == null) {
                throw new WeightFileException(file, "tensor " + name + " (expected shape " + Arrays.toString(want) + " for " + spec
                        + ") is missing; the file has " + tensors.size() + " tensors: " + summary(mapped));
            }
            if (!t.dtype().isFloating()) {
                throw new WeightFileException(file, "tensor " + mapped.describe(name) + " has dtype " + t.dtype()
                        + "; expected a floating-point type (F32, F16, BF16 or F64)");
            }
            if (!Arrays.equals(t.shape(), want)) {
                if (!sameValuesReshaped(name, t.shape(), want)) {
                    throw new WeightFileException(file, "tensor " + mapped.describe(name) + " has shape " + t.shapeString() + " but "
                            + spec + " expects " + Arrays.toString(want));
                }
                t = t.as(name, want);
            }
            checkFinite(file, mapped.describe(name), t.data());
            out.put(name, t);
        }
        TreeSet<String> extra = new TreeSet<>();
        for (String k : tensors.keySet()) {
            if (!expected.containsKey(k)) {
                extra.add(mapped.fileKeys().getOrDefault(k, k));
            }
        }
        if (!extra.isEmpty()) {
            throw new WeightFileException(file, "unexpected tensors " + extra + " for " + spec + "; expected exactly the "
                    + expected.size() + " tensors conv1_1.weight ... " + List.copyOf(expected.keySet()).get(expected.size() - 1));
        }
        return out;
    }

    static void checkFinite(Path file, String name, float[] v) {
        for (int i = 0; i < v.length; i++) {
            if (!Float.isFinite(v[i])) {
                throw new WeightFileException(file, "tensor " + name + " holds " + v[i] + " at flat index " + i
                        + "; weights must be finite (a corrupted or diverged file?)");
            }
        }
    }

    private static boolean sameValuesReshaped(String name, int[] have, int[] want) {
        if (RawTensor.numel(have) != RawTensor.numel(want)) {
            return false;
        }
        if (Arrays.equals(squeeze(have), squeeze(want))) {
            return true;
        }
        // a fully connected weight stored as a convolution: same output count first
        return name.startsWith("fc") && name.endsWith(".weight") && have.length == 4 && want.length == 2 && have[0] == want[0];
    }

    private static int[] squeeze(int[] s) {
        return Arrays.stream(s).filter(d -> d != 1).toArray();
    }

    private static String summary(NameMapping.Mapped mapped) {
        StringBuilder sb = new StringBuilder();
        int i = 0;
        for (Map.Entry<String, RawTensor> e : mapped.tensors().entrySet()) {
            if (i++ == 12) {
                sb.append(", ...");
                break;
            }
            sb.append(i > 1 ? ", " : "").append(mapped.describe(e.getKey()));
        }
        return sb.toString();
    }
}
