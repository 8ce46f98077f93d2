package dev.pixelgrad.weights;

import dev.pixelgrad.tensor.io.AtomicFiles;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Collection;
import java.util.Map;

/**
 * Writes float32 or float16 safetensors atomically (see {@link AtomicFiles}): header padded with
 * spaces to a multiple of 8 bytes, tensors in the given order, back to back.
 */
public final class SafetensorsWriter {
    private SafetensorsWriter() {
    }

    public static void write(Path out, Map<String, String> metadata, Collection<RawTensor> tensors, DType dtype) throws IOException {
        if (dtype != DType.F32 && dtype != DType.F16) {
            throw new IllegalArgumentException("safetensors writer: dtype " + dtype + " not supported; use F32 or F16");
        }
        JsonObject header = new JsonObject();
        JsonObject meta = new JsonObject();
        metadata.forEach(meta::addProperty);
        header.add("__metadata__", meta);
        long offset = 0;
        for (RawTensor t : tensors) {
            if (dtype == DType.F16) {
                checkFitsHalf(out, t);
            }
            JsonObject e = new JsonObject();
            e.addProperty("dtype", dtype.safetensorsName());
            JsonArray shape = new JsonArray();
            for (int d : t.shape()) {
                shape.add(d);
            }
            e.add("shape", shape);
            JsonArray offs = new JsonArray();
            long size = (long) t.data().length * dtype.size();
            offs.add(offset);
            offs.add(offset + size);
            e.add("data_offsets", offs);
            header.add(t.name(), e);
            offset += size;
        }
        byte[] json = header.toString().getBytes(StandardCharsets.UTF_8);
        int padded = (json.length + 7) / 8 * 8;
        ByteBuffer head = ByteBuffer.allocate(8 + padded).order(ByteOrder.LITTLE_ENDIAN);
        head.putLong(padded).put(json);
        while (head.hasRemaining()) {
            head.put((byte) ' ');
        }
        head.flip();
        AtomicFiles.write(out, ch -> {
            writeFully(ch, head);
            for (RawTensor t : tensors) {
                writeFully(ch, encode(t.data(), dtype));
            }
        });
    }

    private static void checkFitsHalf(Path out, RawTensor t) {
        for (float v : t.data()) {
            if (Math.abs(v) > 65504f) {
                throw new WeightFileException(out, "tensor " + t.name() + " holds " + v + ", beyond float16's range (65504); write float32 instead");
            }
        }
    }

    private static ByteBuffer encode(float[] v, DType dtype) {
        ByteBuffer b = ByteBuffer.allocate(v.length * dtype.size()).order(ByteOrder.LITTLE_ENDIAN);
        if (dtype == DType.F32) {
            b.asFloatBuffer().put(v);
        } else {
            for (int i = 0; i < v.length; i++) {
                b.putShort(i * 2, DType.floatToHalf(v[i]));
            }
        }
        return b;
    }

    private static void writeFully(FileChannel ch, ByteBuffer b) throws IOException {
        while (b.hasRemaining()) {
            ch.write(b);
        }
    }
}
