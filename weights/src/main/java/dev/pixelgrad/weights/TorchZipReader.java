package dev.pixelgrad.weights;

import dev.pixelgrad.weights.RestrictedUnpickler.StorageRef;
import dev.pixelgrad.weights.RestrictedUnpickler.TensorRef;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;

/**
 * torch.save's zip format (PyTorch 1.6 and later): {@code <prefix>/data.pkl} is a pickle whose
 * tensors refer to storages by persistent id; storage {@code k} is the entry
 * {@code <prefix>/data/k}, raw little-endian elements.
 */
final class TorchZipReader {
    private TorchZipReader() {
    }

    static SourceWeights read(Path file) {
        try (ZipFile zip = new ZipFile(file.toFile())) {
            String prefix = findPrefix(file, zip);
            ZipEntry bo = zip.getEntry(prefix + "byteorder");
            if (bo != null && !new String(bytes(file, zip, bo), StandardCharsets.US_ASCII).trim().equals("little")) {
                throw new WeightFileException(file, "storages are big-endian; only little-endian files are supported");
            }
            byte[] pkl = bytes(file, zip, zip.getEntry(prefix + "data.pkl"));
            Map<String, StorageRef> storages = new HashMap<>();
            ByteCursor pc = new ByteCursor(file, ByteBuffer.wrap(pkl), 0);
            Object root = new RestrictedUnpickler(pc, pid -> TorchPickles.storageRef(file, pid, storages)).load();
            Map<String, TensorRef> refs = TorchPickles.stateDict(file, root);
            Map<String, ByteCursor> loaded = new HashMap<>();
            Map<String, RawTensor> tensors = new LinkedHashMap<>();
            for (Map.Entry<String, TensorRef> e : refs.entrySet()) {
                tensors.put(e.getKey(), TorchPickles.materialize(file, e.getKey(), e.getValue(), s -> loaded.computeIfAbsent(s.key(), k -> {
                    ZipEntry entry = zip.getEntry(prefix + "data/" + k);
                    if (entry == null) {
                        throw new WeightFileException(file, "storage entry " + prefix + "data/" + k + " of tensor " + e.getKey() + " is missing");
                    }
                    return new ByteCursor(file, ByteBuffer.wrap(bytes(file, zip, entry)), 0);
                })));
            }
            return new SourceWeights(file, WeightFormat.TORCH_ZIP, tensors, Map.of());
        } catch (ZipException e) {
            throw new WeightFileException(file, "not a readable zip archive (" + e.getMessage() + "); the file is truncated or corrupt", e);
        } catch (IOException e) {
            throw new WeightFileException(file, "cannot read: " + e.getMessage(), e);
        }
    }

    private static String findPrefix(Path file, ZipFile zip) {
        Enumeration<? extends ZipEntry> entries = zip.entries();
        while (entries.hasMoreElements()) {
            String n = entries.nextElement().getName();
            if (n.endsWith("data.pkl") && (n.equals("data.pkl") || n.indexOf('/') == n.length() - "/data.pkl".length())) {
                return n.substring(0, n.length() - "data.pkl".length());
            }
        }
        throw new WeightFileException(file, "zip archive without <prefix>/data.pkl; not a torch.save file");
    }

    private static byte[] bytes(Path file, ZipFile zip, ZipEntry entry) {
        try (InputStream in = zip.getInputStream(entry)) {
            byte[] b = in.readAllBytes();
            if (entry.getSize() >= 0 && b.length != entry.getSize()) {
                throw new WeightFileException(file, "zip entry " + entry.getName() + " should hold " + entry.getSize() + " bytes but "
                        + b.length + " were read (truncated?)");
            }
            return b;
        } catch (IOException e) {
            throw new WeightFileException(file, "cannot read zip entry " + entry.getName() + ": " + e.getMessage() + " (truncated?)", e);
        }
    }
}
