package dev.pixelgrad.bench;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A run set against an earlier one, row by row: rows pair up when benchmark, shape and backend
 * agree ({@link BenchRow#key()}); the others are listed as absent from one side.
 * <pre>
 *   speed-up = base ms/op / this run's ms/op          (1.25: a quarter faster)
 *   slower   = this run's ms/op &gt; base ms/op (1 + tolerance)
 * </pre>
 */
record BenchComparison(List<Pair> pairs, List<BenchRow> onlyInBase, List<BenchRow> onlyInRun) {

    /** The same row in both runs. */
    record Pair(BenchRow base, BenchRow run) {
        double speedUp() {
            return base.msPerOp() / run.msPerOp();
        }

        /** How much longer one call takes now: 0.15 is 15 % more ms/op. */
        double slowdown() {
            return run.msPerOp() / base.msPerOp() - 1;
        }
    }

    static BenchComparison of(List<BenchRow> base, List<BenchRow> run) {
        Map<String, BenchRow> unmatched = new LinkedHashMap<>();
        base.forEach(r -> unmatched.put(r.key(), r));
        List<Pair> pairs = new ArrayList<>();
        List<BenchRow> onlyInRun = new ArrayList<>();
        for (BenchRow r : run) {
            BenchRow b = unmatched.remove(r.key());
            if (b != null) {
                pairs.add(new Pair(b, r));
            } else {
                onlyInRun.add(r);
            }
        }
        return new BenchComparison(pairs, List.copyOf(unmatched.values()), onlyInRun);
    }

    /** The pairs whose run takes longer than the base by more than {@code tolerance}. */
    List<Pair> slowerThan(double tolerance) {
        return pairs.stream().filter(p -> p.slowdown() > tolerance).toList();
    }

    /** The speed-up of every pair, then the rows absent from either side. */
    void printSpeedUps(PrintStream out, String baseName) {
        out.println("compared with " + baseName + " (speed-up = its ms/op / this run's ms/op):");
        out.printf("%-30s %-9s %-8s %10s %10s %9s%n", "benchmark", "shape", "backend", "base ms/op", "ms/op", "speed-up");
        for (Pair p : pairs) {
            out.printf(Locale.ROOT, "%-30s %-9s %-8s %10.3f %10.3f %9.2f%n", p.run().benchmark(), p.run().shape(),
                    p.run().backend(), p.base().msPerOp(), p.run().msPerOp(), p.speedUp());
        }
        printAbsent(out, baseName);
    }

    /**
     * The baseline guard: names every row slower than the tolerance allows and every absent row
     * (absent rows are reported, never failed); returns how many rows are too slow.
     */
    int guard(PrintStream out, String baseName, double tolerance) {
        List<Pair> slower = slowerThan(tolerance);
        for (Pair p : slower) {
            out.printf(Locale.ROOT, "bench: SLOWER than %s: %s: %.3f -> %.3f ms/op (+%.1f %%, tolerance %.1f %%)%n",
                    baseName, p.run().key(), p.base().msPerOp(), p.run().msPerOp(), 100 * p.slowdown(), 100 * tolerance);
        }
        printAbsent(out, baseName);
        out.printf(Locale.ROOT, "bench: %d of %d rows slower than %s allows (tolerance %.1f %%)%n",
                slower.size(), pairs.size(), baseName, 100 * tolerance);
        return slower.size();
    }

    private void printAbsent(PrintStream out, String baseName) {
        onlyInBase.forEach(r -> out.println("bench: absent from this run, present in " + baseName + ": " + r.key()));
        onlyInRun.forEach(r -> out.println("bench: absent from " + baseName + ", new in this run: " + r.key()));
    }
}
