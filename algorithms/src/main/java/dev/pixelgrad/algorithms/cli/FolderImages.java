package dev.pixelgrad.algorithms.cli;

import dev.pixelgrad.algorithms.image.ImageFiles;
import dev.pixelgrad.algorithms.image.RgbImage;
import dev.pixelgrad.algorithms.lecture.Classifier;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.function.BiConsumer;

/**
 * The images of a folder as the feature-space commands read them: each resized to 224x224
 * ({@link Classifier#fit}), with a progress bar; an unreadable one is skipped with a line naming
 * it, and counted.
 */
final class FolderImages {
    private FolderImages() {
    }

    /**
     * Calls {@code each} with every readable file (relative to {@code dir}) and its picture, in order.
     *
     * @return how many files were skipped
     */
    static int forEach(String command, Path dir, List<Path> files, BiConsumer<Path, RgbImage> each) {
        int skipped = 0;
        try (StepProgress progress = new StepProgress(command, files.size(), "images")) {
            for (int i = 0; i < files.size(); i++) {
                Path file = files.get(i);
                RgbImage img = null;
                try {
                    img = Classifier.fit(ImageFiles.read(file));
                } catch (IOException | IllegalArgumentException e) {
                    System.err.println(command + ": skipping " + file + ": " + e.getMessage());
                    skipped++;
                }
                if (img != null) {
                    each.accept(dir.relativize(file), img);
                }
                progress.stepTo(i + 1);
            }
        }
        return skipped;
    }
}
