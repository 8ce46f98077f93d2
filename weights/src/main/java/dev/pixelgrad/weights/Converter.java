package dev.pixelgrad.weights;

import dev.pixelgrad.nn.Preprocessing;
import dev.pixelgrad.nn.VggSpec;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Any supported weight file to the converted format (see {@link ConvertedFormat}). */
public final class Converter {
    /** What a conversion did and how long it took. */
    public record Result(LoadedWeights weights, Path out, long bytes, long readMillis, long totalMillis) {
    }

    private Converter() {
    }

    /**
     * Reads {@code in} (arch and preprocessing detected unless given), checks it, and writes
     * {@code out} atomically: on any error no file exists under {@code out} that was not there before.
     */
    public static Result convert(Path in, Path out, VggSpec.Arch arch, Preprocessing preprocessing, boolean half) {
        long t0 = System.nanoTime();
        try {
            if (Files.exists(out) && Files.exists(in) && Files.isSameFile(in, out)) {
                throw new WeightFileException(out, "the output would overwrite the input; choose another --out");
            }
            LoadedWeights w = VggWeights.read(in, arch, preprocessing);
            long t1 = System.nanoTime();
            ConvertedFormat.write(w, out, half);
            long t2 = System.nanoTime();
            return new Result(w, out, Files.size(out), (t1 - t0) / 1_000_000, (t2 - t0) / 1_000_000);
        } catch (IOException e) {
            throw new UncheckedIOException(out + ": cannot write: " + e.getMessage(), e);
        }
    }
}
