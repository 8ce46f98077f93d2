package dev.pixelgrad.tensor.ops;

import dev.pixelgrad.tensor.Backend;
import dev.pixelgrad.tensor.Op;
import dev.pixelgrad.tensor.ReluBackward;
import dev.pixelgrad.tensor.Storage;
import dev.pixelgrad.tensor.Tensor;

/** Rectified linear unit: y = max(x, 0); its backward follows {@link ReluBackward#mode()}. */
public final class Relu extends Op {
    private Tensor y;

    public static Tensor apply(Tensor x) {
        Tensor y = Tensor.zeros(x.shape(), x.backend());
        x.backend().reluForward(x.data(), y.data(), x.numel());
        Relu op = new Relu();
        op.y = y;
        return op.record(y, x);
    }

    @Override
    protected void backward(Tensor dy) {
        Backend be = dy.backend();
        long n = dy.numel();
        if (ReluBackward.mode() == ReluBackward.Mode.GUIDED) {
            // guided: dx = dy * [y > 0] * [dy > 0] = max(dy, 0) * [y > 0], the ordinary rule applied to max(dy, 0)
            Storage positive = be.allocate(n);
            be.reluForward(dy.data(), positive, n);
            be.reluBackward(y.data(), positive, gradOf(0), n);
            positive.release();
            return;
        }
        // forward: y = max(x, 0)  =>  dx = dy * [y > 0]
        be.reluBackward(y.data(), dy.data(), gradOf(0), n);
    }

    @Override
    protected void releaseSaved() {
        y = null;
    }

    @Override
    public String name() {
        return "relu";
    }
}
