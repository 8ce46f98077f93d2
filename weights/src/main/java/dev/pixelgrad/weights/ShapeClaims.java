package dev.pixelgrad.weights;

import java.nio.file.Path;
import java.util.Arrays;

/**
 * Shapes a file claims for its tensors, checked before anything is allocated for them. A shape
 * has at most {@link #MAX_DIMS} dimensions, none negative or beyond an int; its element count is
 * computed without overflow (it saturates at {@code Long.MAX_VALUE}), so a shape that claims more
 * values than the file holds is caught by comparing with the bytes actually present, never
 * wrapped round into a small number that looks right.
 */
final class ShapeClaims {
    /** Caffe's own limit (kMaxBlobAxes); weights have at most 4 dimensions. */
    static final int MAX_DIMS = 32;

    private ShapeClaims() {
    }

    /** Checks each dimension; {@code what} names the tensor or blob in the error. */
    static int[] shape(Path file, String what, long[] dims) {
        if (dims.length > MAX_DIMS) {
            throw new WeightFileException(file, what + " has " + dims.length + " dimensions; at most " + MAX_DIMS
                    + " are supported (a weight has at most 4): corrupt file?");
        }
        int[] shape = new int[dims.length];
        for (int i = 0; i < dims.length; i++) {
            if (dims[i] < 0 || dims[i] > Integer.MAX_VALUE) {
                throw new WeightFileException(file, what + " has shape " + Arrays.toString(dims) + " with an impossible dimension "
                        + dims[i] + "; expected 0 .. " + Integer.MAX_VALUE + " (corrupt file?)");
            }
            shape[i] = (int) dims[i];
        }
        return shape;
    }

    /** The number of elements, or {@code Long.MAX_VALUE} when the product overflows. */
    static long numel(int[] shape) {
        long n = 1;
        for (int d : shape) {
            n = times(n, d);
        }
        return n;
    }

    /** {@code a * b} for a, b &ge; 0, or {@code Long.MAX_VALUE} when that overflows. */
    static long times(long a, long b) {
        return b != 0 && a > Long.MAX_VALUE / b ? Long.MAX_VALUE : a * b;
    }
}
