package dev.pixelgrad.weights;

/**
 * The protobuf wire format, just enough to walk messages: each field is a varint tag
 * (field number << 3 | wire type) followed by a varint (type 0), 8 bytes (1), a varint length and
 * that many bytes (2), or 4 bytes (5). Groups (3, 4) are long deprecated and refused.
 */
final class ProtoReader {
    static final int VARINT = 0, FIXED64 = 1, LEN = 2, FIXED32 = 5;

    private final ByteCursor in;
    private int field;
    private int wireType;

    ProtoReader(ByteCursor in) {
        this.in = in;
    }

    /** Advances to the next field; false at the end of the message. */
    boolean next() {
        if (in.remaining() == 0) {
            return false;
        }
        long tag = varint("field tag");
        field = (int) (tag >>> 3);
        wireType = (int) (tag & 7);
        if (field == 0 || (wireType != VARINT && wireType != FIXED64 && wireType != LEN && wireType != FIXED32)) {
            throw new WeightFileException(in.file(), "corrupt protobuf: field " + field + " with wire type " + wireType
                    + " before offset " + in.position() + " (truncated or not a Caffe model?)");
        }
        return true;
    }

    boolean hasRemaining() {
        return in.remaining() > 0;
    }

    int field() {
        return field;
    }

    int wireType() {
        return wireType;
    }

    long varint(String what) {
        long v = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            int b = in.u8(what);
            v |= (long) (b & 0x7f) << shift;
            if ((b & 0x80) == 0) {
                return v;
            }
        }
        throw new WeightFileException(in.file(), "corrupt protobuf: varint longer than 10 bytes while reading " + what);
    }

    /** The bytes of a length-delimited field, as a cursor of their own. */
    ByteCursor bytes(String what) {
        long n = varint(what + " length");
        return in.slice(n, what);
    }

    float fixed32Float(String what) {
        return in.f32(what);
    }

    double fixed64Double(String what) {
        return in.f64(what);
    }

    /** Skips the current field's value. */
    void skip() {
        switch (wireType) {
            case VARINT -> varint("skipped field " + field);
            case FIXED64 -> in.slice(8, "skipped field " + field);
            case LEN -> bytes("skipped field " + field);
            case FIXED32 -> in.slice(4, "skipped field " + field);
            default -> throw new IllegalStateException();
        }
    }
}
