package dev.pixelgrad.weights;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.pixelgrad.tensor.testing.ReaderContract;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;

/**
 * Every weight-file reader against arbitrary bytes (see {@link ReaderContract}): only a
 * {@link WeightFileException} naming the file may escape, within a second, allocating no more
 * than the file's size justifies; nothing in a file is ever run (the pickle readers refuse every
 * global but a handful, and Jazzer's sanitizers watch for commands, reflection and the like).
 *
 * <p>{@code mvn -B test} replays the committed inputs under
 * {@code src/test/resources/dev/pixelgrad/weights/WeightReadersFuzzTestInputs/<method>/}: small
 * valid files (written by {@code weights/src/test/python/make_fuzz_seeds.py}) and every input
 * that once broke a reader ({@code crash-<sha1>}). To fuzz one reader, from the repository root:
 * <pre>
 *   JAZZER_FUZZ=1 mvn -o -B -pl weights -am test -Dsurefire.failIfNoSpecifiedTests=false \
 *       -Dtest='WeightReadersFuzzTest#torchZip'
 * </pre>
 * A finding is written into the inputs directory above, where it stays as a regression input.
 */
class WeightReadersFuzzTest {
    /** Elements widen to float32 (4 bytes from as little as 1); parsers build objects per token. */
    private static final long HEAP_PER_BYTE = 64;

    static final Map<String, ReaderContract.Reader> READERS = Map.of(
            "torchZip", TorchZipReader::read,
            "torchLegacy", TorchLegacyReader::read,
            "safetensors", SafetensorsReader::read,
            "caffeModel", CaffeModelReader::read,
            "npy", Npy::read);

    private static ReaderContract contract(String method, String suffix) {
        return new ReaderContract(suffix, HEAP_PER_BYTE, READERS.get(method),
                (file, t) -> t instanceof WeightFileException && t.getMessage().startsWith(file.toString()));
    }

    private static final ReaderContract TORCH_ZIP = contract("torchZip", ".pth");
    private static final ReaderContract TORCH_LEGACY = contract("torchLegacy", ".pth");
    private static final ReaderContract SAFETENSORS = contract("safetensors", ".safetensors");
    private static final ReaderContract CAFFE = contract("caffeModel", ".caffemodel");
    private static final ReaderContract NPY = contract("npy", ".npy");

    @FuzzTest(maxExecutions = 1_000_000, maxDuration = "2h")
    void torchZip(byte[] input) {
        TORCH_ZIP.check(input);
    }

    @FuzzTest(maxExecutions = 1_000_000, maxDuration = "2h")
    void torchLegacy(byte[] input) {
        TORCH_LEGACY.check(input);
    }

    @FuzzTest(maxExecutions = 1_000_000, maxDuration = "2h")
    void safetensors(byte[] input) {
        SAFETENSORS.check(input);
    }

    @FuzzTest(maxExecutions = 1_000_000, maxDuration = "2h")
    void caffeModel(byte[] input) {
        CAFFE.check(input);
    }

    @FuzzTest(maxExecutions = 1_000_000, maxDuration = "2h")
    void npy(byte[] input) {
        NPY.check(input);
    }

    /** The seeds (files not named crash-*) are valid: fuzzing starts from files the readers accept. */
    @ParameterizedTest
    @ValueSource(strings = {"torchZip", "torchLegacy", "safetensors", "caffeModel", "npy"})
    void seedsAreReadable(String method) {
        for (Path seed : ReaderContract.seeds(WeightReadersFuzzTest.class, method)) {
            assertDoesNotThrow(() -> READERS.get(method).read(seed), seed.toString());
        }
    }
}
