package dev.pixelgrad.bench;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BenchReportTest {
    static final BenchEnvironment HERE = new BenchEnvironment("AMD EPYC", 2, 512,
            "17.0.15+6 (OpenJDK 64-Bit Server VM, Debian)", "opencl:0:0 = pthread-skylake-avx512, driver 3.1");

    static BenchRow row(String benchmark, String shape, String backend, double msPerOp) {
        return new BenchRow(benchmark, shape, backend, msPerOp, 1e3 / msPerOp);
    }

    @Test
    void jsonRoundTripKeepsEveryField(@TempDir Path dir) throws Exception {
        BenchReport report = new BenchReport("quick", HERE, List.of("cuda"), List.of(
                row("Conv3x3Benchmark.forward", "64@224", "java", 12.3456789),
                row("GramBenchmark.gram", "512@64", "opencl", 0.1 + 0.2)));
        Path file = dir.resolve("run.json");
        report.write(file);
        assertEquals(report, BenchReport.read(file));
    }

    @Test
    void aReportWithoutOpenClOrUnavailableBackendsRoundTrips() {
        BenchReport report = new BenchReport("full", new BenchEnvironment("cpu", 4, 256, "21", null), List.of(),
                List.of(row("GramBenchmark.gram", "64@512", "java", 3)));
        assertEquals(report, BenchReport.fromJson(report.toJson(), "run.json"));
    }

    @Test
    void somethingElseIsRejectedWithAHint(@TempDir Path dir) {
        IllegalArgumentException noRows = assertThrows(IllegalArgumentException.class,
                () -> BenchReport.fromJson("{\"mode\": \"quick\"}", "base.json"));
        assertTrue(noRows.getMessage().contains("base.json") && noRows.getMessage().contains("-Dbench.json"), noRows.getMessage());
        IllegalArgumentException notJson = assertThrows(IllegalArgumentException.class,
                () -> BenchReport.fromJson("[1, 2", "base.json"));
        assertTrue(notJson.getMessage().contains("not a benchmark report"), notJson.getMessage());
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
                () -> BenchReport.read(dir.resolve("missing.json")));
        assertTrue(missing.getMessage().contains("cannot read") && missing.getMessage().contains("missing.json"), missing.getMessage());
    }

    @Test
    void theTableStartsWithTheEnvironment() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new BenchReport("quick", HERE, List.of("cuda"), List.of(row("GramBenchmark.gram", "64@512", "java", 2)))
                .print(new PrintStream(out, true, StandardCharsets.UTF_8));
        List<String> lines = out.toString(StandardCharsets.UTF_8).lines().toList();
        assertEquals(List.of("cpu      AMD EPYC, 2 cores available to the JVM",
                "vector   512-bit preferred float species (16 lanes)",
                "jdk      17.0.15+6 (OpenJDK 64-Bit Server VM, Debian)",
                "opencl   opencl:0:0 = pthread-skylake-avx512, driver 3.1"), lines.subList(0, 4));
        assertTrue(lines.get(4).startsWith("benchmark"), lines.get(4));
        assertTrue(lines.get(5).matches("GramBenchmark.gram +64@512 +java +2\\.000 +500\\.0"), lines.get(5));
        assertTrue(lines.get(6).matches("\\(all\\) +- +cuda +- +unavailable"), lines.get(6));
    }

    @Test
    void cpuModelIsTheValueOfItsKey() {
        List<String> cpuinfo = List.of("processor\t: 0", "vendor_id\t: AuthenticAMD", "model name\t: AMD EPYC 9B45");
        assertEquals("AMD EPYC 9B45", BenchEnvironment.value(cpuinfo, "model name"));
        assertEquals("Neoverse-N1", BenchEnvironment.value(List.of("Architecture: aarch64", "Model name:   Neoverse-N1"), "Model name"));
        assertNull(BenchEnvironment.value(cpuinfo, "Model name"));
    }

    /** "AMD EPYC" alone does not say which Zen, nor whether it has AVX-512: the family, model and widest extension follow. */
    @Test
    void cpuDescriptionAddsFamilyModelAndVectorExtension() {
        List<String> zen4 = List.of("vendor_id\t: AuthenticAMD", "cpu family\t: 25", "model\t\t: 17", "model name\t: AMD EPYC",
                "flags\t\t: fpu sse2 avx avx2 fma avx512f avx512bw");
        assertEquals("AMD EPYC (family 25 model 17, AVX-512)", BenchEnvironment.describe(zen4));
        List<String> zen3 = List.of("cpu family\t: 25", "model\t\t: 1", "model name\t: AMD EPYC 7B13", "flags\t\t: sse2 avx avx2 fma");
        assertEquals("AMD EPYC 7B13 (family 25 model 1, AVX2)", BenchEnvironment.describe(zen3));
        assertEquals("Some CPU", BenchEnvironment.describe(List.of("model name\t: Some CPU")));
        assertNull(BenchEnvironment.describe(List.of("Architecture: aarch64")));
    }
}
