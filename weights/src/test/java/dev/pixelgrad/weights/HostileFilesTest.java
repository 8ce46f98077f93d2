package dev.pixelgrad.weights;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Small files built to make a reader work, allocate or recurse far beyond their size, or to slip a
 * shape past its checks through overflow: each is refused quickly with a short, clear error. Each
 * test says what happened before the reader was hardened.
 */
class HostileFilesTest {
    @TempDir
    Path dir;

    private static final int ONE_GIB_SQRT = 1 << 30; // [2^30, 2^30, 16] holds 2^64 elements: 0 once wrapped

    /** Reads with the named reader (see {@link WeightReadersFuzzTest#READERS}), which must refuse. */
    private static WeightFileException refused(String reader, Path file, String... mustMention) {
        WeightFileException e = assertTimeoutPreemptively(Duration.ofSeconds(5),
                () -> assertThrows(WeightFileException.class, () -> WeightReadersFuzzTest.READERS.get(reader).read(file)));
        assertTrue(e.getMessage().startsWith(file.toString()), "message should name the file: " + e.getMessage());
        assertTrue(e.getMessage().length() < 600, "message of " + e.getMessage().length() + " characters");
        for (String m : mustMention) {
            assertTrue(e.getMessage().contains(m), "message should mention '" + m + "': " + e.getMessage());
        }
        return e;
    }

    private Path write(String name, byte[] bytes) throws IOException {
        Path f = dir.resolve(name);
        Files.write(f, bytes);
        return f;
    }

    /** Pushes ((((None, None), same), same) ...) nested {@code levels} deep: 2^levels leaves through the memo. */
    private static PickleWriter sharedTuples(PickleWriter p, int levels) {
        p.op('N', 'N', 0x86).put(0).op('0');
        for (int i = 0; i < levels; i++) {
            p.get(i).get(i).op(0x86).put(i + 1).op('0');
        }
        return p.get(levels);
    }

    @Test
    void listHoldingItselfAsADictKey() throws IOException {
        // before: StackOverflowError hashing the list
        byte[] p = new PickleWriter().op('}', ']', '2', 'a', 'N', 's').stop();
        refused("torchLegacy", write("selfkey.pth", p), "dict key is a list");
    }

    @Test
    void sharedNestedTuplesAsADictKey() throws IOException {
        // before: hashing 2^60 leaves, a hang
        byte[] p = sharedTuples(new PickleWriter().op('}'), 60).op('N', 's').stop();
        refused("torchLegacy", write("tuplekey.pth", p), "dict key is a tuple");
    }

    @Test
    void sharedNestedTuplesInAnErrorMessage() throws IOException {
        // before: the message printed 2^60 leaves, a hang then OutOfMemoryError
        byte[] p = sharedTuples(new PickleWriter(), 60).stop();
        refused("torchLegacy", write("tuplemagic.pth", p), "wrong magic number ((((");
    }

    @Test
    void hugeIntegerInAnErrorMessage() throws IOException {
        // before: the message printed all 2.5 million digits, seconds of BigInteger.toString
        byte[] big = new byte[1 << 20];
        java.util.Arrays.fill(big, (byte) 0x5a);
        byte[] p = new PickleWriter().bytesAs4(0x8b, big).stop();
        refused("torchLegacy", write("bigmagic.pth", p), "an int of 8388607 bits");
    }

    @Test
    void checkpointHoldingItselfAsItsStateDict() throws IOException {
        // before: StackOverflowError unwrapping {"state_dict": <itself>}
        byte[] object = new PickleWriter().op('}').put(0).str("state_dict").get(0).op('s').stop();
        byte[] f = PickleWriter.legacy(object, new PickleWriter().op(']').stop());
        refused("torchLegacy", write("selfdict.pth", f), "holds no tensors", "state_dict");
    }

    @Test
    void manyKeysWithoutTensorsGiveAShortMessage() throws IOException {
        // before: the message listed all 20000 keys
        PickleWriter p = new PickleWriter().op('}', '(');
        for (int i = 0; i < 20000; i++) {
            p.str("key" + i).op('N');
        }
        byte[] f = PickleWriter.legacy(p.op('u').stop(), new PickleWriter().op(']').stop());
        refused("torchLegacy", write("keys.pth", f), "holds no tensors", "20000 items");
    }

    @Test
    void orderedDictBuiltFromOneListOverAndOver() throws IOException {
        // before: 3000 dicts of 1000 entries (about 150 MB) from a 100 KB pickle
        PickleWriter p = new PickleWriter().op(']').put(0).op('(');
        for (int j = 0; j < 1000; j++) {
            p.longInt(j).op('N', 0x86);
        }
        p.op('e', '0').global("collections", "OrderedDict").put(1).op('0', '}', '(');
        for (int i = 0; i < 3000; i++) {
            p.longInt(i).get(1).op('(').get(0).op('t', 'R');
        }
        refused("torchLegacy", write("od.pth", p.op('u').stop()), "OrderedDict", "over and over");
    }

    @Test
    void manyTensorsViewingOneStorage() throws IOException {
        // before: 2000 copies of a 16 KB storage, 32 MB of floats from a 150 KB file
        int n = 4096;
        PickleWriter p = new PickleWriter().op('}').floatStorage("0", n).put(0).op('0', '(');
        for (int i = 0; i < 2000; i++) {
            p.str("t" + i).tensor(0, 0, n);
        }
        byte[] keys = new PickleWriter().op('(').str("0").op('l').stop();
        byte[] f = PickleWriter.legacy(p.op('u').stop(), keys, PickleWriter.storageRecord(n, new byte[4 * n]));
        refused("torchLegacy", write("views.pth", f), "shared storages");
    }

    @Test
    void zipEntryInflatingFarBeyondTheFile() throws IOException {
        // before: a 20 KB file inflated to 20 MB of storage and 20 MB of floats
        int n = 5 << 20;
        byte[] p = new PickleWriter().op('}').floatStorage("0", n).put(0).op('0').str("w").tensor(0, 0, n).op('s').stop();
        Path f = dir.resolve("bomb.pth");
        PickleWriter.zip(f, p, new byte[4 * n]);
        refused("torchZip", f, "archive/data/0", "zip bomb");
    }

    @Test
    void tensorOffsetNearLongMaxDoesNotWrap() throws IOException {
        // before: offset + size wrapped negative, passed the check, and IllegalArgumentException followed
        PickleWriter p = new PickleWriter().op('}', '(').str("storage").global("torch", "ByteStorage").str("0").str("cpu")
                .longInt(16).op('t', 'Q').put(0).op('0').str("w").tensor(0, Long.MAX_VALUE - 5, 10).op('s');
        byte[] keys = new PickleWriter().op('(').str("0").op('l').stop();
        byte[] f = PickleWriter.legacy(p.stop(), keys, PickleWriter.storageRecord(16, new byte[16]));
        refused("torchLegacy", write("offset.pth", f), "reads 10 elements from offset 9223372036854775802");
    }

    @Test
    void pickledShapeWhoseSizeWrapsToZero() throws IOException {
        // before: numel 2^64 wrapped to 0, so an empty storage passed for a [2^30, 2^30, 16] tensor
        PickleWriter p = new PickleWriter().op('}').floatStorage("0", 0).put(0).op('0').str("w")
                .tensor(0, 0, ONE_GIB_SQRT, ONE_GIB_SQRT, 16).op('s');
        byte[] keys = new PickleWriter().op('(').str("0").op('l').stop();
        byte[] f = PickleWriter.legacy(p.stop(), keys, PickleWriter.storageRecord(0, new byte[0]));
        refused("torchLegacy", write("wrap.pth", f), "which holds 0");
    }

    @Test
    void safetensorsShapeWhoseSizeWrapsToZero() throws IOException {
        // before: accepted as a [2^30, 2^30, 16] tensor with no data
        refused("safetensors", write("wrap.safetensors", safetensors("{\"w\":{\"dtype\":\"F32\",\"shape\":[1073741824,1073741824,16],"
                + "\"data_offsets\":[0,0]}}")), "needs more than 2^63");
    }

    @Test
    void safetensorsWithTooManyDimensions() throws IOException {
        // before: accepted, a 40-dimensional weight
        String ones = "1,".repeat(39) + "1";
        refused("safetensors", write("dims.safetensors", safetensors("{\"w\":{\"dtype\":\"F32\",\"shape\":[" + ones + "],"
                + "\"data_offsets\":[0,4]}}")), "40 dimensions");
    }

    private static byte[] safetensors(String header) {
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(8 + h.length + 4).order(ByteOrder.LITTLE_ENDIAN).putLong(h.length).put(h).array();
    }

    @Test
    void caffeBlobShapeWhoseSizeWrapsToZero() throws IOException {
        // before: accepted as a [2^30, 2^30, 16, 1] blob with no values
        ByteArrayOutputStream blob = new ByteArrayOutputStream();
        long[] dims = {ONE_GIB_SQRT, ONE_GIB_SQRT, 16, 1};
        for (int i = 0; i < 4; i++) {
            varint(blob, (i + 1) << 3);
            varint(blob, dims[i]);
        }
        ByteArrayOutputStream layer = new ByteArrayOutputStream();
        lengthDelimited(layer, 4, "conv1_1".getBytes(StandardCharsets.US_ASCII));
        lengthDelimited(layer, 6, blob.toByteArray());
        ByteArrayOutputStream net = new ByteArrayOutputStream();
        lengthDelimited(net, 2, layer.toByteArray());
        refused("caffeModel", write("wrap.caffemodel", net.toByteArray()), "conv1_1[0]", "over 2^63");
    }

    private static void varint(ByteArrayOutputStream out, long v) {
        while ((v & ~0x7fL) != 0) {
            out.write((int) (v & 0x7f) | 0x80);
            v >>>= 7;
        }
        out.write((int) v);
    }

    private static void lengthDelimited(ByteArrayOutputStream out, int field, byte[] payload) {
        varint(out, (long) field << 3 | 2);
        varint(out, payload.length);
        out.writeBytes(payload);
    }

    @Test
    void npyShapeWhoseSizeWrapsToZero() throws IOException {
        // before: (int) numel = 0, accepted as an empty [2^30, 2^30, 16] array
        refused("npy", write("wrap.npy", npy(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (1073741824, 1073741824, 16), }")),
                "needs over 2^63 bytes");
    }

    @Test
    void npyHeaderLengthOfFourGigabytes() throws IOException {
        // before: NegativeArraySizeException allocating the header
        byte[] b = npy(2, "{'descr': '<f4', 'fortran_order': False, 'shape': (2,), }");
        ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putInt(8, 0xfffffff0);
        refused("npy", write("header.npy", b), "header needs 4294967280 bytes");
    }

    private static byte[] npy(int version, String dict) {
        byte[] h = (dict + "\n").getBytes(StandardCharsets.US_ASCII);
        ByteBuffer b = ByteBuffer.allocate(12 + h.length).order(ByteOrder.LITTLE_ENDIAN);
        b.put(new byte[]{(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', (byte) version, 0});
        if (version == 1) {
            b.putShort((short) h.length);
        } else {
            b.putInt(h.length);
        }
        return java.util.Arrays.copyOf(b.put(h).array(), b.position());
    }
}
