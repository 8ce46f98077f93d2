package dev.pixelgrad.algorithms.image;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.pixelgrad.tensor.testing.ReaderContract;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;

/**
 * {@link ImageFiles#read} against arbitrary bytes (see {@link ReaderContract}): only an
 * IOException that names the file may escape, within a second, and only pixels the file's bytes
 * can encode are allocated.
 *
 * <p>{@code mvn -B test} replays the committed inputs under
 * {@code src/test/resources/dev/pixelgrad/algorithms/image/ImageFilesFuzzTestInputs/<method>/}
 * (small PNG and JPEG files written by {@link ImageFuzzSeeds}, and every input that once broke the
 * reader). To fuzz, from the repository root:
 * <pre>
 *   JAZZER_FUZZ=1 mvn -o -B -pl algorithms -am test -Dsurefire.failIfNoSpecifiedTests=false \
 *       -Dtest='ImageFilesFuzzTest#png'
 * </pre>
 * Java's image decoders live in the JDK, which Jazzer does not instrument, so this is mutation
 * with little coverage guidance; it still produces what damaged downloads look like.
 */
class ImageFilesFuzzTest {
    /**
     * One file byte may decode to {@link ImageFiles#MAX_EXPANSION} bytes, that is 8 pixels of 1 bit
     * each, and every pixel becomes 3 floats plus a packed int on the way.
     */
    private static final long HEAP_PER_BYTE = ImageFiles.MAX_EXPANSION * 8 * 16;

    private static ReaderContract contract(String suffix) {
        return new ReaderContract(suffix, HEAP_PER_BYTE, ImageFiles::read,
                (file, t) -> t instanceof IOException && t.getMessage() != null && t.getMessage().startsWith(file.toString()));
    }

    private static final ReaderContract PNG = contract(".png");
    private static final ReaderContract JPEG = contract(".jpg");

    @FuzzTest(maxExecutions = 1_000_000, maxDuration = "2h")
    void png(byte[] input) {
        PNG.check(input);
    }

    @FuzzTest(maxExecutions = 1_000_000, maxDuration = "2h")
    void jpeg(byte[] input) {
        JPEG.check(input);
    }

    /** The seeds (files not named crash-*) are valid images: fuzzing starts from what decodes. */
    @ParameterizedTest
    @ValueSource(strings = {"png", "jpeg"})
    void seedsDecode(String method) {
        for (Path seed : ReaderContract.seeds(ImageFilesFuzzTest.class, method)) {
            assertDoesNotThrow(() -> ImageFiles.read(seed), seed.toString());
        }
    }
}
