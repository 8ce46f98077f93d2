package dev.pixelgrad.weights;

import java.util.Locale;

/**
 * Element types found in weight files. Every tensor is widened or narrowed to float32 on load;
 * the integer types exist only so that a file holding them gives a clear error naming the tensor.
 */
public enum DType {
    F64(8, true), F32(4, true), F16(2, true), BF16(2, true), I64(8, false), I32(4, false), I16(2, false), I8(1, false), U8(1, false), BOOL(1, false);

    private final int size;
    private final boolean floating;

    DType(int size, boolean floating) {
        this.size = size;
        this.floating = floating;
    }

    /** Bytes per element. */
    public int size() {
        return size;
    }

    /** Whether values of this type can be weights (float64, float32, float16, bfloat16). */
    public boolean isFloating() {
        return floating;
    }

    /** The safetensors spelling: F32, F16, BF16, ... */
    public String safetensorsName() {
        return name();
    }

    /** Parses a safetensors dtype string; null when unknown. */
    public static DType fromSafetensors(String s) {
        try {
            return valueOf(s.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** float16 (IEEE half) bits to float, exactly. */
    public static float halfToFloat(int h) {
        int sign = (h & 0x8000) << 16;
        int exp = (h >>> 10) & 0x1f;
        int mant = h & 0x3ff;
        if (exp == 0x1f) {
            return Float.intBitsToFloat(sign | 0x7f800000 | (mant << 13));
        }
        if (exp == 0) {
            // subnormal: mant * 2^-24
            float v = mant * 0x1p-24f;
            return sign == 0 ? v : -v;
        }
        return Float.intBitsToFloat(sign | ((exp + 112) << 23) | (mant << 13));
    }

    /** float to float16 bits, rounding to nearest even; overflow gives infinity. */
    public static short floatToHalf(float f) {
        int bits = Float.floatToRawIntBits(f);
        int sign = (bits >>> 16) & 0x8000;
        int exp = (bits >>> 23) & 0xff;
        int mant = bits & 0x7fffff;
        if (exp == 0xff) {
            return (short) (sign | 0x7c00 | (mant != 0 ? 0x200 : 0));
        }
        int e = exp - 127 + 15;
        if (e >= 0x1f) {
            return (short) (sign | 0x7c00);
        }
        if (e <= 0) {
            if (e < -10) {
                return (short) sign;
            }
            // subnormal half: shift the mantissa (with its implicit 1) into place, rounding to even
            int m = mant | 0x800000;
            int shift = 14 - e;
            int half = m >>> shift;
            int rest = m & ((1 << shift) - 1);
            int mid = 1 << (shift - 1);
            if (rest > mid || (rest == mid && (half & 1) == 1)) {
                half++;
            }
            return (short) (sign | half);
        }
        int half = sign | (e << 10) | (mant >>> 13);
        int rest = mant & 0x1fff;
        if (rest > 0x1000 || (rest == 0x1000 && (half & 1) == 1)) {
            half++; // may carry into the exponent, which is the correct rounding
        }
        return (short) half;
    }

    /** bfloat16 bits (the top half of a float32) to float. */
    public static float bfloat16ToFloat(int b) {
        return Float.intBitsToFloat((b & 0xffff) << 16);
    }
}
