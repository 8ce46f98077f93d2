package dev.pixelgrad.tensor.io;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Writes a file under its final name only once it is complete: data goes to a hidden temporary
 * file in the same directory, is forced to disk, then renamed over the target. On any error the
 * temporary file is deleted and the target is left as it was. The temporary file is created like
 * any other file, so the result's permissions follow the umask.
 *
 * <p>Every file Pixelgrad writes (images, weights, logs' siblings, caches) goes through here.
 */
public final class AtomicFiles {
    /** Writes the content through a channel. */
    @FunctionalInterface
    public interface Body {
        void write(FileChannel out) throws IOException;
    }

    private AtomicFiles() {
    }

    /** Writes {@code target} through {@code body}; parent directories are created. */
    public static void write(Path target, Body body) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        if (dir != null) {
            Files.createDirectories(dir);
        }
        Path tmp = temporarySibling(target);
        boolean done = false;
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                body.write(ch);
                ch.force(true);
            }
            moveIntoPlace(tmp, target);
            done = true;
        } finally {
            if (!done) {
                Files.deleteIfExists(tmp);
            }
        }
    }

    /** Writes {@code bytes} to {@code target}. */
    public static void writeBytes(Path target, byte[] bytes) throws IOException {
        write(target, ch -> {
            java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(bytes);
            while (b.hasRemaining()) {
                ch.write(b);
            }
        });
    }

    /** Writes {@code text} as UTF-8 to {@code target}. */
    public static void writeString(Path target, String text) throws IOException {
        writeBytes(target, text.getBytes(StandardCharsets.UTF_8));
    }

    /** A hidden name next to {@code target} that no other writer picks: {@code .NAME.tmpXXXX}. */
    public static Path temporarySibling(Path target) {
        return target.toAbsolutePath().resolveSibling("." + target.getFileName() + ".tmp"
                + Long.toHexString(ThreadLocalRandom.current().nextLong()));
    }

    /** Renames a finished file over the target, atomically where the file system allows. */
    public static void moveIntoPlace(Path from, Path target) throws IOException {
        try {
            Files.move(from, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
