package dev.pixelgrad.weights;

import dev.pixelgrad.nn.Preprocessing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * Puts a weight file that is already on this machine into the cache, checked and converted exactly
 * as a download is: the sha256 must start with the prefix the file's name carries (torch.hub's
 * convention, e.g. {@code vgg19-dcbb9e9d.pth}), then the file is converted into
 * {@code <home>/<cacheName>.safetensors} atomically. A refused file leaves the cache as it was.
 *
 * <p>The cache name is the published file's ({@code vgg19}, {@code vgg19-caffe}, ...) when the
 * hash recognises one, whatever the file is called; otherwise it follows the weights themselves:
 * the architecture, with {@code -caffe} for Caffe preprocessing.
 */
public final class WeightImport {
    private WeightImport() {
    }

    /** Checks and converts {@code file} into the cache under {@code home}; returns the converted file. */
    public static Path importFile(Path file, Path home, WeightFetcher.Progress progress) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new WeightFileException(file, Files.exists(file) ? "not a regular file; expected a weight file (.pth, .safetensors, .caffemodel)"
                    : "no such file");
        }
        progress.message("checking the sha256 of " + file);
        String sha = Sha256.of(file);
        Optional<String> named = KnownWeights.hashInName(file.getFileName().toString());
        if (named.isPresent()) {
            requirePrefix(file, sha, named.get(), "the prefix its name carries; the copy is incomplete or damaged (compare its size with the original's)");
        }
        Optional<KnownWeights.Published> known = KnownWeights.bySha256(sha);
        if (known.isPresent()) {
            Path target = home.resolve(known.get().cacheName() + ".safetensors");
            return alreadyCached(target, file, sha, progress) ? target : install(file, known.get(), home, progress);
        }
        LoadedWeights w = VggWeights.read(file, null, null);
        Path target = home.resolve(cacheName(w) + ".safetensors");
        if (alreadyCached(target, file, w.sourceSha256(), progress)) {  // a converted file records its source's hash
            return target;
        }
        write(w, target, progress);
        return target;
    }

    /**
     * Converts a published file whose sha256 has been checked into {@code <home>/<cacheName>.safetensors},
     * with the published architecture and preprocessing, replacing what is there.
     */
    static Path install(Path file, KnownWeights.Published p, Path home, WeightFetcher.Progress progress) throws IOException {
        Path target = home.resolve(p.cacheName() + ".safetensors");
        write(VggWeights.read(file, p.arch(), p.preprocessing()), target, progress);
        return target;
    }

    /** Refuses a file whose sha256 does not start with {@code prefix}; {@code why} says where the prefix comes from and what it means. */
    static void requirePrefix(Path file, String sha, String prefix, String why) {
        if (!sha.startsWith(prefix)) {
            throw new WeightFileException(file, "sha256 " + sha + " does not start with " + prefix + ", " + why + "; nothing was cached");
        }
    }

    /** vgg19, vgg16-caffe, ...: the published file's name when its hash is known, else from the weights. */
    private static String cacheName(LoadedWeights w) {
        return KnownWeights.bySha256(w.sourceSha256()).map(KnownWeights.Published::cacheName)
                .orElse(w.spec().arch().id() + (w.preprocessing() == Preprocessing.CAFFE ? "-caffe" : ""));
    }

    /**
     * True when {@code target} already holds the conversion of this very file (same sha256); a
     * different file under that name is refused rather than silently replaced, because it is the
     * network every command uses by default.
     */
    private static boolean alreadyCached(Path target, Path file, String sha, WeightFetcher.Progress progress) {
        if (!Files.exists(target)) {
            return false;
        }
        Map<String, String> meta = WeightCache.metadata(target);
        if (sha.equals(meta.get(ConvertedFormat.KEY_SOURCE_SHA256))) {
            progress.message(target + " is already cached (from " + meta.getOrDefault(ConvertedFormat.KEY_SOURCE, "this file") + ")");
            return true;
        }
        throw new WeightFileException(file, "the cache already holds " + target.getFileName() + " converted from "
                + meta.getOrDefault(ConvertedFormat.KEY_SOURCE, "another file") + "; delete " + target + " first to replace it, or use this file with --weights");
    }

    private static void write(LoadedWeights w, Path target, WeightFetcher.Progress progress) throws IOException {
        progress.message("converting " + w.file().getFileName() + " to " + target);
        ConvertedFormat.write(w, target, false);
    }
}
