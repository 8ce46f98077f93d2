package dev.pixelgrad.kernels;

import dev.pixelgrad.tensor.Backend;
import dev.pixelgrad.tensor.ConvGeometry;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * What {@code auto} chose between OpenCL on a CPU and the Java backend, and the timings it chose
 * by: the work the commands spend their time on, a VGG 3x3 convolution forward and backward to
 * its input at a realistic size, on each. The faster one wins, so auto never picks the slower
 * backend for that work.
 *
 * <p>Saved as {@code key value} lines next to the device's other state. A saved choice holds only
 * while the things that decide the speed are unchanged: the {@link #RULE} (raised whenever the
 * timed work or a backend's convolution path changes), the JVM and the Java backend's vector width.
 */
record AutoChoice(String backend, double javaMs, double openClMs, String jvm, int vectorBits, int rule) {
    /** Raise when the timed work or either backend's 3x3 convolution changes, so saved choices are re-timed. */
    static final int RULE = 7;
    /** VGG-16/19's conv2_2 at a 224-pixel input: 128 channels at 112 x 112, 3.7 GFLOP forward and backward. */
    static final ConvGeometry WORK = Tuner.vgg3x3(128, 112);
    static final String WORK_TEXT = "conv3x3 128@112² forward + backward-data";

    /** Times {@link #WORK} on both backends and picks the faster. */
    static AutoChoice measure(Backend openCl, Backend java) {
        return fromTimes(seconds(java), seconds(openCl));
    }

    /** The choice on this JVM for the given seconds of the work on each backend. */
    static AutoChoice fromTimes(double javaSeconds, double openClSeconds) {
        return new AutoChoice(openClSeconds < javaSeconds ? "opencl" : "java", 1e3 * javaSeconds, 1e3 * openClSeconds,
                jvmNow(), vectorBitsNow(), RULE);
    }

    /**
     * A timing after at least WARM_UP_NANOS of the same work, which lets the JIT compile the Java
     * backend's loops and both backends fill their caches (compiled kernels, transformed weights),
     * as a long run would. C2 compiles in the background on the cores the work also uses, so one
     * untimed round was not enough: it left the Java backend about a fifth slower than it runs warm.
     */
    private static double seconds(Backend b) {
        long until = System.nanoTime() + WARM_UP_NANOS;
        do {
            once(b);
        } while (System.nanoTime() < until);
        return once(b);
    }

    /** Untimed work before the timing that counts: half a second. */
    private static final long WARM_UP_NANOS = 500_000_000L;

    private static double once(Backend b) {
        return KernelTiming.convSeconds(b, WORK) + KernelTiming.convBackwardDataSeconds(b, WORK);
    }

    /** Whether this saved choice was made by the current rule on the current JVM and vector width. */
    boolean current() {
        return rule == RULE && jvm.equals(jvmNow()) && vectorBits == vectorBitsNow();
    }

    /** "java (conv3x3 128@112² forward + backward-data: Java 31.2 ms, OpenCL 40.3 ms)". */
    String describe() {
        return String.format(Locale.ROOT, "%s (%s: Java %.1f ms, OpenCL %.1f ms)", backend, WORK_TEXT, javaMs, openClMs);
    }

    String toText() {
        return String.format(Locale.ROOT, "choice %s%njava_ms %.3f%nopencl_ms %.3f%njvm %s%nvector_bits %d%nrule %d%n",
                backend, javaMs, openClMs, jvm, vectorBits, rule);
    }

    /** The choice a file holds, or null when it is not one (an older file's single word, a damaged one). */
    static AutoChoice parse(String text) {
        Map<String, String> v = new LinkedHashMap<>();
        for (String line : text.split("\n")) {
            int space = line.indexOf(' ');
            if (space > 0) {
                v.put(line.substring(0, space), line.substring(space + 1).trim());
            }
        }
        try {
            String backend = v.get("choice");
            if (!"java".equals(backend) && !"opencl".equals(backend) || !v.containsKey("jvm")) {
                return null;
            }
            return new AutoChoice(backend, Double.parseDouble(v.get("java_ms")), Double.parseDouble(v.get("opencl_ms")),
                    v.get("jvm"), Integer.parseInt(v.get("vector_bits")), Integer.parseInt(v.get("rule")));
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static String jvmNow() {
        return System.getProperty("java.vm.name", "?") + " " + System.getProperty("java.vm.version", "?");
    }

    private static int vectorBitsNow() {
        return jdk.incubator.vector.FloatVector.SPECIES_PREFERRED.vectorBitSize();
    }
}
