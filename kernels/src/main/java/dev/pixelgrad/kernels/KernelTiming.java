package dev.pixelgrad.kernels;

import dev.pixelgrad.tensor.Backend;
import dev.pixelgrad.tensor.ConvGeometry;
import dev.pixelgrad.tensor.Storage;

import java.util.function.Consumer;
import java.util.function.LongFunction;

/**
 * The one rule by which kernels are timed (the tuner, the {@code auto} choice, the benchmark):
 * one warm-up run, then the best wall time of up to 8 runs or about a second, each waiting for
 * the device to finish.
 */
final class KernelTiming {
    private KernelTiming() {
    }

    /**
     * Best seconds of {@code launch} over fresh zero-filled buffers of the given sizes, made by
     * {@code allocate} and released afterwards; {@code finish} waits for the device.
     */
    static double bestSeconds(LongFunction<? extends Storage> allocate, Runnable finish, long[] sizes,
                              Consumer<Storage[]> launch) {
        Storage[] s = new Storage[sizes.length];
        try {
            for (int i = 0; i < s.length; i++) {
                s[i] = allocate.apply(sizes[i]);
            }
            launch.accept(s);
            finish.run();
            double best = Double.MAX_VALUE, total = 0;
            for (int i = 0; i < 8 && total < 1.0; i++) {
                long t0 = System.nanoTime();
                launch.accept(s);
                finish.run();
                double seconds = (System.nanoTime() - t0) / 1e9;
                best = Math.min(best, seconds);
                total += seconds;
            }
            return best;
        } finally {
            for (Storage b : s) {
                if (b != null) {
                    b.release();
                }
            }
        }
    }

    /** Buffer sizes of a convolution: x, w, y. */
    static long[] convBuffers(ConvGeometry g) {
        return new long[]{g.inputSize(), g.weightSize(), g.outputSize()};
    }

    /** Buffer sizes of a Gram matrix of c rows of m: F, G. */
    static long[] gramBuffers(int c, int m) {
        return new long[]{(long) c * m, (long) c * c};
    }

    /** Best seconds of a forward convolution on {@code b}. */
    static double convSeconds(Backend b, ConvGeometry g) {
        return bestSeconds(b::allocate, b::finish, convBuffers(g), s -> b.conv2dForward(g, s[0], s[1], null, s[2]));
    }

    /** Best seconds of a backward-to-data convolution on {@code b}. */
    static double convBackwardDataSeconds(Backend b, ConvGeometry g) {
        return bestSeconds(b::allocate, b::finish, convBuffers(g), s -> b.conv2dBackwardData(g, s[2], s[1], s[0]));
    }

    /** Best seconds of a Gram matrix of c rows of m on {@code b}. */
    static double gramSeconds(Backend b, int c, int m) {
        return bestSeconds(b::allocate, b::finish, gramBuffers(c, m), s -> b.gram(s[0], 0, c, m, 1f, s[1], 0));
    }
}
