package dev.pixelgrad.tensor.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;

import static dev.pixelgrad.tensor.cpu.MicroKernel.L;
import static dev.pixelgrad.tensor.cpu.MicroKernel.SPECIES;

/** Elementwise loops; simple counted loops that C2 vectorises (or, where it does not, the Vector API), split over the cores when large. */
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

    /**
     * dx += dy where y &gt; 0. C2 leaves the conditional loop scalar, so the vectors are written
     * out: a masked add (NaN in y compares false and passes nothing, like the scalar tail).
     */
    static void reluBackward(float[] y, float[] dy, float[] dx, int n) {
        Parallel.forRange(n, 1, (f, t) -> {
            int i = f;
            for (int upper = f + SPECIES.loopBound(t - f); i < upper; i += L) {
                VectorMask<Float> open = FloatVector.fromArray(SPECIES, y, i).compare(VectorOperators.GT, 0f);
                FloatVector.fromArray(SPECIES, dx, i).add(FloatVector.fromArray(SPECIES, dy, i), open).intoArray(dx, i);
            }
            for (; i < t; i++) {
                dx[i] += y[i] > 0f ? dy[i] : 0f;
            }
        });
    }
}
