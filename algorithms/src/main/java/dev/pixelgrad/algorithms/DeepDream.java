package dev.pixelgrad.algorithms;

import dev.pixelgrad.nn.Preprocessing;
import dev.pixelgrad.nn.Vgg;
import dev.pixelgrad.tensor.Grad;
import dev.pixelgrad.tensor.Ops;
import dev.pixelgrad.tensor.Shape;
import dev.pixelgrad.tensor.Tensor;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * DeepDream (Mordvintsev, Olah and Tyka): amplify whatever a layer already sees by gradient
 * <em>ascent</em> on the image. For a layer with activation a:
 * <pre>
 * a = forward(x)                 objective  1/2 ||a||^2
 * seed: da = a                   (the gradient of 1/2 ||a||^2 is a itself)
 * g = backward(seed) to x
 * x = x + eta g / mean|g|        normalised so that eta is the average pixel change
 * </pre>
 * Around that loop: octaves (dream on a small copy first, carry the added detail up to the next
 * size), jitter (a random roll of the image, undone after the step, which removes the grid
 * artefacts of strided layers), tiles (the gradient is computed window by window at a random
 * offset, so big images fit in memory without visible seams) and a clamp to valid pixels.
 *
 * <p>Several layers: each layer l is seeded with w_l times its own seed; the backward runs once
 * for all of them, through the surrogate S = sum_l w_l &lt;a_l, s_l&gt; with the seeds s_l held
 * constant, whose gradient at a_l is exactly w_l s_l.
 *
 * <p>Guided dream: instead of 1/2 ||a||^2, maximise the dot product between x's features and a
 * guide image's, matched position by position with a soft match: the seed is s = Ghat a with
 * Ghat = F_g F_g^T / (N M_g) the guide's normalised Gram, so that the feature vector a_p at each
 * position p is pulled toward the guide vectors it already resembles,
 * s_p = 1/(N M_g) sum_q f_q (f_q . a_p). This is the smooth form of the original "best-matching
 * guide vector" (an argmax over guide positions), needs only a GEMM on the device, and does not
 * depend on the guide's size. The objective is then 1/2 sum_p a_p^T Ghat a_p.
 *
 * <p>Loss term: {@code dream} = sum_l w_l 1/2 &lt;a_l, s_l&gt; (it grows: this is ascent).
 */
public final class DeepDream {
    /**
     * @param layers      layers with weights
     * @param iterations  steps per octave
     * @param step        eta, in 8-bit levels (1.5 moves pixels 1.5/255 on average per step)
     * @param octaves     number of sizes (1 = only the full size)
     * @param octaveScale ratio between successive sizes
     * @param jitter      largest random roll, in pixels
     * @param tile        tile size for the gradient (0 = whole image at once)
     */
    public record Options(LayerWeights layers, int iterations, float step, int octaves, float octaveScale,
                          int jitter, int tile) {
        public Options {
            if (octaves < 1) {
                throw new IllegalArgumentException("dream: octaves must be at least 1, got " + octaves);
            }
            if (!(octaveScale > 1f)) {
                throw new IllegalArgumentException("dream: octave scale must be above 1, got " + octaveScale);
            }
            if (tile < 0 || jitter < 0 || iterations < 0) {
                throw new IllegalArgumentException("dream: tile, jitter and iterations must not be negative");
            }
        }
    }

    /**
     * The smallest side an octave may have. Below it the deep layers see a map of a few pixels
     * (relu4_2 after three poolings: 4 x 4 at 32 px, pool5 1 x 1), too little to dream on, and
     * the octave only costs time.
     */
    public static final int MIN_OCTAVE_SIDE = 32;

    /**
     * What {@link #run} does to an image: the octaves it dreams on, smallest first, those it drops
     * because a side would fall below {@link #MIN_OCTAVE_SIDE}, and the steps per octave.
     *
     * @param octaves    (height, width) of each octave dreamt on, smallest first; the last is the image's size
     * @param dropped    (height, width) of each octave left out, smallest first
     * @param iterations steps per octave
     */
    public record Plan(List<int[]> octaves, List<int[]> dropped, int iterations) {
        /** Steps in all: iterations x octaves dreamt on. */
        public int steps() {
            return octaves.size() * iterations;
        }

        /**
         * The plan in one line, e.g. {@code 3 octaves x 5 steps = 15 steps (41x33 to 80x64); the
         * smallest octave (29x23) is dropped: below 32 px}. Sizes are width x height, as texture's --size.
         */
        public String describe() {
            int last = octaves.size() - 1;
            String sizes = last == 0 ? wxh(octaves.get(0)) : wxh(octaves.get(0)) + " to " + wxh(octaves.get(last));
            String line = count(octaves.size(), "octave") + " x " + count(iterations, "step") + " = "
                    + count(steps(), "step") + " (" + sizes + ")";
            if (dropped.isEmpty()) {
                return line;
            }
            String which = dropped.size() == 1 ? "the smallest octave" : "the " + dropped.size() + " smallest octaves";
            return line + "; " + which + " (" + String.join(", ", dropped.stream().map(Plan::wxh).toList()) + ") "
                    + (dropped.size() == 1 ? "is" : "are") + " dropped: below " + MIN_OCTAVE_SIDE + " px";
        }

        private static String count(int k, String noun) {
            return k + " " + noun + (k == 1 ? "" : "s");
        }

        private static String wxh(int[] hw) {
            return hw[1] + "x" + hw[0];
        }
    }

    private final Vgg vgg;
    private final Options options;
    private final Preprocessing pre;
    private final Map<String, Tensor> guideGrams = new LinkedHashMap<>();
    private final Random rnd;
    private LayerWeights layers;   // options' layers and step until the monitor changes them (Monitor#changes)
    private float step;

    /** @param guide the guide image in network space, or null for a plain dream */
    public DeepDream(Vgg vgg, Tensor guide, Options options, long seed) {
        this.vgg = vgg;
        this.options = options;
        this.pre = vgg.preprocessing();
        this.rnd = new Random(seed);
        this.layers = options.layers();
        this.step = options.step();
        if (guide != null) {
            try (Grad.Scope ignored = Grad.disabled()) {
                vgg.forward(guide, options.layers().names()).forEach((l, f) -> guideGrams.put(l, Losses.gramTarget(f)));
            }
        }
    }

    /**
     * The plan for an h x w image: octave o (o = octaves-1 .. 0) has the size (h, w) / scale^o,
     * kept when both sides reach {@link #MIN_OCTAVE_SIDE}; the full size (o = 0) is always kept.
     */
    public Plan plan(int h, int w) {
        List<int[]> kept = new ArrayList<>(), dropped = new ArrayList<>();
        for (int o = options.octaves() - 1; o >= 0; o--) {
            double f = Math.pow(options.octaveScale(), o);
            int oh = (int) Math.round(h / f), ow = (int) Math.round(w / f);
            if (o == 0) {
                kept.add(new int[]{h, w});
            } else {
                (Math.min(oh, ow) >= MIN_OCTAVE_SIDE ? kept : dropped).add(new int[]{oh, ow});
            }
        }
        return new Plan(kept, dropped, options.iterations());
    }

    /** The sizes (height, width) of the octaves dreamt on, smallest first: {@link #plan}'s octaves. */
    public List<int[]> octaveSizes(int h, int w) {
        return plan(h, w).octaves();
    }

    /** Dreams on the image (network space, (1, 3, H, W)) and returns the result at the same size. */
    public Tensor run(Tensor image, Monitor monitor) {
        int h = image.shape().dim(2), w = image.shape().dim(3);
        Tensor lo = Tensor.of(pre.lowerBounds(), Shape.of(3), image.backend());
        Tensor hi = Tensor.of(pre.upperBounds(), Shape.of(3), image.backend());
        Tensor x = null;
        Tensor detail = null;   // what dreaming added, carried from octave to octave
        int iter = 0;
        for (int[] size : octaveSizes(h, w)) {
            Tensor base = ImageTensors.resize(image, size[0], size[1]);
            x = ImageTensors.leafCopy(base);
            if (detail != null) {
                x.addInPlace(ImageTensors.resize(detail, size[0], size[1]), 1f);
            }
            x.clampChannelsInPlace(lo, hi);
            for (int i = 0; i < options.iterations(); i++) {
                float objective = gradient(x);
                monitor.iteration(iter++, objective, Map.of("dream", objective), x);
                ascendInPlace(x, x.grad());
                x.clampChannelsInPlace(lo, hi);
                if (monitor.stopRequested()) {
                    return x;
                }
                applyInPlace(monitor.changes(iter));
            }
            try (Grad.Scope ignored = Grad.disabled()) {
                detail = x.sub(base);
            }
        }
        float last = objective(x);
        monitor.iteration(iter, last, Map.of("dream", last), x);
        return x;
    }

    /**
     * Takes a new step size (Changes#learningRate, in 8-bit levels) or new layers between steps.
     * A guided dream keeps its layers: the guide's Grams were computed for them.
     */
    private void applyInPlace(Changes changes) {
        if (changes == null) {
            return;
        }
        if (changes.learningRate() != null) {
            step = changes.learningRate();
        }
        if (changes.layers() != null) {
            if (!guideGrams.isEmpty()) {
                throw new IllegalArgumentException("dream: a guided dream cannot change its layers (the guide's Grams are for "
                        + String.join(",", layers.names()) + ")");
            }
            layers = LayerWeights.parse(changes.layers(), vgg, 1f);
        }
    }

    /** x += eta g / mean|g|: eta is the average pixel change, in 8-bit levels. */
    private void ascendInPlace(Tensor x, Tensor g) {
        double meanAbs = g.sumAbs() / g.numel();
        float eta = step / 255f / ImageTensors.rgbUnit(pre);   // 8-bit levels -> network units
        x.addInPlace(g, (float) (eta / (meanAbs + 1e-8)));
    }

    /**
     * Sets x.grad to the gradient of the objective at x and returns the objective: tile by tile
     * through a random roll of the image, window = crop(roll(x)), so backward undoes both.
     */
    private float gradient(Tensor x) {
        Shape s = x.shape();
        int h = s.dim(2), w = s.dim(3);
        int shiftY = roll(options.jitter()), shiftX = roll(options.jitter());
        boolean tiled = options.tile() > 0 && (h > options.tile() || w > options.tile());
        if (tiled) {   // tile seams land somewhere else every step
            shiftY += rnd.nextInt(options.tile());
            shiftX += rnd.nextInt(options.tile());
        }
        x.zeroGrad();
        double objective = 0;
        int[] ys = splits(h, tiled ? options.tile() : h), xs = splits(w, tiled ? options.tile() : w);
        for (int ty = 0; ty + 1 < ys.length; ty++) {
            for (int tx = 0; tx + 1 < xs.length; tx++) {
                int y0 = ys[ty], x0 = xs[tx], th = ys[ty + 1] - y0, tw = xs[tx + 1] - x0;
                Tensor window = Ops.crop(Ops.roll(x, shiftY, shiftX), y0, x0, th, tw);
                objective += backwardSeeded(window);
            }
        }
        return (float) objective;
    }

    /** forward; seed each layer's gradient; backward to the input. Returns the objective. */
    private double backwardSeeded(Tensor input) {
        Map<String, Tensor> a = vgg.forward(input, layers.names());
        Tensor surrogate = null;
        for (Map.Entry<String, Tensor> e : a.entrySet()) {
            Tensor seed = seed(e.getKey(), e.getValue());
            Tensor term = e.getValue().mul(seed).sum().scale(layers.weight(e.getKey()));
            surrogate = surrogate == null ? term : surrogate.add(term);
        }
        float value = 0.5f * surrogate.item();
        surrogate.backward();
        return value;
    }

    /** The seed s for layer activation a: a itself, or Ghat a for a guided dream (held constant). */
    private Tensor seed(String layer, Tensor a) {
        Tensor g = guideGrams.get(layer);
        if (g == null) {
            return a.detach();
        }
        Shape s = a.shape();
        int c = s.dim(1);
        try (Grad.Scope ignored = Grad.disabled()) {   // s = Ghat a, per position: (C, C) (C, HW)
            return g.reshape(c, c).matmul(a.detach().reshape(c, s.dim(2) * s.dim(3))).reshape(s.dims());
        }
    }

    /** The objective at x without a gradient (for the final log line). */
    private float objective(Tensor x) {
        try (Grad.Scope ignored = Grad.disabled()) {
            double total = 0;
            for (Map.Entry<String, Tensor> e : vgg.forward(x.detach(), layers.names()).entrySet()) {
                Tensor seed = seed(e.getKey(), e.getValue());
                total += 0.5 * layers.weight(e.getKey()) * e.getValue().mul(seed).sum().item();
            }
            return (float) total;
        }
    }

    private int roll(int max) {
        return max == 0 ? 0 : rnd.nextInt(2 * max + 1) - max;
    }

    /** Boundaries of n nearly equal parts of length at most {@code tile}: no sliver tiles at the edge. */
    static int[] splits(int length, int tile) {
        int n = (length + tile - 1) / tile;
        int[] b = new int[n + 1];
        for (int i = 0; i <= n; i++) {
            b[i] = (int) Math.round((double) i * length / n);
        }
        return b;
    }
}
