package dev.pixelgrad.tensor.ops;

import dev.pixelgrad.tensor.Backend;
import dev.pixelgrad.tensor.Op;
import dev.pixelgrad.tensor.Shape;
import dev.pixelgrad.tensor.Tensor;

/** Matrix product Y = A B. <pre>A: (M, K)   B: (K, N)   Y: (M, N)</pre> */
public final class MatMul extends Op {
    public static Tensor apply(Tensor a, Tensor b) {
        Backend be = sameBackend("matmul", a, b);
        a.shape().requireRank(2, "matmul", "A (M, K)");
        b.shape().requireRank(2, "matmul", "B (K, N)");
        int m = a.shape().dim(0), k = a.shape().dim(1), n = b.shape().dim(1);
        if (b.shape().dim(0) != k) {
            throw new IllegalArgumentException("matmul: A is " + a.shape() + " and B is " + b.shape()
                    + "; B must have " + k + " rows (the columns of A)");
        }
        Tensor y = Tensor.zeros(Shape.of(m, n), be);
        be.gemm(false, false, m, n, k, 1f, a.data(), 0, b.data(), 0, 0f, y.data(), 0);
        return new MatMul().record(y, a, b);
    }

    @Override
    protected void backward(Tensor dy) {
        // forward: Y = A B  =>  dA = dY B^T,  dB = A^T dY
        Tensor a = input(0), b = input(1);
        int m = a.shape().dim(0), k = a.shape().dim(1), n = b.shape().dim(1);
        Backend be = dy.backend();
        if (needsGrad(0)) {
            be.gemm(false, true, m, k, n, 1f, dy.data(), 0, b.data(), 0, 1f, gradOf(0), 0);
        }
        if (needsGrad(1)) {
            be.gemm(true, false, k, n, m, 1f, a.data(), 0, dy.data(), 0, 1f, gradOf(1), 0);
        }
    }

    @Override
    public String name() {
        return "matmul";
    }
}
