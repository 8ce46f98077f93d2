package dev.pixelgrad.tensor.cpu;

/** Elementwise loops; simple counted loops that C2 vectorises, split over the cores when large. */
final class Elementwise {
    private Elementwise() {
    }

    static void add(float[] a, float[] b, float[] y, int n) {
        Parallel.forRange(n, 1, (f, t) -> {
            for (int i = f; i < t; i++) {
                y[i] = a[i] + b[i];
            }
        });
    }

    static void sub(float[] a, float[] b, float[] y, int n) {
        Parallel.forRange(n, 1, (f, t) -> {
            for (int i = f; i < t; i++) {
                y[i] = a[i] - b[i];
            }
        });
    }

    static void mul(float[] a, float[] b, float[] y, int n) {
        Parallel.forRange(n, 1, (f, t) -> {
            for (int i = f; i < t; i++) {
                y[i] = a[i] * b[i];
            }
        });
    }

    static void scale(float[] x, float alpha, float[] y, int n) {
        Parallel.forRange(n, 1, (f, t) -> {
            for (int i = f; i < t; i++) {
                y[i] = alpha * x[i];
            }
        });
    }

    static void axpy(float alpha, float[] x, float[] y, int n) {
        Parallel.forRange(n, 1, (f, t) -> {
            for (int i = f; i < t; i++) {
                y[i] += alpha * x[i];
            }
        });
    }

    static void addConstant(float v, float[] y, int n) {
        Parallel.forRange(n, 1, (f, t) -> {
            for (int i = f; i < t; i++) {
                y[i] += v;
            }
        });
    }

    static void mulAccumulate(float[] dy, float[] b, float[] dx, int n) {
        Parallel.forRange(n, 1, (f, t) -> {
            for (int i = f; i < t; i++) {
                dx[i] += dy[i] * b[i];
            }
        });
    }

    static void diffAccumulate(float alpha, float[] a, float[] b, float[] dx, int n) {
        Parallel.forRange(n, 1, (f, t) -> {
            for (int i = f; i < t; i++) {
                dx[i] += alpha * (a[i] - b[i]);
            }
        });
    }

    static void relu(float[] x, float[] y, int n) {
        Parallel.forRange(n, 1, (f, t) -> {
            for (int i = f; i < t; i++) {
                y[i] = Math.max(x[i], 0f);
            }
        });
    }

    static void reluBackward(float[] y, float[] dy, float[] dx, int n) {
        Parallel.forRange(n, 1, (f, t) -> {
            for (int i = f; i < t; i++) {
                dx[i] += y[i] > 0f ? dy[i] : 0f;
            }
        });
    }
}
