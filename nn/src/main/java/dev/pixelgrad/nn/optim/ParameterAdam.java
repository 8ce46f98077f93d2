package dev.pixelgrad.nn.optim;

import dev.pixelgrad.tensor.Backend;
import dev.pixelgrad.tensor.Storage;
import dev.pixelgrad.tensor.Tensor;

import java.util.ArrayList;
import java.util.List;

/**
 * Adam over a network's parameters, as torch.optim.Adam does it (no weight decay, no amsgrad):
 * after a backward has accumulated each parameter's gradient, {@link #step()} applies
 * {@link AdamStep}'s update to every parameter with its own moments m, v and the shared step
 * count t. {@link #state()} and {@link #restore(State)} copy the moments and t to and from the
 * host, so a training checkpoint resumes exactly where it stopped.
 */
public final class ParameterAdam implements AutoCloseable {
    private final List<Tensor> parameters;
    private final AdamOptions options;
    private final Storage[] m, v;
    private int t;

    /** The moments of every parameter (host copies, in parameter order) and the number of steps taken. */
    public record State(int steps, List<float[]> m, List<float[]> v) {
        public State {
            if (steps < 0) {
                throw new IllegalArgumentException("adam state: steps must be >= 0, got " + steps);
            }
            if (m.size() != v.size()) {
                throw new IllegalArgumentException("adam state: " + m.size() + " first moments but " + v.size() + " second moments");
            }
            m = List.copyOf(m);
            v = List.copyOf(v);
        }
    }

    /** lr 1e-3, betas (0.9, 0.999), eps 1e-8: torch.optim.Adam's defaults. */
    public ParameterAdam(List<Tensor> parameters) {
        this(parameters, AdamOptions.defaults());
    }

    public ParameterAdam(List<Tensor> parameters, AdamOptions options) {
        this.parameters = List.copyOf(parameters);
        this.options = options;
        this.m = new Storage[this.parameters.size()];
        this.v = new Storage[this.parameters.size()];
        for (int i = 0; i < m.length; i++) {
            Tensor p = this.parameters.get(i);
            if (!p.isLeaf()) {
                throw new IllegalArgumentException("adam: parameter " + i + " " + p.shape()
                        + " is the output of an op; optimise leaf tensors (weights), not results");
            }
            m[i] = p.backend().allocate(p.numel());
            v[i] = p.backend().allocate(p.numel());
        }
    }

    public AdamOptions options() {
        return options;
    }

    /** Steps taken so far (t of the update). */
    public int steps() {
        return t;
    }

    /** Sets every parameter's accumulated gradient to zero, before the next backward. */
    public void zeroGrad() {
        for (Tensor p : parameters) {
            p.zeroGrad();
        }
    }

    /** One update of every parameter from its accumulated gradient. */
    public void step() {
        for (int i = 0; i < m.length; i++) {
            if (parameters.get(i).grad() == null) {
                throw new IllegalStateException("adam: parameter " + i + " " + parameters.get(i).shape()
                        + " has no gradient; run backward on a loss that depends on it before step()");
            }
        }
        t++;
        for (int i = 0; i < m.length; i++) {
            Tensor p = parameters.get(i);
            AdamStep.apply(p.backend(), p.data(), p.grad().data(), m[i], v[i], p.numel(), options, t);
        }
    }

    /** Host copies of the moments and the step count. */
    public State state() {
        List<float[]> ms = new ArrayList<>(), vs = new ArrayList<>();
        for (int i = 0; i < m.length; i++) {
            Backend be = parameters.get(i).backend();
            float[] a = new float[parameters.get(i).numel()], b = new float[a.length];
            be.download(m[i], a);
            be.download(v[i], b);
            ms.add(a);
            vs.add(b);
        }
        return new State(t, ms, vs);
    }

    /** Puts back a state taken by {@link #state()} from an optimiser over parameters of the same sizes. */
    public void restore(State s) {
        if (s.m().size() != m.length) {
            throw new IllegalArgumentException("adam restore: the state holds moments for " + s.m().size()
                    + " parameters but this optimiser has " + m.length);
        }
        for (int i = 0; i < m.length; i++) {
            int n = parameters.get(i).numel();
            if (s.m().get(i).length != n || s.v().get(i).length != n) {
                throw new IllegalArgumentException("adam restore: parameter " + i + " " + parameters.get(i).shape() + " holds " + n
                        + " values but the state's moments hold " + s.m().get(i).length + " and " + s.v().get(i).length);
            }
        }
        for (int i = 0; i < m.length; i++) {
            Backend be = parameters.get(i).backend();
            m[i].release();
            v[i].release();
            m[i] = be.upload(s.m().get(i));
            v[i] = be.upload(s.v().get(i));
        }
        t = s.steps();
    }

    @Override
    public void close() {
        for (int i = 0; i < m.length; i++) {
            m[i].release();
            v[i].release();
        }
    }
}
