package dev.pixelgrad.algorithms.cli;

import dev.pixelgrad.algorithms.image.ImageFiles;
import dev.pixelgrad.tensor.io.AtomicFiles;
import dev.pixelgrad.tensor.io.FileProblems;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The files a run will write, named and checked before anything is loaded: an output that cannot
 * be written is found in a second, not after the whole optimisation.
 * <pre>
 * --out OUT.EXT       the result
 * --save-every N      OUT-iterK.EXT for K = N, 2N, ...
 * --plot              OUT-loss.png
 * --log FILE          one JSON line per iteration
 * </pre>
 * Two outputs may not be the same file (one would silently replace the other), and each must be
 * writable: its directory, or the nearest one that exists (the writer creates the rest), must be a
 * directory in which a file can be created. The check creates and deletes a file there, since
 * permission bits do not tell (root ignores them; a read-only mount does not show in them).
 */
final class OutputPaths {
    private OutputPaths() {
    }

    /** Where {@code --save-every} writes iteration {@code iter}: {@code OUT-iterK.EXT}. */
    static Path checkpoint(Path out, int iter) {
        return sibling(out, "-iter" + iter, extension(out));
    }

    /** Where {@code --plot} writes the loss curve: {@code OUT-loss.png}. */
    static Path plot(Path out) {
        return sibling(out, "-loss", ".png");
    }

    /**
     * Checks the outputs of an image-optimising run: the image's format from its extension, no two
     * outputs on one file, every one writable.
     *
     * @throws IllegalArgumentException naming the option, the file and the reason
     */
    static void check(RunReporter.Outputs o) {
        ImageFiles.formatFor(o.out());   // a bad extension fails here too, before any work
        Map<String, Path> files = new LinkedHashMap<>();
        files.put("--out", o.out());
        if (o.plot()) {
            files.put("--plot", plot(o.out()));
        }
        if (o.log() != null) {
            files.put("--log", o.log());
            if (o.saveEvery() > 0 && isCheckpoint(o.log(), o.out(), o.saveEvery())) {
                throw new IllegalArgumentException("--log " + o.log() + " is also where --save-every " + o.saveEvery()
                        + " writes an image; give the log another name, e.g. " + sibling(o.out(), "", ".jsonl"));
            }
        }
        checkDistinct(files);
        files.forEach(OutputPaths::checkWritable);
    }

    /** Refuses two outputs that resolve to one file (after ".." and symbolic links in their directories). */
    static void checkDistinct(Map<String, Path> files) {
        List<Map.Entry<String, Path>> seen = new ArrayList<>();
        for (Map.Entry<String, Path> e : files.entrySet()) {
            for (Map.Entry<String, Path> before : seen) {
                if (resolved(before.getValue()).equals(resolved(e.getValue()))) {
                    throw new IllegalArgumentException(e.getKey() + " " + e.getValue() + " and " + before.getKey() + " "
                            + before.getValue() + " are the same file, so one would overwrite the other; give them different names");
                }
            }
            seen.add(e);
        }
    }

    /**
     * Checks that {@code file} can be written as {@link AtomicFiles} writes it.
     *
     * @throws IllegalArgumentException {@code OPTION FILE: cannot write there (REASON)}
     */
    static void checkWritable(String option, Path file) {
        Path target = file.toAbsolutePath().normalize();
        if (Files.isDirectory(target)) {
            throw new IllegalArgumentException(option + " " + file + ": is a directory; give a file name inside it");
        }
        Path dir = target.getParent();
        while (dir != null && !Files.exists(dir)) {
            dir = dir.getParent();
        }
        if (dir == null) {
            throw new IllegalArgumentException(option + " " + file + ": no directory above it exists");
        }
        if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException(option + " " + file + ": cannot write there (" + dir
                    + " is a file, not a directory)");
        }
        Path probe = AtomicFiles.temporarySibling(dir.resolve("pixelgrad-write-check"));
        try {
            Files.createFile(probe);
            Files.delete(probe);
        } catch (IOException e) {
            throw new IllegalArgumentException(option + " " + file + ": cannot write in " + dir + " ("
                    + FileProblems.reason(e) + ")", e);
        }
    }

    /** The file a path names, with the directories that exist resolved (links, ".."), for comparing. */
    private static Path resolved(Path p) {
        Path abs = p.toAbsolutePath().normalize();
        Path existing = abs;
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        try {
            return existing == null ? abs : existing.toRealPath().resolve(existing.relativize(abs));
        } catch (IOException e) {
            return abs;
        }
    }

    /** True when {@code file} is one of OUT-iterK.EXT for K a positive multiple of {@code every}. */
    private static boolean isCheckpoint(Path file, Path out, int every) {
        Path dir = resolved(out).getParent();
        if (dir == null || !dir.equals(resolved(file).getParent())) {
            return false;
        }
        String first = checkpoint(out, 1).getFileName().toString();
        String stem = first.substring(0, first.length() - extension(out).length() - 1);   // "OUT-iter"
        Matcher m = Pattern.compile(Pattern.quote(stem) + "(\\d{1,9})" + Pattern.quote(extension(out)))
                .matcher(file.getFileName().toString());
        return m.matches() && Integer.parseInt(m.group(1)) > 0 && Integer.parseInt(m.group(1)) % every == 0;
    }

    /** The file name's extension with its dot ({@code .png}), or "" without one. */
    static String extension(Path p) {
        String n = p.getFileName().toString();
        int dot = n.lastIndexOf('.');
        return dot < 0 ? "" : n.substring(dot);
    }

    /** {@code DIR/STEM-overlay.EXT} beside {@code DIR/STEM.EXT}: where a map drawn over its image goes. */
    static Path overlay(Path out) {
        return sibling(out, "-overlay", extension(out));
    }

    /** {@code DIR/STEM.EXT} to {@code DIR/STEM<suffix><ext>}. */
    static Path sibling(Path p, String suffix, String ext) {
        String n = p.getFileName().toString();
        int dot = n.lastIndexOf('.');
        String stem = dot < 0 ? n : n.substring(0, dot);
        return p.resolveSibling(stem + suffix + ext);
    }
}
