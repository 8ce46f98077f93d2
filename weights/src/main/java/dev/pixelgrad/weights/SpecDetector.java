package dev.pixelgrad.weights;

import dev.pixelgrad.nn.VggSpec;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The architecture from standard-named tensors: 13 convolutions make a VGG-16, 16 a VGG-19; block
 * widths are the output channels of conv{b}_1, fc width and class count those of fc6 and fc8. So
 * the reduced-width networks of the tests are recognised as well as the published ones.
 */
final class SpecDetector {
    private static final Pattern CONV_WEIGHT = Pattern.compile("conv\\d_\\d\\.weight");

    private SpecDetector() {
    }

    static VggSpec detect(Path file, Map<String, RawTensor> tensors, VggSpec.Arch override) {
        long convs = tensors.keySet().stream().filter(k -> CONV_WEIGHT.matcher(k).matches()).count();
        VggSpec.Arch arch = override != null ? override : Arrays.stream(VggSpec.Arch.values())
                .filter(a -> a.totalConvs() == convs).findFirst()
                .orElseThrow(() -> new WeightFileException(file, "found " + convs + " convolution weights ("
                        + String.join(", ", firstKeys(tensors)) + "); expected 13 (VGG-16) or 16 (VGG-19); pass --arch to say which"));
        int[] widths = new int[5];
        for (int b = 0; b < 5; b++) {
            RawTensor w = tensors.get("conv" + (b + 1) + "_1.weight");
            if (w == null) {
                throw new WeightFileException(file, "tensor conv" + (b + 1) + "_1.weight is missing; cannot tell the width of block "
                        + (b + 1) + " (tensors: " + String.join(", ", firstKeys(tensors)) + ")");
            }
            widths[b] = w.shape().length > 0 ? w.shape()[0] : 0;
        }
        int fc = 4096;
        int classes = 1000;
        RawTensor fc6 = tensors.get("fc6.weight");
        RawTensor fc8 = tensors.get("fc8.weight");
        if (fc6 != null && fc6.shape().length >= 1) {
            fc = outputs(fc6.shape());
        }
        if (fc8 != null && fc8.shape().length >= 1) {
            classes = outputs(fc8.shape());
        }
        return new VggSpec(arch, widths, fc, classes);
    }

    /** Output count of a fully connected weight; Caffe's legacy blobs are (1, 1, out, in). */
    private static int outputs(int[] shape) {
        int i = 0;
        while (i < shape.length - 2 && shape[i] == 1) {
            i++;
        }
        return shape[i];
    }

    private static List<String> firstKeys(Map<String, RawTensor> tensors) {
        List<String> keys = new ArrayList<>(tensors.keySet());
        return keys.size() <= 8 ? keys : keys.subList(0, 8);
    }
}
