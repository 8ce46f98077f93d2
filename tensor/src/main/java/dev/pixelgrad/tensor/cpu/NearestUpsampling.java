package dev.pixelgrad.tensor.cpu;

/**
 * Nearest-neighbour upsampling by an integer factor f over planes of h x w: input row u becomes
 * output rows u f ... u f + f - 1, all equal, each pixel repeated f times along the row.
 * <pre>
 * forward    y[p][i][j]  = x[p][i / f][j / f]
 * backward   dx[p][u][v] += sum_{a, b &lt; f} dy[p][u f + a][v f + b]
 * </pre>
 * The forward writes the first row of each block and copies it; the backward first sums the f
 * rows of a block column by column (a loop the JIT vectorises), then each run of f columns.
 */
final class NearestUpsampling {
    private NearestUpsampling() {
    }

    static void forward(int planes, int h, int w, int f, float[] x, float[] y) {
        int outW = w * f;
        Parallel.forRange(planes * h, (long) outW * f, (from, to) -> {
            for (int row = from; row < to; row++) { // row = plane * h + u
                int in = row * w, out = row * f * outW;
                for (int v = 0; v < w; v++) {
                    float value = x[in + v];
                    for (int b = 0; b < f; b++) {
                        y[out + v * f + b] = value;
                    }
                }
                for (int a = 1; a < f; a++) {
                    System.arraycopy(y, out, y, out + a * outW, outW);
                }
            }
        });
    }

    static void backward(int planes, int h, int w, int f, float[] dy, float[] dx) {
        // forward: y[i][j] = x[i / f][j / f]  =>  dx[u][v] += sum of dy over the f x f block at (u f, v f)
        int outW = w * f;
        Parallel.forRange(planes * h, (long) outW * f, (from, to) -> {
            float[] blockRows = new float[outW];
            for (int row = from; row < to; row++) { // row = plane * h + u
                int in = row * w, out = row * f * outW;
                System.arraycopy(dy, out, blockRows, 0, outW);
                for (int a = 1; a < f; a++) {
                    for (int j = 0, at = out + a * outW; j < outW; j++) {
                        blockRows[j] += dy[at + j];
                    }
                }
                for (int v = 0; v < w; v++) {
                    float s = 0;
                    for (int b = 0; b < f; b++) {
                        s += blockRows[v * f + b];
                    }
                    dx[in + v] += s;
                }
            }
        });
    }
}
