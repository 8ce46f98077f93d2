package dev.pixelgrad.kernels;

import dev.pixelgrad.tensor.BackendUnavailableException;
import dev.pixelgrad.tensor.ConvGeometry;

import java.util.Locale;

/**
 * GFLOP/s of the OpenCL kernels at VGG shapes and the cold/warm start time (a timing harness,
 * not a test): {@code java -cp ... dev.pixelgrad.kernels.KernelBenchmark [opencl-spec]}.
 * FLOP counts: conv 2 k c r s outH outW per pass; Gram 2 c^2 m (both triangles counted, as a GEMM).
 */
public final class KernelBenchmark {

    public static void main(String[] args) throws BackendUnavailableException {
        String spec = args.length > 0 && !args[0].equals("tune") ? args[0] : "opencl";
        if (java.util.Arrays.asList(args).contains("tune")) {
            new OpenClProvider().tune(spec, System.out);
            return;
        }
        long t0 = System.nanoTime();
        OpenClBackend b = (OpenClBackend) new OpenClProvider().open(spec);
        double start = (System.nanoTime() - t0) / 1e9;
        System.out.printf(Locale.ROOT, "device %s, tuning %s%nopen + self-test: %.2f s (programs compiled %d, loaded from cache %d)%n",
                b.name(), b.tuning(), start, b.runtime().programCache().compiledCount(), b.runtime().programCache().loadedCount());
        for (ConvGeometry g : Tuner.VGG_CONVS) {
            System.out.printf(Locale.ROOT, "conv3x3 %3d@%3d^2  forward %6.1f GFLOP/s  backward-data %6.1f GFLOP/s%n", g.c(), g.h(),
                    g.flops() / KernelTiming.convSeconds(b, g) / 1e9, g.flops() / KernelTiming.convBackwardDataSeconds(b, g) / 1e9);
        }
        for (int[] s : Tuner.VGG_GRAMS) {
            System.out.printf(Locale.ROOT, "gram c=%3d m=%6d  %6.1f GFLOP/s%n", s[0], s[1], 2.0 * s[0] * s[0] * s[1] / KernelTiming.gramSeconds(b, s[0], s[1]) / 1e9);
        }
    }

}
