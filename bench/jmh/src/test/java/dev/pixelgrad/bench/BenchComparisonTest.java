package dev.pixelgrad.bench;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static dev.pixelgrad.bench.BenchReportTest.row;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BenchComparisonTest {
    private final List<BenchRow> base = List.of(
            row("Conv3x3Benchmark.forward", "64@224", "java", 10),
            row("Conv3x3Benchmark.forward", "64@224", "opencl", 8),
            row("GramBenchmark.gram", "64@512", "java", 4),
            row("GramBenchmark.gram", "512@64", "java", 2));

    private final List<BenchRow> run = List.of(
            row("Conv3x3Benchmark.forward", "64@224", "java", 12.5),   // 25 % more ms/op
            row("GramBenchmark.gram", "64@512", "java", 2),            // twice as fast
            row("GramBenchmark.gram", "512@64", "java", 2.2),          // 10 % more: at the edge
            row("GramBenchmark.gram", "256@128", "java", 1));          // new

    @Test
    void rowsPairByBenchmarkShapeAndBackend() {
        BenchComparison c = BenchComparison.of(base, run);
        assertEquals(3, c.pairs().size());
        assertEquals(List.of("Conv3x3Benchmark.forward 64@224 opencl"), c.onlyInBase().stream().map(BenchRow::key).toList());
        assertEquals(List.of("GramBenchmark.gram 256@128 java"), c.onlyInRun().stream().map(BenchRow::key).toList());
        assertEquals(0.8, c.pairs().get(0).speedUp(), 1e-12);
        assertEquals(2.0, c.pairs().get(1).speedUp(), 1e-12);
    }

    @Test
    void onlyRowsBeyondTheToleranceAreSlower() {
        BenchComparison c = BenchComparison.of(base, run);
        assertEquals(List.of("Conv3x3Benchmark.forward 64@224 java"),
                c.slowerThan(0.10 + 1e-9).stream().map(p -> p.run().key()).toList());
        assertEquals(2, c.slowerThan(0.05).size());
        assertEquals(0, c.slowerThan(0.30).size());
    }

    @Test
    void guardCountsSlowerRowsAndOnlyReportsAbsentOnes() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int slower = BenchComparison.of(base, run).guard(new PrintStream(bytes, true, StandardCharsets.UTF_8), "base.json", 0.2);
        String out = bytes.toString(StandardCharsets.UTF_8);
        assertEquals(1, slower);
        assertTrue(out.contains("SLOWER than base.json: Conv3x3Benchmark.forward 64@224 java: 10.000 -> 12.500 ms/op (+25.0 %"), out);
        assertTrue(out.contains("absent from this run, present in base.json: Conv3x3Benchmark.forward 64@224 opencl"), out);
        assertTrue(out.contains("absent from base.json, new in this run: GramBenchmark.gram 256@128 java"), out);
        assertTrue(out.contains("1 of 3 rows slower"), out);
    }

    @Test
    void absentRowsAloneNeverFailTheGuard() {
        BenchComparison c = BenchComparison.of(base, List.of(row("Conv3x3Benchmark.forward", "64@224", "java", 10)));
        assertEquals(3, c.onlyInBase().size());
        assertEquals(0, c.guard(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8), "base.json", 0));
    }

    @Test
    void speedUpsArePrintedPerRow() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        BenchComparison.of(base, run).printSpeedUps(new PrintStream(bytes, true, StandardCharsets.UTF_8), "base.json");
        List<String> lines = bytes.toString(StandardCharsets.UTF_8).lines().toList();
        assertTrue(lines.get(2).matches("Conv3x3Benchmark.forward +64@224 +java +10\\.000 +12\\.500 +0\\.80"), lines.get(2));
        assertTrue(lines.get(3).matches("GramBenchmark.gram +64@512 +java +4\\.000 +2\\.000 +2\\.00"), lines.get(3));
        assertEquals(7, lines.size());
    }
}
