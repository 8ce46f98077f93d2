package dev.pixelgrad.kernels;

import dev.pixelgrad.tensor.Backend;
import dev.pixelgrad.tensor.Backends;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AutoChoiceTest {
    @Test
    void aSavedChoiceReadsBackAndHoldsOnlyForTheSameRuleJvmAndVectors() {
        AutoChoice now = AutoChoice.fromTimes(0.0312, 0.0403);
        assertEquals("java", now.backend());
        AutoChoice back = AutoChoice.parse(now.toText());
        assertEquals(now.backend(), back.backend());
        assertEquals(31.2, back.javaMs(), 1e-9);
        assertEquals(40.3, back.openClMs(), 1e-9);
        assertTrue(back.current());
        assertEquals("java (conv3x3 128@112² forward + backward-data: Java 31.2 ms, OpenCL 40.3 ms)", back.describe());
        assertFalse(new AutoChoice("java", 1, 2, back.jvm(), back.vectorBits(), AutoChoice.RULE - 1).current(),
                "a choice made by an older rule is timed again");
        assertFalse(new AutoChoice("java", 1, 2, "another JVM", back.vectorBits(), AutoChoice.RULE).current());
        assertFalse(new AutoChoice("java", 1, 2, back.jvm(), back.vectorBits() / 2, AutoChoice.RULE).current(),
                "a JVM limited to narrower vectors (-XX:UseAVX=2) is timed again");
        assertEquals("opencl", AutoChoice.fromTimes(0.05, 0.04).backend());
    }

    @Test
    void anOlderOrDamagedFileIsNoChoice() {
        assertNull(AutoChoice.parse("opencl\n"), "the single word of earlier versions");
        assertNull(AutoChoice.parse("choice gpu\njava_ms 1\nopencl_ms 2\njvm x\nvector_bits 512\nrule 2\n"));
        assertNull(AutoChoice.parse("choice java\njava_ms fast\nopencl_ms 2\njvm x\nvector_bits 512\nrule 2\n"));
        assertNull(AutoChoice.parse(""));
    }

    @Test
    @Tag("opencl")
    void autoOnACpuDevicePicksTheBackendThatTimedFaster() {
        List<String> why = new ArrayList<>();
        Backend cl = Backends.select("opencl", why::add);
        Assumptions.assumeFalse(cl == Backends.java(), "no OpenCL backend here: " + String.join("; ", why));
        Backend auto = Backends.select("auto", why::add, true);
        String reason = Backends.autoReason();
        assertTrue(reason != null && reason.contains("timed now"), reason);
        if (!reason.startsWith("opencl (") || !reason.contains("is a GPU")) {
            AutoChoice saved = AutoChoice.parse(readSaved(reason));
            assertEquals(saved.backend(), auto == Backends.java() ? "java" : "opencl");
            assertEquals(saved.javaMs() < saved.openClMs() ? "java" : "opencl", saved.backend());
        }
        Backends.select("auto", why::add, false);
        assertTrue(Backends.autoReason().contains("timed earlier"), Backends.autoReason());
    }

    private static String readSaved(String reason) {
        try {
            return java.nio.file.Files.readString(java.nio.file.Path.of(reason.substring(reason.indexOf("saved in ") + 9)));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
