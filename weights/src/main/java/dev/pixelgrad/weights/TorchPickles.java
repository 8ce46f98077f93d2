package dev.pixelgrad.weights;

import dev.pixelgrad.weights.PickleValues.Global;
import dev.pixelgrad.weights.PickleValues.StorageRef;
import dev.pixelgrad.weights.PickleValues.TensorRef;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/** What the zip and legacy PyTorch formats share: persistent ids, state dicts, tensor views. */
final class TorchPickles {
    private TorchPickles() {
    }

    /**
     * Parses a persistent id {@code ('storage', torch.FloatStorage, key, location, numel[, view])}
     * into a storage reference, recording it in {@code seen}.
     */
    static StorageRef storageRef(Path file, Object pid, Map<String, StorageRef> seen) {
        if (!(pid instanceof List<?> t) || t.size() < 5 || !"storage".equals(t.get(0)) || !(t.get(2) instanceof String key)) {
            throw new WeightFileException(file, "unexpected persistent id " + Excerpt.of(pid) + "; expected ('storage', type, key, location, numel)");
        }
        if (!(t.get(1) instanceof Global g) || !RestrictedUnpickler.STORAGE_TYPES.containsKey(g.name())) {
            throw new WeightFileException(file, "persistent id names storage type " + Excerpt.of(t.get(1)) + "; expected torch.FloatStorage or similar");
        }
        if (t.size() > 5 && t.get(5) != null) {
            throw new WeightFileException(file, "storage views (PyTorch before 1.0) are not supported; re-save the file with a recent torch.save");
        }
        long numel = t.get(4) instanceof Long n ? n : -1;
        StorageRef ref = new StorageRef(key, RestrictedUnpickler.STORAGE_TYPES.get(g.name()), numel);
        seen.putIfAbsent(key, ref);
        return seen.get(key);
    }

    /** How many checkpoint levels ({"model": {"state_dict": ...}}) are unwrapped at most. */
    private static final int MAX_NESTING = 4;

    /**
     * The tensors of a state dict (a checkpoint holding one under "state_dict" or "model" is
     * unwrapped), keyed as in the file.
     */
    static Map<String, TensorRef> stateDict(Path file, Object root) {
        return stateDict(file, root, MAX_NESTING);
    }

    private static Map<String, TensorRef> stateDict(Path file, Object root, int nesting) {
        if (!(root instanceof Map<?, ?> map)) {
            throw new WeightFileException(file, "the pickled object is " + Excerpt.of(root)
                    + "; expected a state dict (save model.state_dict(), not the model)");
        }
        boolean hasTensors = map.values().stream().anyMatch(v -> v instanceof TensorRef);
        if (!hasTensors && nesting > 0) {
            for (String k : List.of("state_dict", "model")) {
                if (map.get(k) instanceof Map<?, ?> inner) {
                    return stateDict(file, inner, nesting - 1);
                }
            }
        }
        Map<String, TensorRef> out = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : map.entrySet()) {
            if (e.getValue() instanceof TensorRef t) {
                out.put(String.valueOf(e.getKey()), t);
            }
        }
        if (out.isEmpty()) {
            throw new WeightFileException(file, "the state dict holds no tensors (keys " + Excerpt.of(map.keySet()) + ")");
        }
        return out;
    }

    /** Each stored value may be viewed by two tensors (tied weights) and be a single byte wide. */
    static final long MAX_VALUES_PER_BYTE = 2;

    /**
     * Every tensor of a state dict as float32, keyed as in the file. {@code storageBytes} gives
     * each storage's raw little-endian bytes as a cursor (null when the file lacks it). Views may
     * share a storage (tied weights, or one storage for a whole model), but the values copied out
     * may not exceed {@link #MAX_VALUES_PER_BYTE} per byte of the file: a few bytes of pickle per
     * view of one large storage would otherwise turn a small file into gigabytes of floats.
     */
    static Map<String, RawTensor> tensors(Path file, long fileBytes, Map<String, TensorRef> refs,
                                          Function<StorageRef, ByteCursor> storageBytes) {
        long limit = MAX_VALUES_PER_BYTE * fileBytes + 4096;
        long copied = 0;
        Map<String, RawTensor> tensors = new LinkedHashMap<>();
        for (Map.Entry<String, TensorRef> e : refs.entrySet()) {
            RawTensor t = materialize(file, e.getKey(), e.getValue(), storageBytes);
            copied += t.data().length;
            if (copied > limit) {
                throw new WeightFileException(file, "the tensors up to " + Excerpt.of(e.getKey()) + " view " + copied
                        + " values, more than a file of " + fileBytes + " bytes can hold even with shared storages (at most "
                        + limit + "); corrupt file?");
            }
            tensors.put(e.getKey(), t);
        }
        return tensors;
    }

    /** Copies a tensor view out of its storage as float32. */
    private static RawTensor materialize(Path file, String key, TensorRef t, Function<StorageRef, ByteCursor> storageBytes) {
        String name = Excerpt.of(key);
        int[] size = t.size();
        long[] stride = t.stride();
        if (size.length != stride.length) {
            throw new WeightFileException(file, "tensor " + name + " has size " + Arrays.toString(size) + " but stride " + Arrays.toString(stride));
        }
        long expect = 1;
        for (int i = size.length - 1; i >= 0; i--) {
            if (size[i] != 1 && stride[i] != expect) {
                throw new WeightFileException(file, "tensor " + name + " is not contiguous (size " + Arrays.toString(size) + ", stride "
                        + Arrays.toString(stride) + "); save tensor.contiguous() instead");
            }
            expect = ShapeClaims.times(expect, size[i]);
        }
        long numel = ShapeClaims.numel(size);
        DType dtype = t.storage().dtype();
        String storage = Excerpt.of(t.storage().key());
        ByteCursor data = storageBytes.apply(t.storage());
        if (data == null) {
            throw new WeightFileException(file, "storage " + storage + " of tensor " + name + " is missing from the file");
        }
        long storageNumel = data.limit() / dtype.size();
        if (t.storage().numel() >= 0 && t.storage().numel() != storageNumel) {
            throw new WeightFileException(file, "storage " + storage + " of tensor " + name + " should hold " + t.storage().numel()
                    + " " + dtype + " values but has bytes for " + storageNumel + " (truncated?)");
        }
        // offset + numel could overflow: compare with what is left after the offset instead
        if (t.offset() < 0 || t.offset() > storageNumel || numel > storageNumel - t.offset()) {
            throw new WeightFileException(file, "tensor " + name + " (size " + Arrays.toString(size) + ") reads " + numel
                    + " elements from offset " + t.offset() + " of storage " + storage + ", which holds " + storageNumel);
        }
        ByteCursor view = data.window(t.offset() * dtype.size(), numel * dtype.size(), "tensor " + name);
        return new RawTensor(key, size, dtype, Decode.toFloat(view.buffer(), dtype, (int) numel));
    }
}
