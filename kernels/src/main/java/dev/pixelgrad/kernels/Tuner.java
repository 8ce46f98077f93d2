package dev.pixelgrad.kernels;

import dev.pixelgrad.tensor.ConvGeometry;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Times candidate {@link Tuning}s of one device and stores the fastest where
 * {@link OpenClProvider} reads it when it opens the device
 * ({@code PIXELGRAD_HOME/opencl/tuning-KEY.properties}). Each candidate gets its own
 * {@link ClRuntime} (programs built with its {@code -D} options), timed through
 * {@link ClConvolution} and {@link ClGemm} with {@link KernelTiming}. The convolution tiles are
 * chosen first (by total time over the conv shapes), then the GEMM tiles (over the Gram shapes).
 */
final class Tuner {
    /** The 3x3 VGG layers timed: (channels, size), batch 1, padding 1. */
    static final List<ConvGeometry> VGG_CONVS = List.of(vgg3x3(64, 224), vgg3x3(128, 112), vgg3x3(256, 56),
            vgg3x3(512, 28), vgg3x3(512, 14));
    /** (channels, pixels) of the Gram matrices of style losses. */
    static final int[][] VGG_GRAMS = {{64, 512 * 512}, {256, 128 * 128}, {512, 64 * 64}};

    private final List<ConvGeometry> convs;
    private final int[][] grams;
    private final int candidatesPerStage;

    /** A tuner timing {@code convs} and {@code grams}, trying at most {@code candidatesPerStage} of each list. */
    Tuner(List<ConvGeometry> convs, int[][] grams, int candidatesPerStage) {
        this.convs = List.copyOf(convs);
        this.grams = grams.clone();
        this.candidatesPerStage = candidatesPerStage;
    }

    /** The tuner of {@code pixelgrad tune}: every candidate at the VGG shapes. */
    static Tuner vgg() {
        return new Tuner(VGG_CONVS, VGG_GRAMS, Integer.MAX_VALUE);
    }

    static ConvGeometry vgg3x3(int channels, int size) {
        return new ConvGeometry(1, channels, size, size, channels, 3, 3, 1, 1, 1, 1);
    }

    /**
     * Tunes {@code dev}, starting from {@code base} (the GEMM settings while the convolution is
     * timed), reports each candidate on {@code out}, stores the best under {@code home} and
     * returns it. Backends opened afterwards use it; those already open keep theirs.
     */
    Tuning tune(DeviceInfo dev, Tuning base, Path home, PrintStream out) throws IOException {
        out.println("tuning " + dev.name() + " (" + dev.typeName() + ")");
        Tuning conv = fastest(dev, convCandidates(dev, base), base, true, out);
        Tuning best = fastest(dev, gemmCandidates(dev, conv), conv, false, out);
        Path file = Tuning.file(home, dev);
        best.write(file, "pixelgrad tune: " + dev.name() + ", driver " + dev.driverVersion());
        out.println("best: " + best + " (saved to " + file + ")");
        return best;
    }

    /** The candidate with the least time, or {@code fallback} when none builds. */
    private Tuning fastest(DeviceInfo dev, List<Tuning> candidates, Tuning fallback, boolean conv, PrintStream out) {
        Tuning best = fallback;
        double bestTime = Double.MAX_VALUE;
        for (Tuning t : candidates.subList(0, Math.min(candidates.size(), candidatesPerStage))) {
            double s = seconds(dev, t, conv, out);
            if (s < bestTime) {
                bestTime = s;
                best = t;
            }
        }
        return best;
    }

    static List<Tuning> convCandidates(DeviceInfo dev, Tuning base) {
        List<Tuning> list = new ArrayList<>();
        if (Tuning.usesLocalMemory(dev)) {
            for (int px : new int[]{2, 4, 7}) {
                for (int local : new int[]{16, 32, 64}) {
                    if (local <= dev.maxWorkGroupSize()) {
                        list.add(base.withVk(1).withPx(px).withRowLoop(false).withConvLocal(local));
                    }
                }
            }
        } else {
            for (int vk : new int[]{1, 2}) {
                for (int px : vk == 1 ? new int[]{8, 12, 14} : new int[]{4, 6, 7, 8}) {
                    list.add(base.withVk(vk).withPx(px).withRowLoop(true).withConvLocal(1));
                }
            }
        }
        return list;
    }

    static List<Tuning> gemmCandidates(DeviceInfo dev, Tuning conv) {
        List<Tuning> list = new ArrayList<>();
        for (int tile : dev.isGpu() ? new int[]{1, 2, 4} : new int[]{2, 4, 5}) {
            for (int chunk : new int[]{1024, 2048, 4096}) {
                list.add(conv.withTiles(tile, tile).withChunk(chunk).withLocalTiles(0));
            }
        }
        if (Tuning.usesLocalMemory(dev)) {
            for (int group : new int[]{8, 16}) {
                for (int tile : new int[]{2, 4, 8}) {
                    if ((long) group * group <= dev.maxWorkGroupSize() && group * tile <= 128) {
                        list.add(conv.withTiles(tile, tile).withChunk(512).withLocalTiles(group));
                    }
                }
            }
        }
        return list;
    }

    /** Total best seconds of one pass over the conv (or Gram) shapes with {@code t}; MAX_VALUE when it does not build. */
    private double seconds(DeviceInfo dev, Tuning t, boolean conv, PrintStream out) {
        ClRuntime rt;
        try {
            rt = new ClRuntime(dev, t, null);
        } catch (RuntimeException e) {
            out.println("  " + t + ": does not build (" + OpenClProvider.oneLine(e) + ")");
            return Double.MAX_VALUE;
        }
        try (rt) {
            ClGemm gemm = new ClGemm(rt);
            ClConvolution convolution = new ClConvolution(rt, gemm);
            double total = 0, flops = 0;
            if (conv) {
                for (ConvGeometry g : convs) {
                    total += KernelTiming.bestSeconds(rt::allocate, rt::finish, KernelTiming.convBuffers(g),
                            s -> convolution.forward(g, s[0], s[1], null, s[2]));
                    flops += g.flops();
                }
            } else {
                for (int[] cm : grams) {
                    total += KernelTiming.bestSeconds(rt::allocate, rt::finish, KernelTiming.gramBuffers(cm[0], cm[1]),
                            s -> gemm.gram(s[0], 0, cm[0], cm[1], 1f, s[1], 0));
                    flops += 2.0 * cm[0] * cm[0] * cm[1];
                }
            }
            out.printf(Locale.ROOT, "  %s: %.1f ms, %.1f GFLOP/s%n", t, total * 1e3, flops / total / 1e9);
            return total;
        }
    }
}
