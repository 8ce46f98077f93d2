package dev.pixelgrad.tensor;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/** The reverse sweep over the tape recorded by the ops. */
final class Autograd {
    private Autograd() {
    }

    static void backward(Tensor root, Tensor seed) {
        if (!root.requiresGrad()) {
            throw new IllegalStateException("backward: tensor " + root.shape()
                    + " does not require a gradient; mark the input with requiresGrad(true) before the forward pass");
        }
        if (root.isTapeUsed()) {
            throw new IllegalStateException("backward: tensor " + root.shape() + " was made by ops whose tape an earlier "
                    + "backward() already consumed and freed; run the forward pass again to record a new tape");
        }
        if (!seed.shape().equals(root.shape())) {
            throw new IllegalArgumentException("backward: seed has shape " + seed.shape() + " but the tensor has shape "
                    + root.shape() + "; the seed is d(loss)/d(tensor) and must match it");
        }
        Op.sameBackend("backward", root, seed);
        Backend b = root.backend();
        long bad = b.countNonFinite(seed.data(), seed.numel());
        if (bad > 0) {
            throw new ArithmeticException("backward: the seed gradient of shape " + seed.shape() + " has " + bad
                    + " NaN or infinite value(s) among " + seed.numel() + "; expected finite values"
                    + " (check the loss and its inputs)");
        }
        if (root.numel() == 1 && b.countNonFinite(root.data(), 1) > 0) {
            throw new ArithmeticException("backward: the loss is " + root.item()
                    + "; expected a finite value, since a NaN or Inf loss has no useful gradient (lower the step size or learning rate?)");
        }
        b.axpy(1f, seed.data(), root.gradStorage(), root.numel());

        for (Tensor t : topologicalOrder(root)) {
            Op op = t.creator();
            Storage dy = t.gradOrNull();
            if (dy != null) {
                op.backward(Tensor.wrap(t.shape(), dy));
            }
            op.clear();
            t.detachCreator();
            // Every consumer of t came later in the forward order, so all have run: t is done.
            if (t != root && !t.isRetained()) {
                t.releaseIntermediate();
            }
        }
    }

    /** Non-leaf tensors reachable from root, outputs before the inputs they were made from. */
    private static List<Tensor> topologicalOrder(Tensor root) {
        List<Tensor> postOrder = new ArrayList<>();
        Map<Tensor, Boolean> seen = new IdentityHashMap<>();
        Deque<Object[]> stack = new ArrayDeque<>();
        stack.push(new Object[]{root, 0});
        seen.put(root, Boolean.TRUE);
        while (!stack.isEmpty()) {
            Object[] frame = stack.peek();
            Tensor t = (Tensor) frame[0];
            int next = (Integer) frame[1];
            Tensor[] ins = t.creator() == null ? new Tensor[0] : t.creator().inputs();
            if (next < ins.length) {
                frame[1] = next + 1;
                Tensor in = ins[next];
                if (in != null && in.creator() != null && seen.put(in, Boolean.TRUE) == null) {
                    stack.push(new Object[]{in, 0});
                }
            } else {
                stack.pop();
                if (t.creator() != null) {
                    postOrder.add(t);
                }
            }
        }
        Collections.reverse(postOrder);
        return postOrder;
    }
}
