package dev.pixelgrad.algorithms.cli;

import dev.pixelgrad.algorithms.ImageOptimization;
import dev.pixelgrad.nn.VggSpec;
import dev.pixelgrad.tensor.Backend;
import dev.pixelgrad.tensor.Backends;
import dev.pixelgrad.tensor.DeviceMemory;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Proxy;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The memory estimate against measured runs, and what it says when a run does not fit. */
class MemoryEstimateTest {
    static final VggSpec VGG19 = VggSpec.standard(VggSpec.Arch.VGG19);
    /** Weights of VGG-19's 16 convolutions (the classifier is not loaded for the image commands). */
    static final long CONV_WEIGHTS = VGG19.parameterShapes(false).values().stream()
            .mapToLong(d -> java.util.Arrays.stream(d).asLongStream().reduce(1, (a, b) -> a * b)).sum();
    static final List<String> STYLE = List.of("relu1_1", "relu2_1", "relu3_1", "relu4_1", "relu5_1");

    /**
     * What {@code style} estimates for the bundled images (chelsea 451x300, hubble 1000x872) at a
     * long side, with the L-BFGS history that a one-iteration run fills (one pair).
     */
    static MemoryEstimate style(int longSide) {
        int h = Math.round(300f * longSide / 451), sh = Math.round(872f * longSide / 1000);
        MemoryEstimate.Knob size = MemoryEstimate.Knob.side("--size", longSide);
        Set<String> all = new java.util.LinkedHashSet<>(STYLE);
        all.add("relu4_2");
        return MemoryEstimate.of(VGG19, CONV_WEIGHTS)
                .optimising("the image", h, longSide, all, MemoryEstimate.imageVectors(ImageOptimization.Settings.defaults(1)), size)
                .featureTarget("the content", h, longSide, List.of("relu4_2"), size)
                .gramTarget("--style s.jpg", sh, longSide, STYLE, size);
    }

    /**
     * Measured with the launcher: the smallest -Xmx (in steps of 10-60 MiB) with which
     * {@code pixelgrad style --iterations 1 --device java} on random VGG-19 convolution weights
     * (a torchvision .pth of the features) ran, at 256, 512 and 768 px: 275, 560 and 1000 MiB (250,
     * 520 and 940 MiB ran out of memory). The estimate must stay below what ran (never refuse a run
     * that works) and above 55 % of it (still catch one that cannot): at 256 px reading the weights
     * (the file's bytes, the decoded values and the tensors, three copies of 80 MB) needs more than
     * the run, and the estimate, made once the weights are loaded, counts the run only.
     */
    @Test
    void staysJustBelowWhatRunsNeeded() {
        int[] sides = {256, 512, 768};
        long[] ranMiB = {275, 560, 1000};
        for (int i = 0; i < sides.length; i++) {
            long estimate = style(sides[i]).deviceBytes() + style(sides[i]).hostBytes(), ran = ranMiB[i] << 20;
            assertTrue(estimate <= ran && estimate >= 0.55 * ran, sides[i] + " px: estimate " + estimate + " bytes, ran with " + ran);
        }
    }

    @Test
    void tooBigForTheHeapSaysHowMuchAndWhatToDo() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> style(20000).require(Backends.java()));
        String m = e.getMessage();
        assertTrue(m.matches("this run needs about \\d+ GB of memory \\(mostly the image at 20000x13304 px, forward and backward to "
                + "relu5_1\\) but the Java heap holds at most [\\d.]+ [GM]B; use --size \\d+ or less, "
                + "or a larger Java heap \\(PIXELGRAD_JAVA_OPTS=-Xmx\\d+g\\), or an OpenCL device \\(--device opencl\\)"), m);
        assertDoesNotThrow(() -> style(64).require(Backends.java()));
    }

    /** The size it suggests fits, and is not much smaller than what fits. */
    @Test
    void theSuggestedSizeFits() {
        String m = assertThrows(IllegalStateException.class, () -> style(20000).require(Backends.java())).getMessage();
        java.util.regex.Matcher size = java.util.regex.Pattern.compile("use --size (\\d+) or less").matcher(m);
        assertTrue(size.find(), m);
        int side = Integer.parseInt(size.group(1));
        assertDoesNotThrow(() -> style(side).require(Backends.java()), m);
        assertThrows(IllegalStateException.class, () -> style((int) (side * 1.15)).require(Backends.java()), m);
    }

    @Test
    void namesTheImageThatTakesMostOfIt() {
        MemoryEstimate texture = MemoryEstimate.of(VGG19, CONV_WEIGHTS)
                .optimising("the output", 256, 256, STYLE, 46, new MemoryEstimate.Knob("--size", 256, 256))
                .gramTarget("the example", 20000, 20000, STYLE, MemoryEstimate.Knob.side("--texture-size", 20000));
        String m = assertThrows(IllegalStateException.class, () -> texture.require(Backends.java())).getMessage();
        assertTrue(m.contains("(mostly the example at 20000x20000 px, forward to relu5_1)") && m.contains("use --texture-size "), m);
    }

    /** A backend whose buffers live in a device memory of the given size. */
    static Backend device(long memory, long maxBuffer) {
        return (Backend) Proxy.newProxyInstance(MemoryEstimateTest.class.getClassLoader(), new Class<?>[]{Backend.class, DeviceMemory.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "memoryBytes" -> memory;
                    case "maxBufferBytes" -> maxBuffer;
                    case "name" -> "opencl:0:0 (test device)";
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }

    @Test
    void onADeviceItIsTheDevicesMemoryThatCounts() {
        long need = style(1024).deviceBytes();
        assertDoesNotThrow(() -> style(1024).require(device(need + 1, need)));
        String m = assertThrows(IllegalStateException.class, () -> style(1024).require(device(need / 2, need))).getMessage();
        assertTrue(m.contains("but opencl:0:0 (test device)'s memory holds at most") && m.contains("--device java with a large heap"), m);
        m = assertThrows(IllegalStateException.class, () -> style(1024).require(device(need + 1, 1000))).getMessage();
        assertTrue(m.contains("but one buffer on opencl:0:0 (test device) holds at most"), m);
    }
}
