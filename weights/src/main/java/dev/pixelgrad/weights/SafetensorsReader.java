package dev.pixelgrad.weights;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * safetensors: an 8-byte little-endian header length N, N bytes of JSON mapping each tensor name
 * to {@code {"dtype", "shape", "data_offsets": [begin, end]}} (offsets relative to the data that
 * follows the header), an optional {@code "__metadata__"} string map, then the raw data. The file
 * is memory-mapped; the header is validated before any data is touched: sane length, offsets
 * inside the data, sizes equal to numel times the element size, no two tensors overlapping.
 */
final class SafetensorsReader {
    /** Larger headers are refused as corrupt (the reference implementation's limit). */
    static final long MAX_HEADER = 100L << 20;

    private SafetensorsReader() {
    }

    private record Entry(String name, DType dtype, int[] shape, long begin, long end) {
    }

    static SourceWeights read(Path file) {
        ByteCursor in = ByteCursor.map(file);
        long headerLen = in.i64("header length");
        if (headerLen <= 1 || headerLen > MAX_HEADER || headerLen > in.remaining()) {
            throw new WeightFileException(file, "safetensors header length " + headerLen + " is impossible for a file of "
                    + in.limit() + " bytes (expected 2 .. " + Math.min(MAX_HEADER, in.remaining()) + "); truncated or not safetensors");
        }
        String json = in.utf8(headerLen, "header").trim();
        JsonObject header;
        try {
            JsonElement e = JsonParser.parseString(json);
            if (!e.isJsonObject()) {
                throw new WeightFileException(file, "safetensors header is not a JSON object");
            }
            header = e.getAsJsonObject();
        } catch (JsonParseException e) {
            throw new WeightFileException(file, "safetensors header is not valid JSON: " + e.getMessage(), e);
        }
        long dataSize = in.remaining();
        Map<String, String> metadata = new LinkedHashMap<>();
        List<Entry> entries = new ArrayList<>();
        for (Map.Entry<String, JsonElement> e : header.entrySet()) {
            if (e.getKey().equals("__metadata__")) {
                if (!e.getValue().isJsonObject()) {
                    throw new WeightFileException(file, "__metadata__ must be an object of strings");
                }
                for (Map.Entry<String, JsonElement> m : e.getValue().getAsJsonObject().entrySet()) {
                    if (!m.getValue().isJsonPrimitive()) {
                        throw new WeightFileException(file, "__metadata__." + Excerpt.of(m.getKey()) + " must be a string");
                    }
                    metadata.put(m.getKey(), m.getValue().getAsString());
                }
                continue;
            }
            entries.add(entry(file, e.getKey(), e.getValue(), dataSize));
        }
        List<Entry> byOffset = new ArrayList<>(entries);
        byOffset.sort(Comparator.comparingLong(Entry::begin).thenComparingLong(Entry::end));
        for (int i = 1; i < byOffset.size(); i++) {
            Entry a = byOffset.get(i - 1), b = byOffset.get(i);
            if (b.begin() < a.end()) {
                throw new WeightFileException(file, "tensors " + Excerpt.of(a.name()) + " [" + a.begin() + ", " + a.end() + ") and " + Excerpt.of(b.name())
                        + " [" + b.begin() + ", " + b.end() + ") overlap; the header lies about data_offsets");
            }
        }
        int dataStart = in.position();
        Map<String, RawTensor> tensors = new LinkedHashMap<>();
        for (Entry e : entries) {
            ByteCursor data = in.window(dataStart + e.begin(), e.end() - e.begin(), "tensor " + Excerpt.of(e.name()));
            int n = (int) ShapeClaims.numel(e.shape());
            tensors.put(e.name(), new RawTensor(e.name(), e.shape(), e.dtype(), Decode.toFloat(data.buffer(), e.dtype(), n)));
        }
        return new SourceWeights(file, WeightFormat.SAFETENSORS, tensors, metadata);
    }

    private static Entry entry(Path file, String name, JsonElement v, long dataSize) {
        String where = "tensor " + Excerpt.of(name) + ": ";
        try {
            JsonObject o = v.getAsJsonObject();
            String dtypeName = o.get("dtype").getAsString();
            DType dtype = DType.fromSafetensors(dtypeName);
            if (dtype == null) {
                throw new WeightFileException(file, where + "unknown dtype " + Excerpt.of(dtypeName)
                        + "; expected F32, F16, BF16, F64 or an integer type");
            }
            JsonArray s = o.getAsJsonArray("shape");
            if (s.size() > ShapeClaims.MAX_DIMS) {
                throw new WeightFileException(file, where + "shape has " + s.size() + " dimensions; at most " + ShapeClaims.MAX_DIMS
                        + " are supported (a weight has at most 4)");
            }
            long[] dims = new long[s.size()];
            for (int i = 0; i < dims.length; i++) {
                dims[i] = s.get(i).getAsLong();
            }
            int[] shape = ShapeClaims.shape(file, "tensor " + Excerpt.of(name), dims);
            long numel = ShapeClaims.numel(shape);
            JsonArray off = o.getAsJsonArray("data_offsets");
            if (off.size() != 2) {
                throw new WeightFileException(file, where + "data_offsets " + Excerpt.of(off.toString()) + " must be [begin, end]");
            }
            long begin = off.get(0).getAsLong(), end = off.get(1).getAsLong();
            if (begin < 0 || end < begin || end > dataSize) {
                throw new WeightFileException(file, where + "data_offsets [" + begin + ", " + end + "] fall outside the " + dataSize
                        + " data bytes after the header (truncated file or a header that lies)");
            }
            long needed = ShapeClaims.times(numel, dtype.size());
            if (numel > Integer.MAX_VALUE || end - begin != needed) {
                throw new WeightFileException(file, where + "data_offsets span " + (end - begin) + " bytes but shape " + s + " of " + dtype
                        + " needs " + (needed == Long.MAX_VALUE ? "more than 2^63" : needed));
            }
            return new Entry(name, dtype, shape, begin, end);
        } catch (IllegalStateException | NullPointerException | UnsupportedOperationException | NumberFormatException
                 | ClassCastException e) { // a field of the wrong JSON type
            throw new WeightFileException(file, where + "malformed header entry " + Excerpt.of(v.toString())
                    + "; expected {\"dtype\", \"shape\", \"data_offsets\"}", e);
        }
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
