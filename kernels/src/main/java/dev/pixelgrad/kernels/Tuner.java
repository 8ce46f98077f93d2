package dev.pixelgrad.kernels;

import dev.pixelgrad.tensor.Backend;
import dev.pixelgrad.tensor.ConvGeometry;
import dev.pixelgrad.tensor.Storage;

import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Times candidate {@code -D} configurations of the convolution and GEMM kernels at VGG shapes
 * and stores the fastest in the cache ({@code PIXELGRAD_HOME/opencl/tuning-*.properties}), which
 * {@link OpenClProvider} reads when it opens the device. The convolution tiles are chosen first
 * (by total time over the conv shapes), then the GEMM tiles (over the Gram shapes).
 */
public final class Tuner {
    /** (channels, size) of the 3x3 VGG layers timed; batch 1, padding 1. */
    static final int[][] CONV_SHAPES = {{64, 224}, {128, 112}, {256, 56}, {512, 28}, {512, 14}};
    /** (channels, pixels) of the Gram matrices of style losses. */
    static final int[][] GRAM_SHAPES = {{64, 512 * 512}, {256, 128 * 128}, {512, 64 * 64}};

    private Tuner() {
    }

    /**
     * Tunes the device of {@code backend}, reports each candidate on {@code out} and returns the
     * best tuning (also saved). Backends opened afterwards use it; this one keeps its own.
     */
    public static Tuning run(OpenClBackend backend, PrintStream out) throws IOException {
        DeviceInfo dev = backend.device();
        Tuning base = backend.tuning();
        out.println("tuning " + dev.name() + " (" + dev.typeName() + ")");
        Tuning best = base;
        double bestTime = Double.MAX_VALUE;
        for (Tuning t : convCandidates(dev, base)) {
            double s = timeCandidate(backend, t, true, out);
            if (s < bestTime) {
                bestTime = s;
                best = t;
            }
        }
        Tuning convBest = best;
        bestTime = Double.MAX_VALUE;
        for (Tuning t : gemmCandidates(dev, convBest)) {
            double s = timeCandidate(backend, t, false, out);
            if (s < bestTime) {
                bestTime = s;
                best = t;
            }
        }
        best.save(backend.homeDir(), dev);
        out.println("best: " + best + " (saved to " + Tuning.file(backend.homeDir(), dev) + ")");
        return best;
    }

    static List<Tuning> convCandidates(DeviceInfo dev, Tuning base) {
        List<Tuning> list = new ArrayList<>();
        if (dev.isGpu() || dev.localMemIsReal()) {
            for (int px : new int[]{2, 4, 7}) {
                for (int local : new int[]{16, 32, 64}) {
                    if (local <= dev.maxWorkGroupSize()) {
                        list.add(new Tuning(1, px, false, local, base.tm(), base.tn(), base.chunk(), base.localTiles()));
                    }
                }
            }
        } else {
            for (int vk : new int[]{1, 2}) {
                for (int px : vk == 1 ? new int[]{8, 12, 14} : new int[]{4, 6, 7, 8}) {
                    list.add(new Tuning(vk, px, true, 1, base.tm(), base.tn(), base.chunk(), base.localTiles()));
                }
            }
        }
        return list;
    }

    static List<Tuning> gemmCandidates(DeviceInfo dev, Tuning conv) {
        List<Tuning> list = new ArrayList<>();
        for (int tile : dev.isGpu() ? new int[]{1, 2, 4} : new int[]{2, 4, 5}) {
            for (int chunk : new int[]{1024, 2048, 4096}) {
                list.add(new Tuning(conv.vk(), conv.px(), conv.rowLoop(), conv.convLocal(), tile, tile, chunk));
            }
        }
        if (dev.isGpu() || dev.localMemIsReal()) {
            for (int group : new int[]{8, 16}) {
                for (int tile : new int[]{2, 4, 8}) {
                    if ((long) group * group <= dev.maxWorkGroupSize() && group * tile <= 128) {
                        list.add(new Tuning(conv.vk(), conv.px(), conv.rowLoop(), conv.convLocal(), tile, tile, 512, group));
                    }
                }
            }
        }
        return list;
    }

    private static double timeCandidate(OpenClBackend backend, Tuning t, boolean conv, PrintStream out) {
        OpenClBackend b;
        try {
            b = new OpenClBackend(backend.device(), backend.homeDir(), t);
        } catch (RuntimeException e) {
            out.println("  " + t + ": does not build (" + e.getMessage().lines().findFirst().orElse("") + ")");
            return Double.MAX_VALUE;
        }
        try {
            double total = 0, flops = 0;
            if (conv) {
                for (int[] s : CONV_SHAPES) {
                    ConvGeometry g = new ConvGeometry(1, s[0], s[1], s[1], s[0], 3, 3, 1, 1, 1, 1);
                    total += convSeconds(b, g);
                    flops += g.flops();
                }
            } else {
                for (int[] s : GRAM_SHAPES) {
                    total += gramSeconds(b, s[0], s[1]);
                    flops += 2.0 * s[0] * s[0] * s[1];
                }
            }
            out.printf(Locale.ROOT, "  %s: %.1f ms, %.1f GFLOP/s%n", t, total * 1e3, flops / total / 1e9);
            return total;
        } finally {
            b.close();
        }
    }

    /** Best time of a forward convolution (after a warm-up run). */
    public static double convSeconds(Backend b, ConvGeometry g) {
        Storage x = b.allocate(g.inputSize()), w = b.allocate(g.weightSize()), y = b.allocate(g.outputSize());
        try {
            return best(b, () -> b.conv2dForward(g, x, w, null, y));
        } finally {
            x.release();
            w.release();
            y.release();
        }
    }

    /** Best time of a backward-to-data convolution (after a warm-up run). */
    public static double convBackwardDataSeconds(Backend b, ConvGeometry g) {
        Storage dx = b.allocate(g.inputSize()), w = b.allocate(g.weightSize()), dy = b.allocate(g.outputSize());
        try {
            return best(b, () -> b.conv2dBackwardData(g, dy, w, dx));
        } finally {
            dx.release();
            w.release();
            dy.release();
        }
    }

    /** Best time of a Gram matrix of c rows of m (after a warm-up run). */
    public static double gramSeconds(Backend b, int c, int m) {
        Storage f = b.allocate((long) c * m), g = b.allocate((long) c * c);
        try {
            return best(b, () -> b.gram(f, 0, c, m, 1f, g, 0));
        } finally {
            f.release();
            g.release();
        }
    }

    private static double best(Backend b, Runnable r) {
        r.run();
        b.finish();
        double best = Double.MAX_VALUE, total = 0;
        for (int i = 0; i < 8 && total < 1.0; i++) {
            long t0 = System.nanoTime();
            r.run();
            b.finish();
            double s = (System.nanoTime() - t0) / 1e9;
            best = Math.min(best, s);
            total += s;
        }
        return best;
    }
}
