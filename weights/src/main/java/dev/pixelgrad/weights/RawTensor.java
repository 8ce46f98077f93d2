package dev.pixelgrad.weights;

import java.util.Arrays;

/**
 * One tensor as read from a weight file: its name as in the file, its shape, the element type it
 * was stored in, and its values converted to float32 (row-major, contiguous).
 */
public record RawTensor(String name, int[] shape, DType dtype, float[] data) {

    public RawTensor {
        shape = shape.clone();
        long n = numel(shape);
        if (n != data.length) {
            throw new IllegalArgumentException("tensor " + name + ": shape " + Arrays.toString(shape) + " holds " + n
                    + " values but " + data.length + " were given");
        }
    }

    public static long numel(int[] shape) {
        long n = 1;
        for (int d : shape) {
            n *= d;
        }
        return n;
    }

    /** The same values under another name and shape (same element count). */
    public RawTensor as(String newName, int[] newShape) {
        return new RawTensor(newName, newShape, dtype, data);
    }

    public String shapeString() {
        return Arrays.toString(shape);
    }
}
