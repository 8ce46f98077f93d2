package dev.pixelgrad.weights;

import dev.pixelgrad.nn.VggLayer;
import dev.pixelgrad.nn.VggSpec;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one place where names from a file become standard names ({@code conv1_1.weight} ...
 * {@code fc8.bias}). Each source has its own rule:
 * <ul>
 * <li>standard: names already standard (converted files) are kept;</li>
 * <li>torchvision and the Caffe ports ({@code .pth}): {@code features.N.*} are the convolutions in
 * increasing N (conv1_1, conv1_2, conv2_1, ...), {@code classifier.{0,3,6}.*} are fc6, fc7, fc8;</li>
 * <li>timm ({@code vgg16.tv_in1k} safetensors): {@code features.N.*} as above,
 * {@code pre_logits.fc1} is fc6 (stored as a 7x7 convolution, reshaped later),
 * {@code pre_logits.fc2} is fc7 (a 1x1 convolution), {@code head.fc} is fc8;</li>
 * <li>Caffe {@code .caffemodel}: layer {@code conv1_1} blob 0 ({@code conv1_1[0]}) is
 * {@code conv1_1.weight}, blob 1 the bias.</li>
 * </ul>
 * A {@code module.} prefix (saved from DataParallel) is dropped. Names no rule knows are kept as
 * they are, so the parameter check reports them as unexpected under the file's own name.
 */
public final class NameMapping {
    private static final Pattern FEATURES = Pattern.compile("features\\.(\\d+)\\.(weight|bias)");
    private static final Pattern CLASSIFIER = Pattern.compile("classifier\\.(\\d+)\\.(weight|bias)");
    private static final Pattern CAFFE_BLOB = Pattern.compile("(conv\\d_\\d|fc[678])\\[(\\d+)]");
    private static final Map<String, String> TIMM = Map.of(
            "pre_logits.fc1", "fc6", "pre_logits.fc2", "fc7", "head.fc", "fc8");

    /** Standard tensors, plus for each standard name the key it had in the file. */
    public record Mapped(Map<String, RawTensor> tensors, Map<String, String> fileKeys) {
        /** "conv1_1.weight (features.0.weight in the file)" or just the name when unchanged. */
        public String describe(String standardName) {
            String k = fileKeys.getOrDefault(standardName, standardName);
            return k.equals(standardName) ? standardName : standardName + " (" + k + " in the file)";
        }
    }

    private NameMapping() {
    }

    public static Mapped toStandard(SourceWeights source) {
        Path file = source.file();
        List<String> keys = new ArrayList<>(source.tensors().keySet());
        Map<String, String> rename = new LinkedHashMap<>();
        // features.N and classifier.N: rank the distinct indices
        TreeSet<Integer> featureIdx = new TreeSet<>();
        TreeSet<Integer> classifierIdx = new TreeSet<>();
        for (String key : keys) {
            String k = stripModule(key);
            Matcher m = FEATURES.matcher(k);
            if (m.matches()) {
                featureIdx.add(Integer.parseInt(m.group(1)));
            }
            m = CLASSIFIER.matcher(k);
            if (m.matches()) {
                classifierIdx.add(Integer.parseInt(m.group(1)));
            }
        }
        List<Integer> featureOrder = new ArrayList<>(featureIdx);
        List<Integer> classifierOrder = new ArrayList<>(classifierIdx);
        List<String> convNames = convNames(featureOrder.size());
        for (String key : keys) {
            String k = stripModule(key);
            String to = k;
            Matcher m;
            if ((m = FEATURES.matcher(k)).matches()) {
                int rank = featureOrder.indexOf(Integer.parseInt(m.group(1)));
                to = (rank < convNames.size() ? convNames.get(rank) : "features." + m.group(1)) + "." + m.group(2);
            } else if ((m = CLASSIFIER.matcher(k)).matches()) {
                int rank = classifierOrder.indexOf(Integer.parseInt(m.group(1)));
                to = (rank < 3 ? "fc" + (6 + rank) : k.substring(0, k.lastIndexOf('.'))) + "." + m.group(2);
            } else if ((m = CAFFE_BLOB.matcher(k)).matches()) {
                int blob = Integer.parseInt(m.group(2));
                to = blob == 0 ? m.group(1) + ".weight" : blob == 1 ? m.group(1) + ".bias" : k;
            } else {
                int dot = k.lastIndexOf('.');
                if (dot > 0 && TIMM.containsKey(k.substring(0, dot))) {
                    to = TIMM.get(k.substring(0, dot)) + k.substring(dot);
                }
            }
            rename.put(key, to);
        }
        Map<String, RawTensor> out = new LinkedHashMap<>();
        Map<String, String> fileKeys = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : rename.entrySet()) {
            String to = e.getValue();
            if (out.containsKey(to)) {
                throw new WeightFileException(file, "tensors " + fileKeys.get(to) + " and " + e.getKey() + " both map to " + to
                        + "; the file holds more than one network?");
            }
            RawTensor t = source.tensors().get(e.getKey());
            out.put(to, t.as(to, t.shape()));
            fileKeys.put(to, e.getKey());
        }
        return new Mapped(out, fileKeys);
    }

    private static String stripModule(String key) {
        return key.startsWith("module.") ? key.substring("module.".length()) : key;
    }

    /** conv1_1, conv1_2, conv2_1, ... of the architecture with {@code count} convolutions; empty when none has. */
    static List<String> convNames(int count) {
        for (VggSpec.Arch arch : VggSpec.Arch.values()) {
            if (arch.totalConvs() == count) {
                return VggSpec.standard(arch).layers(false).stream()
                        .filter(l -> l.kind() == VggLayer.Kind.CONV).map(VggLayer::name).toList();
            }
        }
        return List.of();
    }
}
