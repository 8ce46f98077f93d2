package dev.pixelgrad.weights;

import dev.pixelgrad.weights.PickleValues.StorageRef;
import dev.pixelgrad.weights.PickleValues.TensorRef;

import java.math.BigInteger;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * torch.save's legacy format (before 1.6, or {@code _use_new_zipfile_serialization=False}), used
 * by the published VGG files. One after another: a pickled magic number, the protocol version
 * (1001), a dict of system info, the pickled object (storages as persistent ids), the pickled
 * list of storage keys, then for each key an int64 element count and the raw elements.
 */
final class TorchLegacyReader {
    static final BigInteger MAGIC = new BigInteger("1950a86a20f9469cfc6c", 16);
    static final long PROTOCOL_VERSION = 1001;

    private TorchLegacyReader() {
    }

    static SourceWeights read(Path file) {
        ByteCursor in = ByteCursor.map(file);
        Map<String, StorageRef> storages = new HashMap<>();
        RestrictedUnpickler pickles = new RestrictedUnpickler(in, pid -> TorchPickles.storageRef(file, pid, storages));
        Object magic = pickles.load();
        if (!(magic instanceof BigInteger m) || !m.equals(MAGIC)) {
            throw new WeightFileException(file, "wrong magic number " + Excerpt.of(magic) + "; expected PyTorch's 0x" + MAGIC.toString(16)
                    + " (not a legacy torch.save file)");
        }
        Object version = pickles.load();
        if (!Long.valueOf(PROTOCOL_VERSION).equals(version)) {
            throw new WeightFileException(file, "legacy protocol version " + Excerpt.of(version) + "; expected " + PROTOCOL_VERSION);
        }
        if (pickles.load() instanceof Map<?, ?> sysInfo && Boolean.FALSE.equals(sysInfo.get("little_endian"))) {
            throw new WeightFileException(file, "written on a big-endian machine; only little-endian files are supported");
        }
        Map<String, TensorRef> refs = TorchPickles.stateDict(file, pickles.load());
        Object keys = pickles.load();
        if (!(keys instanceof List<?> keyList)) {
            throw new WeightFileException(file, "expected the list of storage keys after the pickled object, got " + Excerpt.of(keys));
        }
        Map<String, ByteCursor> data = new HashMap<>();
        for (Object k : keyList) {
            StorageRef ref = k instanceof String s ? storages.get(s) : null;
            if (ref == null) {
                throw new WeightFileException(file, "storage " + Excerpt.of(k) + " is listed but no tensor uses it");
            }
            String key = Excerpt.of(ref.key());
            long count = in.i64("element count of storage " + key);
            if (count < 0 || count > Integer.MAX_VALUE / ref.dtype().size()) {
                throw new WeightFileException(file, "storage " + key + " claims " + count + " elements; corrupt file");
            }
            data.put(ref.key(), in.slice(count * ref.dtype().size(), "storage " + key + " (" + count + " " + ref.dtype() + " values)"));
        }
        Map<String, RawTensor> tensors = TorchPickles.tensors(file, in.limit(), refs, s -> data.get(s.key()));
        return new SourceWeights(file, WeightFormat.TORCH_LEGACY, tensors, Map.of());
    }
}
