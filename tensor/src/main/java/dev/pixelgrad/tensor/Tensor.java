package dev.pixelgrad.tensor;

import dev.pixelgrad.tensor.ops.Add;
import dev.pixelgrad.tensor.ops.MatMul;
import dev.pixelgrad.tensor.ops.Mean;
import dev.pixelgrad.tensor.ops.Mul;
import dev.pixelgrad.tensor.ops.Pow;
import dev.pixelgrad.tensor.ops.Reshape;
import dev.pixelgrad.tensor.ops.Scale;
import dev.pixelgrad.tensor.ops.Square;
import dev.pixelgrad.tensor.ops.Sub;
import dev.pixelgrad.tensor.ops.Sum;

/**
 * A float32 tensor (NCHW for images) whose buffer is owned by a backend, with reverse-mode
 * autograd: ops on tensors that {@link #requiresGrad() require a gradient} are recorded, and
 * {@link #backward()} walks the record in reverse, accumulating {@link #grad()} on every leaf
 * that asked for one.
 *
 * <p>Memory: backward releases each intermediate tensor's buffer as soon as the op that made it
 * has run its backward. Call {@link #retain()} on an intermediate you still want to read after
 * backward. Leaves (inputs, weights, the image being optimised) are never released by backward.
 */
public final class Tensor implements AutoCloseable {
    private final Shape shape;
    private final Backend backend;
    private Storage data;
    private boolean requiresGrad;
    private boolean retained;
    private Op creator;
    /** Set once backward has consumed the op that made this tensor (its tape is gone). */
    private boolean tapeUsed;
    private Storage grad;

    private Tensor(Shape shape, Backend backend, Storage data) {
        if (data.size() < shape.numel()) {
            throw new IllegalArgumentException("tensor: buffer of " + data.size() + " floats is too small for shape " + shape);
        }
        this.shape = shape;
        this.backend = backend;
        this.data = data;
    }

    // ---- creation ---------------------------------------------------------------------------

    /** Wraps an existing buffer (no copy). */
    public static Tensor wrap(Shape shape, Storage data) {
        return new Tensor(shape, data.backend(), data);
    }

    public static Tensor zeros(Shape shape, Backend backend) {
        return new Tensor(shape, backend, backend.allocate(shape.numel()));
    }

    public static Tensor full(Shape shape, float value, Backend backend) {
        Tensor t = zeros(shape, backend);
        backend.fill(t.data, value, shape.numel());
        return t;
    }

    /** A tensor holding a copy of {@code values}, which must have exactly shape.numel() elements. */
    public static Tensor of(float[] values, Shape shape, Backend backend) {
        if (values.length != shape.numel()) {
            throw new IllegalArgumentException("tensor: " + values.length + " values given for shape " + shape
                    + " which holds " + shape.numel());
        }
        return new Tensor(shape, backend, backend.upload(values));
    }

    public static Tensor scalar(float value, Backend backend) {
        return of(new float[]{value}, Shape.scalar(), backend);
    }

    // ---- properties -------------------------------------------------------------------------

    public Shape shape() {
        return shape;
    }

    public int numel() {
        return shape.numel();
    }

    public Backend backend() {
        return backend;
    }

    /** The buffer; throws if backward has released it. */
    public Storage data() {
        if (data == null || data.isReleased()) {
            throw new IllegalStateException("tensor " + shape + ": its buffer was released by backward() or close(); "
                    + "call retain() before backward() to keep an intermediate result");
        }
        return data;
    }

    public boolean requiresGrad() {
        return requiresGrad;
    }

    /** Marks a leaf as needing a gradient (e.g. the image being optimised). Returns this. */
    public Tensor requiresGrad(boolean value) {
        if (creator != null && !value) {
            throw new IllegalStateException("tensor " + shape + ": cannot stop an op's output from requiring a gradient; use detach()");
        }
        this.requiresGrad = value;
        return this;
    }

    public boolean isLeaf() {
        return creator == null;
    }

    /** Keeps this intermediate's buffer alive through backward. Returns this. */
    public Tensor retain() {
        this.retained = true;
        return this;
    }

    /** The accumulated gradient, or null when none has been computed. */
    public Tensor grad() {
        return grad == null ? null : Tensor.wrap(shape, grad);
    }

    /** Sets the accumulated gradient to zero (it is kept allocated for the next backward). */
    public void zeroGrad() {
        if (grad != null) {
            backend.fill(grad, 0f, numel());
        }
    }

    /**
     * Frees the values of an intermediate that stays on the tape only to pass gradients on: one
     * whose value no recorded backward reads, such as a convolution's output once a ReLU has read
     * it (ReLU's backward reads its own output, a convolution's backward reads its input). PyTorch
     * gets the same saving from an in-place ReLU. Leaves and retained tensors keep their values;
     * reading the values afterwards is an error.
     */
    public void releaseValues() {
        if (creator != null && !retained && data != null) {
            data.release();
            data = null;
        }
    }

    /** A tensor sharing this buffer but cut off from the tape. */
    public Tensor detach() {
        return new Tensor(shape, backend, data());
    }

    // ---- host access ------------------------------------------------------------------------

    /** A host copy of the values. */
    public float[] toArray() {
        float[] out = new float[numel()];
        backend.download(data(), out);
        return out;
    }

    /** The value of a one-element tensor. */
    public float item() {
        if (numel() != 1) {
            throw new IllegalStateException("item: tensor has shape " + shape + "; only one-element tensors have an item");
        }
        return backend.readScalar(data(), 0);
    }

    /** A copy on another backend (a detached leaf). */
    public Tensor to(Backend target) {
        if (target == backend) {
            return this;
        }
        return of(toArray(), shape, target);
    }

    /** Releases the buffer (and gradient) now. */
    @Override
    public void close() {
        if (data != null) {
            data.release();
        }
        if (grad != null) {
            grad.release();
            grad = null;
        }
    }

    // ---- autograd ---------------------------------------------------------------------------

    /** Backward from a one-element tensor (a loss): seeds d(this)/d(this) = 1. */
    public void backward() {
        if (numel() != 1) {
            throw new IllegalStateException("backward: tensor has shape " + shape
                    + "; backward() needs a one-element loss, or pass the upstream gradient with backward(seed)");
        }
        try (Tensor one = Tensor.full(shape, 1f, backend)) {
            backward(one);
        }
    }

    /** Backward with an explicit upstream gradient of this tensor's shape (DeepDream seeds with the activation). */
    public void backward(Tensor seed) {
        Autograd.backward(this, seed);
    }

    void attach(Op op) {
        this.creator = op;
        this.requiresGrad = true;
    }

    Op creator() {
        return creator;
    }

    void detachCreator() {
        if (creator != null) {
            tapeUsed = true;
        }
        creator = null;
    }

    /** Whether this tensor was made by an op whose tape an earlier backward has consumed. */
    boolean isTapeUsed() {
        return tapeUsed;
    }

    boolean isRetained() {
        return retained;
    }

    /** Gradient buffer, created as zeros on first use. */
    Storage gradStorage() {
        if (grad == null) {
            grad = backend.allocate(numel());
        }
        return grad;
    }

    Storage gradOrNull() {
        return grad;
    }

    /** Frees buffers of an intermediate once backward is done with it. */
    void releaseIntermediate() {
        if (grad != null) {
            grad.release();
            grad = null;
        }
        if (data != null) {
            data.release();
            data = null;
        }
    }

    // ---- in-place updates and host values (not recorded on the tape) ------------------------

    /** A new leaf holding a copy of the values (no tape, no gradient). */
    public Tensor copy() {
        Tensor y = zeros(shape, backend);
        backend.copy(data(), y.data, numel());
        return y;
    }

    /** this += alpha t, for t of the same shape; an update between steps, not recorded. */
    public Tensor addInPlace(Tensor t, float alpha) {
        requireSame("addInPlace", t);
        backend.axpy(alpha, t.data(), data(), numel());
        return this;
    }

    /**
     * Clamps this (N, C, H, W) in place to lo[c] &lt;= x &lt;= hi[c], with lo and hi of shape (C):
     * the projection onto valid pixels after an update. Not recorded.
     */
    public Tensor clampChannelsInPlace(Tensor lo, Tensor hi) {
        shape.requireRank(4, "clampChannelsInPlace", "image (N, C, H, W)");
        int c = shape.dim(1);
        if (lo.numel() != c || hi.numel() != c || lo.backend() != backend || hi.backend() != backend) {
            throw new IllegalArgumentException("clampChannelsInPlace: bounds " + lo + " and " + hi
                    + " must hold one value per channel (" + c + ") on " + backend.name());
        }
        backend.clampChannels(data(), lo.data(), hi.data(), shape.dim(0), c, shape.dim(2) * shape.dim(3), data());
        return this;
    }

    /** The sum of |x_i|, read back to the host (for step-size rules, not for losses). */
    public double sumAbs() {
        try (Tensor s = zeros(Shape.scalar(), backend)) {
            backend.sumAbs(data(), numel(), s.data());
            return s.item();
        }
    }

    private void requireSame(String op, Tensor t) {
        if (!t.shape.equals(shape) || t.backend != backend) {
            throw new IllegalArgumentException(op + ": " + t + " does not match " + this + "; both must have the same shape and backend");
        }
    }

    // ---- arithmetic, reductions and shape (the layers and losses are in Ops) ----------------

    public Tensor add(Tensor other) {
        return Add.apply(this, other);
    }

    public Tensor sub(Tensor other) {
        return Sub.apply(this, other);
    }

    public Tensor mul(Tensor other) {
        return Mul.apply(this, other);
    }

    public Tensor scale(float alpha) {
        return Scale.apply(this, alpha);
    }

    public Tensor square() {
        return Square.apply(this);
    }

    public Tensor pow(float p) {
        return Pow.apply(this, p);
    }

    public Tensor sum() {
        return Sum.apply(this);
    }

    public Tensor mean() {
        return Mean.apply(this);
    }

    public Tensor reshape(int... dims) {
        return Reshape.apply(this, Shape.of(dims));
    }

    public Tensor matmul(Tensor other) {
        return MatMul.apply(this, other);
    }

    @Override
    public String toString() {
        return "Tensor" + shape + "@" + backend.name() + (requiresGrad ? " (requires grad)" : "");
    }
}
