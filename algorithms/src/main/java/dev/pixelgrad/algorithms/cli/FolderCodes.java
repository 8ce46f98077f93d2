package dev.pixelgrad.algorithms.cli;

import dev.pixelgrad.algorithms.embedding.CodeCache;
import dev.pixelgrad.algorithms.embedding.Codes;
import dev.pixelgrad.algorithms.image.ImageFiles;
import dev.pixelgrad.algorithms.image.RgbImage;
import dev.pixelgrad.algorithms.lecture.Classifier;
import dev.pixelgrad.nn.Vgg;
import dev.pixelgrad.tensor.io.PixelgradHome;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * The images of a folder as the feature-space commands read them: each resized to 224x224
 * ({@link Classifier#fit}) and given its code at one layer. Codes are computed in batches without
 * a tape and kept in a {@link CodeCache} under the Pixelgrad home, so a second run over the same
 * files computes nothing. An unreadable file is skipped with a line naming it, and counted.
 *
 * @param <T> what the caller keeps of each picture (a thumbnail, or the picture itself)
 */
final class FolderCodes<T> {
    /** One readable image: its path relative to the folder, what the caller kept of it, its code. */
    record Entry<T>(Path name, T kept, float[] code) {
    }

    private static final long SAVE_EVERY_NANOS = 60_000_000_000L;

    private final String command;
    private final Vgg vgg;
    private final String layer;
    private final int batch;
    private final CodeCache cache;
    private final Function<RgbImage, T> keep;
    private final List<Entry<T>> entries = new ArrayList<>();
    /** Images read whose codes are not computed yet, with their cache keys. */
    private final List<RgbImage> pending = new ArrayList<>();
    private final List<String> pendingHashes = new ArrayList<>();
    private final List<Integer> pendingAt = new ArrayList<>();
    private int skipped, computed;
    private long computeNanos, lastSave = System.nanoTime(), lastSaveNanos;

    private FolderCodes(String command, Vgg vgg, String layer, int batch, boolean useCache, Function<RgbImage, T> keep) {
        this.command = command;
        this.vgg = vgg;
        this.layer = layer;
        this.batch = batch;
        this.cache = useCache ? CodeCache.open(PixelgradHome.resolve("codes"), vgg, layer, Classifier.SIZE) : null;
        this.keep = keep;
    }

    /**
     * Reads {@code files} (under {@code dir}) in order, with a progress bar, and returns every
     * readable one with its code at {@code layer}.
     *
     * @param batch    images per forward pass
     * @param useCache read and extend the code cache
     */
    static <T> Result<T> read(String command, Path dir, List<Path> files, Vgg vgg, String layer, int batch,
                              boolean useCache, Function<RgbImage, T> keep) throws IOException {
        FolderCodes<T> folder = new FolderCodes<>(command, vgg, layer, batch, useCache, keep);
        try (StepProgress progress = new StepProgress(command, files.size(), "images")) {
            for (int i = 0; i < files.size(); i++) {
                folder.add(dir, files.get(i));
                progress.stepTo(i + 1);
            }
            folder.computePending();
        }
        if (folder.cache != null) {
            folder.cache.save();
        }
        if (folder.computed > 0) {
            double seconds = folder.computeNanos / 1e9;
            System.err.printf(Locale.ROOT, "%s: %d %s codes computed in %.1f s (%.2f images/s)%s%n", command,
                    folder.computed, layer, seconds, folder.computed / seconds,
                    folder.entries.size() > folder.computed ? ", " + (folder.entries.size() - folder.computed) + " from the cache" : "");
        } else if (!folder.entries.isEmpty()) {
            System.err.printf(Locale.ROOT, "%s: all %d %s codes from the cache (%s)%n", command, folder.entries.size(), layer,
                    folder.cache.file());
        }
        return new Result<>(folder.entries, folder.skipped);
    }

    /** The readable images in file order, and how many files were skipped. */
    record Result<T>(List<Entry<T>> entries, int skipped) {
    }

    private void add(Path dir, Path file) throws IOException {
        RgbImage img;
        String hash;
        try {
            byte[] bytes = ImageFiles.bytes(file);   // read once, for the hash and the picture
            hash = CodeCache.hashOf(bytes);
            img = Classifier.fit(ImageFiles.read(file, bytes));
        } catch (IOException | IllegalArgumentException e) {
            System.err.println(command + ": skipping " + file + ": " + e.getMessage());
            skipped++;
            return;
        }
        float[] code = cache == null ? null : cache.get(hash);
        entries.add(new Entry<>(dir.relativize(file), keep.apply(img), code));
        if (code == null) {
            pending.add(img);
            pendingHashes.add(hash);
            pendingAt.add(entries.size() - 1);
            if (pending.size() == batch) {
                computePending();
            }
        }
    }

    /** One forward pass for the images waiting for their codes. */
    private void computePending() throws IOException {
        if (pending.isEmpty()) {
            return;
        }
        long t0 = System.nanoTime();
        float[][] codes = Codes.of(vgg, pending, layer);
        computeNanos += System.nanoTime() - t0;
        for (int i = 0; i < codes.length; i++) {
            Entry<T> e = entries.get(pendingAt.get(i));
            entries.set(pendingAt.get(i), new Entry<>(e.name(), e.kept(), codes[i]));
            if (cache != null) {
                cache.put(pendingHashes.get(i), codes[i]);
            }
        }
        computed += codes.length;
        pending.clear();
        pendingHashes.clear();
        pendingAt.clear();
        // An interrupted run over a large folder keeps most of its work. Each save rewrites the whole
        // file, so saves are spaced by at least 20 times the last one's duration: at most 5 % of the time.
        long now = System.nanoTime();
        if (cache != null && now - lastSave > Math.max(SAVE_EVERY_NANOS, 20 * lastSaveNanos)) {
            cache.save();
            lastSave = System.nanoTime();
            lastSaveNanos = lastSave - now;
        }
    }
}
