package dev.pixelgrad.kernels;

import dev.pixelgrad.tensor.ConvGeometry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static dev.pixelgrad.kernels.OpenClTestSupport.backend;
import static dev.pixelgrad.kernels.OpenClTestSupport.check;
import static dev.pixelgrad.kernels.OpenClTestSupport.random;

/**
 * The convolution and GEMM kernels built with a GPU-style tuning (one channel vector, a column
 * tile per work-item, groups of 4, unequal GEMM tiles so Gram takes the non-symmetric path),
 * so configurations other than the CPU default are checked on whatever device runs the tests.
 */
@Tag("opencl")
class OtherTuningsTest {
    /** The GPU tuning with the GEMM that does not use local memory. */
    private static final Tuning GPU_WITHOUT_LOCAL = Tuning.gpu(256).withLocalTiles(0);
    private static OpenClBackend other;

    @BeforeAll
    static void open() {
        OpenClBackend shared = backend();
        other = new OpenClBackend(shared.device(), GPU_WITHOUT_LOCAL.withPx(5).withConvLocal(4).withTiles(3, 2).withChunk(64));
    }

    @AfterAll
    static void close() {
        if (other != null) {
            other.close();
        }
    }

    @Test
    void convolution() {
        Random rnd = new Random(4);
        for (ConvGeometry g : new ConvGeometry[]{
                new ConvGeometry(1, 3, 13, 17, 19, 3, 3, 1, 1, 1, 1),
                new ConvGeometry(2, 4, 9, 11, 5, 5, 5, 2, 2, 2, 2),
                new ConvGeometry(1, 8, 6, 7, 17, 1, 1, 1, 1, 0, 0)}) {
            float[] x = random(rnd, (int) g.inputSize()), w = random(rnd, (int) g.weightSize());
            float[] bias = random(rnd, g.k()), y = random(rnd, (int) g.outputSize()), dx = random(rnd, (int) g.inputSize());
            check(other, "conv2dForward " + g, 1e-4, (b, s) -> b.conv2dForward(g, s[0], s[1], s[2], s[3]), x, w, bias, y);
            check(other, "conv2dBackwardData " + g, 1e-4, (b, s) -> b.conv2dBackwardData(g, s[0], s[1], s[2]), y, w, dx);
        }
    }

    /**
     * With local-memory GEMM tiles (the GPU tuning) small images are convolved as a GEMM over
     * transposed im2col columns, forward and backward to the data; checked here on any device.
     */
    @Test
    void convolutionByGemmWithLocalTiles() {
        Random rnd = new Random(7);
        OpenClBackend gpuLike = new OpenClBackend(backend().device(), Tuning.gpu(256));
        try {
            for (ConvGeometry g : new ConvGeometry[]{
                    new ConvGeometry(1, 3, 13, 17, 19, 3, 3, 1, 1, 1, 1),
                    new ConvGeometry(2, 20, 14, 14, 33, 3, 3, 1, 1, 1, 1),
                    new ConvGeometry(2, 4, 9, 11, 5, 5, 5, 2, 2, 2, 2),
                    new ConvGeometry(1, 8, 6, 7, 17, 1, 1, 1, 1, 0, 0),
                    new ConvGeometry(1, 6, 10, 9, 7, 3, 3, 1, 1, 0, 0)}) {
                float[] x = random(rnd, (int) g.inputSize()), w = random(rnd, (int) g.weightSize());
                float[] bias = random(rnd, g.k()), y = random(rnd, (int) g.outputSize()), dx = random(rnd, (int) g.inputSize());
                float[] dw = random(rnd, (int) g.weightSize()), db = random(rnd, g.k());
                check(gpuLike, "conv2dForward by GEMM " + g, 1e-4, (b, s) -> b.conv2dForward(g, s[0], s[1], s[2], s[3]), x, w, bias, y);
                check(gpuLike, "conv2dBackwardData by GEMM " + g, 1e-4, (b, s) -> b.conv2dBackwardData(g, s[0], s[1], s[2]), y, w, dx);
                check(gpuLike, "conv2dBackwardWeights " + g, 1e-4, (b, s) -> b.conv2dBackwardWeights(g, s[0], s[1], s[2], s[3]), x, y, dw, db);
            }
        } finally {
            gpuLike.close();
        }
    }

    @Test
    void gemmAndGram() {
        Random rnd = new Random(5);
        int m = 11, n = 7, k = 300;
        float[] a = random(rnd, m * k), bb = random(rnd, k * n), c = random(rnd, m * n);
        check(other, "gemm", 1e-4, (b, s) -> b.gemm(false, false, m, n, k, 0.5f, s[0], 0, s[1], 0, 1f, s[2], 0), a, bb, c);
        float[] f = random(rnd, 13 * 333), g = random(rnd, 13 * 13);
        check(other, "gram", 1e-4, (b, s) -> b.gram(s[0], 0, 13, 333, 1f, s[1], 0), f, g);
    }

    /** The GPU tuning without local memory: equal 2 x 2 tiles (the symmetric Gram path) and k split in chunks of 512. */
    @Test
    void gramInChunksWithGpuTuning() {
        OpenClBackend gpuLike = new OpenClBackend(backend().device(), GPU_WITHOUT_LOCAL.withTiles(2, 2));
        try {
            Random rnd = new Random(6);
            for (int[] cm : new int[][]{{64, 4096}, {37, 70001}, {5, 1000}}) {
                int c = cm[0], m = cm[1];
                float[] f = random(rnd, c * m), g = random(rnd, c * c);
                check(gpuLike, "gram c=" + c + " m=" + m, 1e-4, (b, s) -> b.gram(s[0], 0, c, m, 0.5f, s[1], 0), f, g);
            }
        } finally {
            gpuLike.close();
        }
    }

    /**
     * The GEMM through local memory (gemm_nt_local), in the GPU default (16 x 16 work-items of
     * 4 x 4, 64 x 64 tiles) and in small, unequal tiles (4 x 4 work-items of 3 x 2, 12 x 8 tiles)
     * with short chunks so k is split: ragged m, n, k, offsets, every transpose, alpha and beta.
     */
    @Test
    void gemmWithLocalTiles() {
        for (Tuning t : new Tuning[]{Tuning.gpu(256), Tuning.gpu(256).withConvLocal(4).withTiles(3, 2).withChunk(32).withLocalTiles(4)}) {
            OpenClBackend local = new OpenClBackend(backend().device(), t);
            try {
                Random rnd = new Random(7);
                int[][] shapes = {{11, 7, 300}, {70, 45, 37}, {1, 1, 1}, {64, 64, 16}, {13, 130, 5}, {65, 3, 1000}, {5, 3, 0}};
                float[][] alphaBeta = {{1f, 0f}, {0.5f, 1f}, {-2f, -0.25f}};
                int trial = 0;
                for (int[] sh : shapes) {
                    int m = sh[0], n = sh[1], k = sh[2];
                    for (float[] ab : alphaBeta) {
                        boolean ta = trial % 2 == 1, tb = trial % 3 != 0;
                        int offA = trial % 4, offB = 5 - trial % 3, offC = trial % 5;
                        trial++;
                        float alpha = ab[0], beta = ab[1];
                        float[] a = random(rnd, offA + m * k), bb = random(rnd, offB + n * k), c = random(rnd, offC + m * n);
                        check(local, "gemm " + t + " m=" + m + " n=" + n + " k=" + k + " transA=" + ta + " transB=" + tb
                                        + " alpha=" + alpha + " beta=" + beta, 1e-4,
                                (b, s) -> b.gemm(ta, tb, m, n, k, alpha, s[0], offA, s[1], offB, beta, s[2], offC), a, bb, c);
                    }
                }
            } finally {
                local.close();
            }
        }
    }

    /** Gram through local memory: one tile or a few, k split across many chunks, with an offset. */
    @Test
    void gramWithLocalTiles() {
        for (Tuning t : new Tuning[]{Tuning.gpu(256), Tuning.gpu(256).withConvLocal(4).withTiles(2, 2).withChunk(64).withLocalTiles(4),
                Tuning.gpu(256).withConvLocal(4).withTiles(3, 2).withChunk(64).withLocalTiles(4)}) {
            OpenClBackend local = new OpenClBackend(backend().device(), t);
            try {
                Random rnd = new Random(8);
                for (int[] cm : new int[][]{{64, 65536}, {37, 70001}, {5, 1000}, {20, 3}}) {
                    int c = cm[0], m = cm[1], off = c % 7;
                    float[] f = random(rnd, off + c * m), g = random(rnd, 3 + c * c);
                    check(local, "gram " + t + " c=" + c + " m=" + m, 1e-4, (b, s) -> b.gram(s[0], off, c, m, 0.5f, s[1], 3), f, g);
                }
            } finally {
                local.close();
            }
        }
    }
}
