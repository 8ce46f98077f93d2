package dev.pixelgrad.weights;

import dev.pixelgrad.weights.RestrictedUnpickler.Global;
import dev.pixelgrad.weights.RestrictedUnpickler.StorageRef;
import dev.pixelgrad.weights.RestrictedUnpickler.TensorRef;

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
        if (!(pid instanceof List<?> t) || t.size() < 5 || !"storage".equals(t.get(0))) {
            throw new WeightFileException(file, "unexpected persistent id " + pid + "; expected ('storage', type, key, location, numel)");
        }
        if (!(t.get(1) instanceof Global g) || !RestrictedUnpickler.STORAGE_TYPES.containsKey(g.name())) {
            throw new WeightFileException(file, "persistent id names storage type " + t.get(1) + "; expected torch.FloatStorage or similar");
        }
        if (t.size() > 5 && t.get(5) != null) {
            throw new WeightFileException(file, "storage views (PyTorch before 1.0) are not supported; re-save the file with a recent torch.save");
        }
        String key = String.valueOf(t.get(2));
        long numel = t.get(4) instanceof Long n ? n : -1;
        StorageRef ref = new StorageRef(key, RestrictedUnpickler.STORAGE_TYPES.get(g.name()), numel);
        seen.putIfAbsent(key, ref);
        return seen.get(key);
    }

    /**
     * The tensors of a state dict (a checkpoint holding one under "state_dict" or "model" is
     * unwrapped), keyed as in the file.
     */
    static Map<String, TensorRef> stateDict(Path file, Object root) {
        if (!(root instanceof Map<?, ?> map)) {
            throw new WeightFileException(file, "the pickled object is a " + (root == null ? "None" : root.getClass().getSimpleName())
                    + "; expected a state dict (save model.state_dict(), not the model)");
        }
        boolean hasTensors = map.values().stream().anyMatch(v -> v instanceof TensorRef);
        if (!hasTensors) {
            for (String k : List.of("state_dict", "model")) {
                if (map.get(k) instanceof Map<?, ?> inner) {
                    return stateDict(file, inner);
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
            throw new WeightFileException(file, "the state dict holds no tensors (keys " + map.keySet() + ")");
        }
        return out;
    }

    /**
     * Copies a tensor view out of its storage as float32. {@code storageBytes} gives each storage's
     * raw little-endian bytes as a cursor.
     */
    static RawTensor materialize(Path file, String name, TensorRef t, Function<StorageRef, ByteCursor> storageBytes) {
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
            expect *= size[i];
        }
        long numel = RawTensor.numel(size);
        DType dtype = t.storage().dtype();
        ByteCursor data = storageBytes.apply(t.storage());
        long storageNumel = data.limit() / dtype.size();
        if (t.storage().numel() >= 0 && t.storage().numel() != storageNumel) {
            throw new WeightFileException(file, "storage " + t.storage().key() + " of tensor " + name + " should hold " + t.storage().numel()
                    + " " + dtype + " values but has bytes for " + storageNumel + " (truncated?)");
        }
        if (t.offset() < 0 || t.offset() + numel > storageNumel) {
            throw new WeightFileException(file, "tensor " + name + " reads elements [" + t.offset() + ", " + (t.offset() + numel)
                    + ") of storage " + t.storage().key() + ", which holds " + storageNumel);
        }
        ByteCursor view = data.window(t.offset() * dtype.size(), numel * dtype.size(), "tensor " + name);
        return new RawTensor(name, size, dtype, Decode.toFloat(view.buffer(), dtype, (int) numel));
    }
}
