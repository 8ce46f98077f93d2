package dev.pixelgrad.algorithms.image;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** A write that fails late says why, not only which temporary file it was writing. */
class ImageWriteErrorsTest {
    /** sysfs refuses new files even to root, where permission bits would not. */
    @Test
    void aRefusedWriteNamesTheReason() {
        Path target = Path.of("/sys/pixelgrad-test.png");
        assumeTrue(Files.isDirectory(target.getParent()) && !Files.exists(target), "no sysfs here");
        IOException e = assertThrows(IOException.class, () -> ImageFiles.write(new RgbImage(new float[3 * 4], 2, 2), target));
        assertTrue(e.getMessage().startsWith(target + ": cannot write png image (/sys/.pixelgrad-test.png.tmp")
                && e.getMessage().endsWith(": permission denied)"), e.getMessage());
    }
}
