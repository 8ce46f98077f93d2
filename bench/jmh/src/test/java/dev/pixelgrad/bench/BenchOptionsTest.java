package dev.pixelgrad.bench;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BenchOptionsTest {

    private static BenchOptions parse(Map<String, String> properties) {
        return BenchOptions.parse(properties::get);
    }

    @Test
    void blankPropertiesTakeTheDefaults() {
        // bench/pom.xml passes every option on, the unset ones as empty strings
        BenchOptions o = parse(Map.of("bench.json", "", "bench.compare", " ", "bench.tolerance", ""));
        assertEquals(BenchOptions.Mode.QUICK, o.mode());
        assertEquals(".*", o.include().pattern());
        assertEquals(BenchBackends.SPECS, o.backends());
        assertNull(o.json());
        assertNull(o.compare());
        assertNull(o.baseline());
        assertEquals(0.10, o.tolerance());
    }

    @Test
    void valuesAreParsedOnce() {
        BenchOptions o = parse(Map.of("bench", "FULL", "bench.include", "Gram|Conv", "bench.backends", "opencl, java",
                "bench.json", "out/run.json", "bench.baseline", "base.json", "bench.tolerance", "0.25"));
        assertEquals(BenchOptions.Mode.FULL, o.mode());
        assertTrue(o.include().matcher("GramBenchmark").find());
        assertEquals(List.of("opencl", "java"), o.backends());
        assertEquals(Path.of("out/run.json"), o.json());
        assertEquals(Path.of("base.json"), o.baseline());
        assertEquals(0.25, o.tolerance());
    }

    @Test
    void badValuesSayWhatIsExpected() {
        assertMessage(Map.of("bench", "fast"), "expected quick or full");
        assertMessage(Map.of("bench.include", "Gram("), "-Dbench.include=Gram(");
        assertMessage(Map.of("bench.tolerance", "ten"), "-Dbench.tolerance=ten");
        assertMessage(Map.of("bench.tolerance", "-0.1"), "0 or more");
    }

    private static void assertMessage(Map<String, String> properties, String part) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> parse(properties));
        assertTrue(e.getMessage().contains(part), e.getMessage());
    }
}
