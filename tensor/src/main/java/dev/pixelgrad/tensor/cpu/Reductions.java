package dev.pixelgrad.tensor.cpu;

import java.util.concurrent.atomic.DoubleAdder;

/** Sums accumulated in double per chunk, so a loss over millions of terms keeps its digits. */
final class Reductions {
    private Reductions() {
    }

    interface Term {
        double at(int i);
    }

    static double reduce(int n, Term term) {
        DoubleAdder total = new DoubleAdder();
        Parallel.forRange(n, 2, (f, t) -> {
            double s = 0;
            for (int i = f; i < t; i++) {
                s += term.at(i);
            }
            total.add(s);
        });
        return total.sum();
    }

    static double sum(float[] x, int n) {
        return reduce(n, i -> x[i]);
    }

    static double sumAbs(float[] x, int n) {
        return reduce(n, i -> Math.abs(x[i]));
    }

    static double sumSquaredDiff(float[] a, float[] b, int n) {
        return reduce(n, i -> {
            double d = a[i] - b[i];
            return d * d;
        });
    }

    static double dot(float[] a, float[] b, int n) {
        return reduce(n, i -> (double) a[i] * b[i]);
    }
}
