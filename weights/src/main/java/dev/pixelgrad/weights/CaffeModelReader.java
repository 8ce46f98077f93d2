package dev.pixelgrad.weights;

import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Caffe {@code .caffemodel}: a NetParameter in protobuf wire format. Field numbers from caffe.proto:
 * <pre>
 *   NetParameter      layers = 2 (V1LayerParameter, old files such as VGG_ILSVRC_*_layers)
 *                     layer = 100 (LayerParameter)
 *   V1LayerParameter  name = 4, blobs = 6
 *   LayerParameter    name = 1, blobs = 7
 *   BlobProto         num, channels, height, width = 1..4 (legacy 4-D shape)
 *                     data = 5 (float, packed or not), double_data = 8, shape = 7
 *   BlobShape         dim = 1 (int64, packed or not)
 * </pre>
 * Every blob of every layer becomes a tensor named {@code <layer>[<i>]} (blob 0 the weight,
 * blob 1 the bias); layers without blobs (ReLU, pooling, ...) are skipped.
 */
final class CaffeModelReader {
    private CaffeModelReader() {
    }

    static SourceWeights read(Path file) {
        ProtoReader net = new ProtoReader(ByteCursor.map(file));
        Map<String, RawTensor> tensors = new LinkedHashMap<>();
        boolean sawLayer = false;
        while (net.next()) {
            int f = net.field();
            if ((f == 2 || f == 100) && net.wireType() == ProtoReader.LEN) {
                sawLayer = true;
                readLayer(file, net.bytes(f == 2 ? "V1 layer" : "layer"), f == 2 ? 4 : 1, f == 2 ? 6 : 7, tensors);
            } else {
                net.skip();
            }
        }
        if (!sawLayer) {
            throw new WeightFileException(file, "no layers (NetParameter fields 2 or 100) found; not a Caffe model?");
        }
        return new SourceWeights(file, WeightFormat.CAFFEMODEL, tensors, Map.of());
    }

    private static void readLayer(Path file, ByteCursor bytes, int nameField, int blobsField, Map<String, RawTensor> out) {
        ProtoReader layer = new ProtoReader(bytes);
        String name = null;
        List<ByteCursor> blobs = new ArrayList<>();
        while (layer.next()) {
            if (layer.field() == nameField && layer.wireType() == ProtoReader.LEN) {
                ByteCursor s = layer.bytes("layer name");
                name = s.utf8(s.remaining(), "layer name");
            } else if (layer.field() == blobsField && layer.wireType() == ProtoReader.LEN) {
                blobs.add(layer.bytes("blob"));
            } else {
                layer.skip();
            }
        }
        if (blobs.isEmpty()) {
            return;
        }
        if (name == null) {
            throw new WeightFileException(file, "a layer with " + blobs.size() + " blobs has no name");
        }
        for (int i = 0; i < blobs.size(); i++) {
            String key = name + "[" + i + "]";
            if (out.containsKey(key)) {
                throw new WeightFileException(file, "layer " + Excerpt.of(name) + " appears twice");
            }
            out.put(key, readBlob(file, key, blobs.get(i)));
        }
    }

    private static RawTensor readBlob(Path file, String name, ByteCursor bytes) {
        String key = Excerpt.of(name);
        ProtoReader blob = new ProtoReader(bytes);
        long[] legacy = {0, 0, 0, 0};
        boolean hasLegacy = false;
        List<Long> dims = null;
        float[] data = null;
        int count = 0;
        DType dtype = DType.F32;
        while (blob.next()) {
            int f = blob.field();
            if (f >= 1 && f <= 4 && blob.wireType() == ProtoReader.VARINT) {
                legacy[f - 1] = blob.varint("blob dimension");
                hasLegacy = true;
            } else if (f == 7 && blob.wireType() == ProtoReader.LEN) {
                dims = readShape(blob.bytes("blob shape"));
            } else if ((f == 5 || f == 8) && blob.wireType() == ProtoReader.LEN) { // packed floats or doubles
                ByteCursor c = blob.bytes("blob data");
                int size = f == 5 ? 4 : 8;
                if (c.remaining() % size != 0) {
                    throw new WeightFileException(file, "blob " + key + ": packed data of " + c.remaining() + " bytes is not a multiple of " + size);
                }
                int n = c.remaining() / size;
                data = grow(data, count + n);
                var b = c.buffer().order(ByteOrder.LITTLE_ENDIAN);
                for (int i = 0; i < n; i++) {
                    data[count + i] = f == 5 ? b.getFloat(b.position() + 4 * i) : (float) b.getDouble(b.position() + 8 * i);
                }
                count += n;
                dtype = f == 5 ? DType.F32 : DType.F64;
            } else if (f == 5 && blob.wireType() == ProtoReader.FIXED32) { // unpacked float
                data = grow(data, count + 1);
                data[count++] = blob.fixed32Float("blob data");
            } else if (f == 8 && blob.wireType() == ProtoReader.FIXED64) {
                data = grow(data, count + 1);
                data[count++] = (float) blob.fixed64Double("blob data");
                dtype = DType.F64;
            } else {
                blob.skip();
            }
        }
        int[] shape;
        if (dims != null) {
            shape = ShapeClaims.shape(file, "blob " + key, dims.stream().mapToLong(Long::longValue).toArray());
        } else if (hasLegacy) {
            shape = ShapeClaims.shape(file, "blob " + key, legacy);
        } else {
            shape = new int[]{count};
        }
        long numel = ShapeClaims.numel(shape);
        if (numel != count) {
            throw new WeightFileException(file, "blob " + key + " has shape " + java.util.Arrays.toString(shape) + " ("
                    + (numel == Long.MAX_VALUE ? "over 2^63" : numel) + " values) but holds " + count + " values (truncated?)");
        }
        float[] exact = data == null ? new float[0] : data.length == count ? data : java.util.Arrays.copyOf(data, count);
        return new RawTensor(name, shape, dtype, exact);
    }

    private static List<Long> readShape(ByteCursor bytes) {
        ProtoReader shape = new ProtoReader(bytes);
        List<Long> dims = new ArrayList<>();
        while (shape.next()) {
            if (shape.field() == 1 && shape.wireType() == ProtoReader.LEN) {
                ProtoReader packed = new ProtoReader(shape.bytes("packed dims"));
                while (packed.hasRemaining()) {
                    dims.add(packed.varint("dim"));
                }
            } else if (shape.field() == 1 && shape.wireType() == ProtoReader.VARINT) {
                dims.add(shape.varint("dim"));
            } else {
                shape.skip();
            }
        }
        return dims;
    }

    private static float[] grow(float[] a, int need) {
        if (a == null) {
            return new float[Math.max(need, 16)];
        }
        return a.length >= need ? a : java.util.Arrays.copyOf(a, Math.max(need, a.length * 2));
    }
}
