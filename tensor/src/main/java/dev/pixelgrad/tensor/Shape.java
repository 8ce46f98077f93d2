package dev.pixelgrad.tensor;

import java.util.Arrays;

/**
 * The dimensions of a tensor, outermost first. Image tensors are NCHW: (batch, channels, height,
 * width). A shape of rank 0 is a scalar with one element.
 */
public final class Shape {
    private final int[] dims;

    private Shape(int[] dims) {
        this.dims = dims;
    }

    /** A shape with the given dimensions; every dimension must be positive. */
    public static Shape of(int... dims) {
        for (int i = 0; i < dims.length; i++) {
            if (dims[i] <= 0) {
                throw new IllegalArgumentException("shape: dimension " + i + " is " + dims[i]
                        + " in " + Arrays.toString(dims) + "; every dimension must be at least 1");
            }
        }
        long n = 1;
        for (int d : dims) {
            n *= d;
        }
        if (n > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("shape: " + Arrays.toString(dims) + " has " + n
                    + " elements; at most " + Integer.MAX_VALUE + " fit one tensor (try a smaller --size)");
        }
        return new Shape(dims.clone());
    }

    /** The rank-0 shape of a scalar. */
    public static Shape scalar() {
        return new Shape(new int[0]);
    }

    public int rank() {
        return dims.length;
    }

    public int dim(int i) {
        return dims[i < 0 ? dims.length + i : i];
    }

    public int[] dims() {
        return dims.clone();
    }

    /** Number of elements: the product of the dimensions (1 for a scalar). */
    public int numel() {
        int n = 1;
        for (int d : dims) {
            n *= d;
        }
        return n;
    }

    /** Throws unless this is a rank-4 NCHW shape; {@code op} names the caller in the message. */
    public Shape requireRank(int rank, String op, String what) {
        if (dims.length != rank) {
            throw new IllegalArgumentException(op + ": " + what + " must have rank " + rank
                    + " but has shape " + this);
        }
        return this;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Shape s && Arrays.equals(dims, s.dims);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(dims);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < dims.length; i++) {
            sb.append(i == 0 ? "" : ",").append(dims[i]);
        }
        return sb.append(']').toString();
    }
}
