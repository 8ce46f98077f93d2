package dev.pixelgrad.tensor;

import java.util.Arrays;

/**
 * One recorded application of a differentiable operation: the node of the autograd tape. A
 * subclass computes its forward in a static {@code apply} method, keeps what backward needs in
 * named fields, and implements {@link #backward(Tensor)} directly below, accumulating into the
 * gradients of the inputs that need one.
 */
public abstract class Op {
    private Tensor[] inputs = new Tensor[0];

    /** Computes the inputs' gradients from the output's gradient {@code dy}, accumulating. */
    protected abstract void backward(Tensor dy);

    /** A short name for messages, e.g. {@code conv2d}. */
    public abstract String name();

    /**
     * Links {@code output} to this op when recording is on and an input needs a gradient;
     * otherwise the op is dropped and the output is a plain constant.
     */
    protected final Tensor record(Tensor output, Tensor... ins) {
        if (!Grad.isEnabled()) {
            return output;
        }
        boolean any = false;
        for (Tensor t : ins) {
            any |= t != null && t.requiresGrad();
        }
        if (any) {
            this.inputs = ins;
            output.attach(this);
        }
        return output;
    }

    protected final Tensor input(int i) {
        return inputs[i];
    }

    final Tensor[] inputs() {
        return inputs;
    }

    /** Whether input i takes part in backward (a frozen weight does not). */
    protected final boolean needsGrad(int i) {
        return inputs[i] != null && inputs[i].requiresGrad();
    }

    /** The gradient buffer of input i, allocated (zeros) on first use. */
    protected final Storage gradOf(int i) {
        return inputs[i].gradStorage();
    }

    /** Drops references so the tape can be collected once backward has used it. */
    void clear() {
        inputs = new Tensor[0];
        releaseSaved();
    }

    /** Frees buffers the op saved for backward beyond its inputs; called once after backward. */
    protected void releaseSaved() {
    }

    /** Throws unless all tensors live on the same backend. */
    protected static Backend sameBackend(String op, Tensor... ts) {
        Backend b = null;
        for (Tensor t : ts) {
            if (t == null) {
                continue;
            }
            if (b == null) {
                b = t.backend();
            } else if (t.backend() != b) {
                throw new IllegalArgumentException(op + ": tensors live on different backends ("
                        + b.name() + " and " + t.backend().name() + "); move one with tensor.to(backend)");
            }
        }
        return b;
    }

    /** Throws unless the two shapes are equal. */
    protected static void sameShape(String op, Tensor a, Tensor b) {
        if (!a.shape().equals(b.shape())) {
            throw new IllegalArgumentException(op + ": shapes differ: " + a.shape() + " and " + b.shape()
                    + "; both operands must have the same shape");
        }
    }

    @Override
    public String toString() {
        return name() + Arrays.toString(Arrays.stream(inputs).map(t -> t == null ? "-" : t.shape().toString()).toArray());
    }
}
