package dev.pixelgrad.weights;

import dev.pixelgrad.weights.PickleValues.StorageRef;
import dev.pixelgrad.weights.PickleValues.TensorRef;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;

/**
 * torch.save's zip format (PyTorch 1.6 and later): {@code <prefix>/data.pkl} is a pickle whose
 * tensors refer to storages by persistent id; storage {@code k} is the entry
 * {@code <prefix>/data/k}, raw little-endian elements. torch.save stores entries uncompressed; a
 * re-zipped (deflated) file is read too, but its entries may inflate to at most
 * {@link #MAX_INFLATION} times the file's size, which weights (noise to a compressor) never
 * approach and a zip bomb always does.
 */
final class TorchZipReader {
    static final long MAX_INFLATION = 4;

    private TorchZipReader() {
    }

    static SourceWeights read(Path file) {
        try (ZipFile zip = new ZipFile(file.toFile())) {
            Entries entries = new Entries(file, zip, MAX_INFLATION * Files.size(file) + (64 << 10));
            String prefix = findPrefix(file, zip);
            ZipEntry bo = entry(file, zip, prefix + "byteorder");
            if (bo != null && !new String(entries.bytes(bo), StandardCharsets.US_ASCII).trim().equals("little")) {
                throw new WeightFileException(file, "storages are big-endian; only little-endian files are supported");
            }
            byte[] pkl = entries.bytes(entry(file, zip, prefix + "data.pkl"));
            Map<String, StorageRef> storages = new HashMap<>();
            ByteCursor pc = new ByteCursor(file, ByteBuffer.wrap(pkl), 0);
            Object root = new RestrictedUnpickler(pc, pid -> TorchPickles.storageRef(file, pid, storages)).load();
            Map<String, TensorRef> refs = TorchPickles.stateDict(file, root);
            Map<String, ByteCursor> loaded = new HashMap<>();
            Map<String, RawTensor> tensors = TorchPickles.tensors(file, Files.size(file), refs, s -> loaded.computeIfAbsent(s.key(), k -> {
                ZipEntry entry = entry(file, zip, prefix + "data/" + k);
                return entry == null ? null : new ByteCursor(file, ByteBuffer.wrap(entries.bytes(entry)), 0);
            }));
            return new SourceWeights(file, WeightFormat.TORCH_ZIP, tensors, Map.of());
        } catch (ZipException e) {
            throw new WeightFileException(file, "not a readable zip archive (" + e.getMessage() + "); the file is truncated or corrupt", e);
        } catch (IOException e) {
            throw new WeightFileException(file, "cannot read: " + e.getMessage(), e);
        }
    }

    private static String findPrefix(Path file, ZipFile zip) {
        try {
            Enumeration<? extends ZipEntry> entries = zip.entries();
            while (entries.hasMoreElements()) {
                String n = entries.nextElement().getName();
                if (n.endsWith("data.pkl") && (n.equals("data.pkl") || n.indexOf('/') == n.length() - "/data.pkl".length())) {
                    return n.substring(0, n.length() - "data.pkl".length());
                }
            }
        } catch (IllegalArgumentException e) {
            throw badName(file, e);
        }
        throw new WeightFileException(file, "zip archive without <prefix>/data.pkl; not a torch.save file");
    }

    /** zip.getEntry(name), or null; java.util.zip throws IllegalArgumentException for names that are not UTF-8. */
    private static ZipEntry entry(Path file, ZipFile zip, String name) {
        try {
            return zip.getEntry(name);
        } catch (IllegalArgumentException e) {
            throw badName(file, e);
        }
    }

    private static WeightFileException badName(Path file, IllegalArgumentException e) {
        return new WeightFileException(file, "not a readable zip archive (an entry name is not valid UTF-8: " + e.getMessage()
                + "); the file is corrupt", e);
    }

    /** Reads entries whole, each no longer than it says and all together within the inflation budget. */
    private static final class Entries {
        private final Path file;
        private final ZipFile zip;
        private long budget;

        Entries(Path file, ZipFile zip, long budget) {
            this.file = file;
            this.zip = zip;
            this.budget = budget;
        }

        byte[] bytes(ZipEntry entry) {
            String name = Excerpt.of(entry.getName());
            long size = entry.getSize();
            if (size < 0 || size > budget) {
                throw new WeightFileException(file, "zip entry " + name + " claims " + size + " bytes, more than a file of this size can hold"
                        + " (entries may inflate to at most " + MAX_INFLATION + "x the file); truncated, corrupt or a zip bomb");
            }
            budget -= size;
            try (InputStream in = zip.getInputStream(entry)) {
                byte[] b = in.readNBytes((int) size);
                if (b.length != size || in.read() != -1) {
                    throw new WeightFileException(file, "zip entry " + name + " should hold " + size + " bytes but "
                            + (b.length != size ? "only " + b.length : "more") + " were read (truncated or corrupt?)");
                }
                return b;
            } catch (IOException e) {
                throw new WeightFileException(file, "cannot read zip entry " + name + ": " + e.getMessage() + " (truncated?)", e);
            }
        }
    }
}
