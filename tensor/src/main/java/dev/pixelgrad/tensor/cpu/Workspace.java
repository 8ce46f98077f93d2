package dev.pixelgrad.tensor.cpu;

/**
 * Scratch buffers owned by one thread and kept between calls, so the hot paths allocate nothing
 * once they have seen their largest shape. Each getter returns an array of at least the size
 * asked for; its contents are undefined.
 */
final class Workspace {
    private static final ThreadLocal<Workspace> LOCAL = ThreadLocal.withInitial(Workspace::new);

    private float[] packA = new float[0], packB = new float[0], sharedB = new float[0],
            columns = new float[0], winogradV = new float[0], winogradM = new float[0], winogradScratch = new float[0];
    /** The MR x NR accumulator tile that MicroKernel.multiply fills and MicroKernel.store reads. */
    final float[] tile = new float[MicroKernel.MR * MicroKernel.NR];
    /** Run boundaries of one packed im2col sliver: start column, output row, output column, length. */
    final int[] runs = new int[4 * MicroKernel.NR];

    static Workspace get() {
        return LOCAL.get();
    }

    private static float[] grow(float[] a, long n) {
        if (n > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("java backend: a scratch buffer of " + n + " floats is too large");
        }
        return a.length >= n ? a : new float[(int) n];
    }

    /** Packed A block (MC x KC). */
    float[] packA(long n) {
        return packA = grow(packA, n);
    }

    /** Packed B panel (KC x NC) of this thread. */
    float[] packB(long n) {
        return packB = grow(packB, n);
    }

    /** All of packed B, shared read-only with the other threads of one GEMM. */
    float[] sharedB(long n) {
        return sharedB = grow(sharedB, n);
    }

    /** Explicit im2col columns for the convolution passes that use them. */
    float[] columns(long n) {
        return columns = grow(columns, n);
    }

    /** Winograd's transformed input tiles V of one chunk. */
    float[] winogradV(long n) {
        return winogradV = grow(winogradV, n);
    }

    /** Winograd's products M of one chunk, before the output transform. */
    float[] winogradM(long n) {
        return winogradM = grow(winogradM, n);
    }

    /** Winograd's transforms of one channel of a chunk: its input rows split by phase, their sums. */
    float[] winogradScratch(long n) {
        return winogradScratch = grow(winogradScratch, n);
    }
}
