package dev.pixelgrad.weights;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** Little-endian element data of any {@link DType} to float32. */
final class Decode {
    private Decode() {
    }

    /** Reads n elements of {@code dtype} from the buffer's current position (which does not move). */
    static float[] toFloat(ByteBuffer src, DType dtype, int n) {
        ByteBuffer b = src.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        float[] out = new float[n];
        switch (dtype) {
            case F32 -> b.asFloatBuffer().get(out);
            case F64 -> {
                var d = b.asDoubleBuffer();
                for (int i = 0; i < n; i++) {
                    out[i] = (float) d.get(i);
                }
            }
            case F16 -> {
                var s = b.asShortBuffer();
                for (int i = 0; i < n; i++) {
                    out[i] = DType.halfToFloat(s.get(i));
                }
            }
            case BF16 -> {
                var s = b.asShortBuffer();
                for (int i = 0; i < n; i++) {
                    out[i] = DType.bfloat16ToFloat(s.get(i));
                }
            }
            case I64 -> {
                var l = b.asLongBuffer();
                for (int i = 0; i < n; i++) {
                    out[i] = l.get(i);
                }
            }
            case I32 -> {
                var l = b.asIntBuffer();
                for (int i = 0; i < n; i++) {
                    out[i] = l.get(i);
                }
            }
            case I16 -> {
                var s = b.asShortBuffer();
                for (int i = 0; i < n; i++) {
                    out[i] = s.get(i);
                }
            }
            case I8 -> {
                for (int i = 0; i < n; i++) {
                    out[i] = b.get(b.position() + i);
                }
            }
            case U8, BOOL -> {
                for (int i = 0; i < n; i++) {
                    out[i] = b.get(b.position() + i) & 0xff;
                }
            }
        }
        return out;
    }
}
