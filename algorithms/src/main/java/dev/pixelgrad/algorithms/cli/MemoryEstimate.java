package dev.pixelgrad.algorithms.cli;

import dev.pixelgrad.algorithms.ImageOptimization;
import dev.pixelgrad.nn.Vgg;
import dev.pixelgrad.nn.VggLayer;
import dev.pixelgrad.nn.VggSpec;
import dev.pixelgrad.nn.optim.OptimizerKind;
import dev.pixelgrad.tensor.Backend;
import dev.pixelgrad.tensor.DeviceMemory;
import dev.pixelgrad.tensor.Tensor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.function.ToLongFunction;

/**
 * The memory a run needs, estimated from the network, the image sizes and the optimiser before any
 * large buffer exists, and compared with what the backend has: the Java heap
 * ({@code Runtime.maxMemory()}) for the Java backend, the device's memory for OpenCL. A run that
 * cannot fit is refused at once, saying which image is too big and what to change, instead of
 * failing after minutes.
 * <pre>
 * floats = |theta|                          the weights
 *        + sum_{l <= L} |a_l(H, W)|         the tape: every activation up to the deepest chosen layer L
 *                                           lives until backward frees it, except a convolution's
 *                                           output, freed once its ReLU has read it (unless chosen)
 *        + max_l |a_l(H, W)|                backward's gradients (dy and dx of a layer; the tape is
 *                                           freed from the deep end as they reach the large layers)
 *        + k 3HW                            image-sized vectors: x, its gradient, TV's terms, and the
 *                                           optimiser's (L-BFGS: 2 m of history; Adam: two moments)
 *        + what each target image keeps     its features, or its Grams (C_l^2 each)
 * bytes  = 4 floats, plus a few RGB copies of each image on the Java heap
 * </pre>
 * The passes run one after another, so a target's own pass (its largest activation twice, input
 * and output of a layer) counts only where it is larger than the optimisation's.
 *
 * <p>Checked against measurement: {@code style} on VGG-19 with the Java backend (one iteration, so one
 * L-BFGS pair) ran with no less than -Xmx275m at 256x170, 560m at 512x341 and 1000m at 768x511,
 * where this estimate says 155, 385 and 768 MiB ({@code MemoryEstimateTest}). It errs low on purpose: a run it refuses surely does not fit, and one
 * that still runs out of memory ends in one line too ({@link CliErrors}).
 */
final class MemoryEstimate {
    private static final long FLOAT = Float.BYTES;
    /** The largest Java array (the Java backend keeps a tensor in one float[]). */
    private static final long JAVA_ARRAY_FLOATS = Integer.MAX_VALUE - 8;
    /** RGB float copies of an image on the heap whatever the backend: decoded, scaled, result, written. */
    private static final int HOST_COPIES = 4;

    /**
     * The option that sets an image's size and its value now: a long side ({@code --size 512}) or a
     * width and height ({@code --size 256x256}).
     */
    record Knob(String option, int width, int height) {
        /** An option that sets the long side. */
        static Knob side(String option, int longSide) {
            return new Knob(option, longSide, 0);
        }

        /** {@code OPTION N or less} (or {@code WxH}) for the sides scaled by {@code f}. */
        String smaller(double f) {
            return option + " " + (int) (width * f) + (height > 0 ? "x" + (int) (height * f) : "") + " or less";
        }
    }

    /**
     * One image's share: floats it keeps on the backend for the whole run, floats it needs on top of
     * those only while its own pass runs (passes run one after another, so only the largest counts),
     * floats on the heap, its largest tensor, and the option that sizes it.
     */
    private record Part(String what, long kept, long peak, long host, long largest, Knob knob) {
        long floats() {
            return kept + peak + host;
        }

        /** The part with its sides scaled by f (so its sizes by f^2). */
        Part scaled(double f) {
            double a = f * f;
            return new Part(what, (long) (kept * a), (long) (peak * a), (long) (host * a), (long) (largest * a), knob);
        }
    }

    private final VggSpec spec;
    private final long weightFloats;
    private final List<Part> parts = new ArrayList<>();

    private MemoryEstimate(VggSpec spec, long weightFloats) {
        this.spec = spec;
        this.weightFloats = weightFloats;
    }

    /** The weights of {@code vgg}, to which each image's share is added. */
    static MemoryEstimate of(Vgg vgg) {
        long w = 0;
        for (Tensor p : vgg.parameters().values()) {
            w += p.numel();
        }
        return of(vgg.spec(), w);
    }

    /** A network of this shape with this many weights (floats), to which each image's share is added. */
    static MemoryEstimate of(VggSpec spec, long weightFloats) {
        return new MemoryEstimate(spec, weightFloats);
    }

    /**
     * Image-sized vectors an optimiser and its loss keep: x, g, TV's terms, and L-BFGS's history of
     * 2 m vectors (no more pairs than iterations) or Adam's two moments.
     */
    static int imageVectors(ImageOptimization.Settings s) {
        return 6 + 2 * (s.optimizer() == OptimizerKind.LBFGS ? Math.max(1, Math.min(s.historySize(), s.iterations())) : 1);
    }

    /**
     * A forward and backward pass of an (h, w) image to the chosen layers, with {@code vectors}
     * image-sized vectors besides (see {@link #imageVectors}).
     */
    MemoryEstimate optimising(String what, int h, int w, Collection<String> layers, int vectors, Knob knob) {
        long[] a = activations(h, w, layers);
        long image = 3L * h * w;
        parts.add(new Part(what + " at " + w + "x" + h + " px, forward and backward to " + deepest(layers),
                0, onTape(a, image, layers) + max(a) + vectors * image, HOST_COPIES * image, max(a), knob));
        return this;
    }

    /**
     * A forward pass of an (h, w) target image without a tape that keeps the activations of the
     * chosen layers (a content or inversion target, the {@code features} command).
     */
    MemoryEstimate featureTarget(String what, int h, int w, Collection<String> layers, Knob knob) {
        long[] a = activations(h, w, layers);
        List<VggLayer> all = spec.layers(false);
        long kept = 0;
        for (int i = 0; i < a.length; i++) {
            kept += layers.contains(all.get(i).name()) ? a[i] : 0;
        }
        return target(what, h, w, layers, a, kept, knob);
    }

    /** A forward pass of an (h, w) target image without a tape that keeps a C x C Gram matrix per chosen layer (style, texture, guide). */
    MemoryEstimate gramTarget(String what, int h, int w, Collection<String> layers, Knob knob) {
        long kept = 0;
        for (VggLayer l : spec.layers(false)) {
            kept += layers.contains(l.name()) ? (long) l.out() * l.out() : 0;
        }
        return target(what, h, w, layers, activations(h, w, layers), kept, knob);
    }

    /** While a layer runs, its input and output are alive: twice the largest activation on top of what is kept. */
    private MemoryEstimate target(String what, int h, int w, Collection<String> layers, long[] a, long kept, Knob knob) {
        parts.add(new Part(what + " at " + w + "x" + h + " px, forward to " + deepest(layers),
                kept, 2 * max(a), HOST_COPIES * 3L * h * w, max(a), knob));
        return this;
    }

    /** {@code n} image-sized (3 x h x w) vectors kept besides the passes (e.g. DeepDream's full-size copies while it works on tiles). */
    MemoryEstimate vectors(String what, int h, int w, int n, Knob knob) {
        long image = 3L * h * w;
        parts.add(new Part(what + " at " + w + "x" + h + " px", n * image, 0, HOST_COPIES * image, image, knob));
        return this;
    }

    /** Bytes on the backend's side (on the Java heap for the Java backend): the weights, what every image keeps, the largest pass. */
    long deviceBytes() {
        return FLOAT * (weightFloats + parts.stream().mapToLong(Part::kept).sum() + parts.stream().mapToLong(Part::peak).max().orElse(0));
    }

    /** Bytes that are on the Java heap whatever the backend (image copies). */
    long hostBytes() {
        return FLOAT * parts.stream().mapToLong(Part::host).sum();
    }

    /** Bytes of the largest single tensor. */
    long largestBytes() {
        return FLOAT * parts.stream().mapToLong(Part::largest).max().orElse(0);
    }

    /** This estimate with the images that {@code option} sizes scaled by f on each side. */
    private MemoryEstimate scaled(String option, double f) {
        MemoryEstimate m = new MemoryEstimate(spec, weightFloats);
        parts.forEach(p -> m.parts.add(p.knob().option().equals(option) ? p.scaled(f) : p));
        return m;
    }

    /**
     * Throws when the run cannot fit on {@code backend}: the message says how much it needs, which
     * image takes most of it, how much there is, and what to change.
     *
     * @throws IllegalStateException when it does not fit
     */
    void require(Backend backend) {
        long heap = Runtime.getRuntime().maxMemory();
        if (backend instanceof DeviceMemory device) {
            String javaInstead = "--device java with a large heap";
            refuseIf(MemoryEstimate::deviceBytes, device.memoryBytes(), backend.name() + "'s memory", javaInstead);
            refuseIf(MemoryEstimate::largestBytes, device.maxBufferBytes(), "one buffer on " + backend.name(), javaInstead);
            refuseIf(MemoryEstimate::hostBytes, heap, "the Java heap", largerHeap(hostBytes()));
        } else {
            String openCl = "an OpenCL device (--device opencl)";
            refuseIf(m -> m.deviceBytes() + m.hostBytes(), heap, "the Java heap", largerHeap(deviceBytes() + hostBytes()) + ", or " + openCl);
            refuseIf(MemoryEstimate::largestBytes, FLOAT * JAVA_ARRAY_FLOATS, "one Java array", openCl);
        }
    }

    /** What to do when the Java heap turned out too small (the end of an out-of-memory message). */
    static String whatToDo(long heapBytes) {
        return "the Java heap holds at most " + bytes(heapBytes) + "; use a smaller --size (or --tile for dream), "
                + largerHeap(2 * heapBytes) + ", or an OpenCL device (--device opencl)";
    }

    private static String largerHeap(long needed) {
        long gb = Math.max(2, (long) Math.ceil(needed * 1.25 / (1L << 30)));
        return "a larger Java heap (PIXELGRAD_JAVA_OPTS=-Xmx" + gb + "g)";
    }

    /**
     * Refuses when need > limit, naming the image with the largest share and how far the option
     * that sizes it (and every other image it sizes) must come down.
     */
    private void refuseIf(ToLongFunction<MemoryEstimate> measure, long limit, String where, String otherwise) {
        long need = measure.applyAsLong(this);
        if (need <= limit || parts.isEmpty()) {
            return;
        }
        Part big = parts.stream().max(Comparator.comparingLong(Part::floats)).orElseThrow();
        // the largest factor on the sides of the images that option sizes with which the run fits (bisection)
        double lo = 0, hi = 1;
        for (int i = 0; i < 40; i++) {
            double f = (lo + hi) / 2;
            if (measure.applyAsLong(scaled(big.knob().option(), f)) <= limit) {
                lo = f;
            } else {
                hi = f;
            }
        }
        double scale = 0.95 * lo;   // a margin: the estimate is an estimate
        String shrink = scale * Math.max(big.knob().width(), big.knob().height()) >= 1 ? big.knob().smaller(scale) + ", or " : "";
        throw new IllegalStateException(String.format(Locale.ROOT,
                "this run needs about %s of memory (mostly %s) but %s holds at most %s; use %s%s",
                bytes(need), big.what(), where, bytes(limit), shrink, otherwise));
    }

    /**
     * Floats of the input and of each layer's output for an (h, w) image, in network order, up to
     * the deepest chosen layer: a 3x3 convolution keeps the size, a 2x2 pool halves it (rounding down).
     */
    private long[] activations(int h, int w, Collection<String> layers) {
        List<VggLayer> all = spec.layers(false);
        int deepest = 0;
        for (int i = 0; i < all.size(); i++) {
            deepest = layers.contains(all.get(i).name()) ? i : deepest;
        }
        long[] a = new long[deepest + 1];
        long hh = h, ww = w;
        for (int i = 0; i <= deepest; i++) {
            VggLayer l = all.get(i);
            if (l.kind() == VggLayer.Kind.POOL) {
                hh /= 2;
                ww /= 2;
            }
            a[i] = l.out() * hh * ww;
        }
        a[0] += 3L * h * w;   // the input
        return a;
    }

    /** The activations the tape keeps: all but a convolution's output that only its ReLU reads (nn.Sequential frees it). */
    private long onTape(long[] a, long image, Collection<String> layers) {
        List<VggLayer> all = spec.layers(false);
        long sum = image;   // the input, counted in a[0]
        for (int i = 0; i < a.length; i++) {
            boolean freed = all.get(i).kind() == VggLayer.Kind.CONV && i + 1 < a.length
                    && all.get(i + 1).kind() == VggLayer.Kind.RELU && !layers.contains(all.get(i).name());
            sum += freed ? 0 : a[i] - (i == 0 ? image : 0);
        }
        return sum;
    }

    private String deepest(Collection<String> layers) {
        String d = "";
        for (VggLayer l : spec.layers(false)) {
            d = layers.contains(l.name()) ? l.name() : d;
        }
        return d;
    }

    private static long max(long[] a) {
        return Arrays.stream(a).max().orElse(0);
    }

    /** 266 GB, 1.36 GB, 640 MB (powers of 1000, as the command line writes file sizes). */
    static String bytes(long b) {
        return b >= 1e10 ? String.format(Locale.ROOT, "%.0f GB", b / 1e9)
                : b >= 1e9 ? String.format(Locale.ROOT, "%.2f GB", b / 1e9) : String.format(Locale.ROOT, "%d MB", Math.round(b / 1e6));
    }
}
