package dev.pixelgrad.algorithms;

import dev.pixelgrad.tensor.io.PixelgradHome;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The build keeps each module's test state (OpenCL program binaries, tunings, converted weights)
 * in its target/, through the root pom's surefire settings, never in the user's ~/.cache/pixelgrad.
 */
class TestHomeTest {
    @Test
    void testsUseAHomeInTheBuildDirectory() {
        Path home = PixelgradHome.dir().toAbsolutePath().normalize();
        assertTrue(home.startsWith(Path.of("target").toAbsolutePath()), "pixelgrad.home for tests is " + home
                + "; the root pom's surefire configuration should set it to target/pixelgrad-home");
    }
}
