package dev.pixelgrad.weights;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The converted files in the cache directory ({@link VggWeights#home()}). */
public final class WeightCache {
    /** One cached file, described from its metadata alone. */
    public record Entry(String name, Path file, String arch, String preprocessing, String source, long bytes) {
    }

    private WeightCache() {
    }

    public static List<Entry> list(Path home) throws IOException {
        List<Entry> out = new ArrayList<>();
        if (!Files.isDirectory(home)) {
            return out;
        }
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(home, "*.safetensors")) {
            for (Path p : ds) {
                Map<String, String> m = metadata(p);
                String fileName = p.getFileName().toString();
                out.add(new Entry(fileName.substring(0, fileName.length() - ".safetensors".length()), p,
                        m.getOrDefault(ConvertedFormat.KEY_ARCH, "?"), m.getOrDefault(ConvertedFormat.KEY_PREPROCESSING, "?"),
                        m.getOrDefault(ConvertedFormat.KEY_SOURCE, "?"), Files.size(p)));
            }
        }
        out.sort(Comparator.comparing(Entry::name));
        return out;
    }

    /** The {@code __metadata__} of a safetensors file, reading only its header (empty when unreadable). */
    public static Map<String, String> metadata(Path file) {
        Map<String, String> m = new LinkedHashMap<>();
        try (InputStream in = Files.newInputStream(file)) {
            byte[] len = in.readNBytes(8);
            if (len.length < 8) {
                return m;
            }
            long n = ByteBuffer.wrap(len).order(ByteOrder.LITTLE_ENDIAN).getLong();
            if (n <= 1 || n > SafetensorsReader.MAX_HEADER) {
                return m;
            }
            JsonElement e = JsonParser.parseString(new String(in.readNBytes((int) n), StandardCharsets.UTF_8));
            if (e.isJsonObject() && e.getAsJsonObject().get("__metadata__") instanceof JsonObject meta) {
                meta.entrySet().forEach(x -> m.put(x.getKey(), x.getValue().getAsString()));
            }
        } catch (IOException | RuntimeException e) {
            return m;
        }
        return m;
    }
}
