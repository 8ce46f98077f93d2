package dev.pixelgrad.nn.optim;

import dev.pixelgrad.tensor.Backend;
import dev.pixelgrad.tensor.Storage;
import dev.pixelgrad.tensor.Tensor;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;

/**
 * Limited-memory BFGS (Nocedal and Wright, algorithm 7.4 and 7.5) on the device.
 *
 * <p>Each step computes the quasi-Newton direction d = -H g by the two-loop recursion over the
 * last m pairs s_i = x_{i+1} - x_i, y_i = g_{i+1} - g_i (with H_0 = gamma I,
 * gamma = s.y / y.y of the newest pair), then tries x + t d:
 * <pre>
 * q = -g
 * for i = newest .. oldest:  a_i = rho_i s_i.q;  q -= a_i y_i          (rho_i = 1 / y_i.s_i)
 * r = gamma q
 * for i = oldest .. newest:  b = rho_i y_i.r;    r += (a_i - b) s_i
 * d = r
 * </pre>
 *
 * <p>Line search: the trial step is t = 1 (on the first step, t = min(1, 1/|g|_1) as in PyTorch,
 * since there is no curvature yet to scale d). On these problems (smooth, a good quadratic model)
 * t = 1 is accepted almost always, so the default {@link LbfgsOptions.LineSearch#BACKTRACKING}
 * costs one evaluation per step like PyTorch's fixed step, and only halves t when the Armijo
 * condition f(x + t d) &le; f(x) + c1 t g.d fails, which guards the early, badly scaled steps.
 * A full strong-Wolfe search would spend extra forward/backward passes for little gain here.
 * Pairs with y.s &le; 1e-10 are skipped so that H stays positive definite.
 *
 * <p>Every vector (x, g, d, the pairs) stays on x's backend; only dot products come back.
 */
public final class Lbfgs implements Optimizer {
    private final Tensor x;
    private final Objective f;
    private final LbfgsOptions options;
    private final Backend be;
    private final long n;
    private final Storage d, gOld, xOld, scalar;
    private final Deque<Pair> history = new ArrayDeque<>();   // newest first
    private float loss = Float.NaN;
    private int steps, evaluations;
    private boolean started, converged;

    private record Pair(Storage s, Storage y, double rho) {
    }

    public Lbfgs(Tensor x, Objective f, LbfgsOptions options) {
        this.x = x;
        this.f = f;
        this.options = options;
        this.be = x.backend();
        this.n = x.numel();
        this.d = be.allocate(n);
        this.gOld = be.allocate(n);
        this.xOld = be.allocate(n);
        this.scalar = be.allocate(1);
    }

    @Override
    public float start() {
        started = true;
        loss = evaluate();
        return loss;
    }

    @Override
    public float step() {
        if (!started) {
            start();
        }
        if (converged) {
            return loss;
        }
        Storage g = x.grad().data();
        double gAbs = sumAbs(g);
        if (gAbs / n <= options.toleranceGrad()) {
            converged = true;
            return loss;
        }
        double gtd = direction(g);
        if (!(gtd < 0)) {               // not a descent direction: forget the curvature, go downhill
            clearHistory();
            gtd = direction(g);
        }
        double t = options.learningRate();
        if (steps == 0 || history.isEmpty()) {
            t *= Math.min(1.0, 1.0 / gAbs);
        }
        be.copy(g, gOld, n);
        be.copy(x.data(), xOld, n);
        float lossOld = loss;
        float lossNew = Float.NaN;
        for (int tries = 0; ; tries++) {
            be.copy(xOld, x.data(), n);
            be.axpy((float) t, d, x.data(), n);
            lossNew = evaluate();
            boolean armijo = lossNew <= lossOld + options.c1() * t * gtd;
            if (options.lineSearch() == LbfgsOptions.LineSearch.NONE && Float.isFinite(lossNew) || armijo) {
                break;
            }
            if (tries == options.maxBacktracks()) {
                // No decrease even for a tiny step: go back to where we were and restart from -g.
                be.copy(xOld, x.data(), n);
                loss = evaluate();
                clearHistory();
                steps++;
                return loss;
            }
            t *= 0.5;
        }
        remember(x.grad().data(), t);
        steps++;
        if (Math.abs(lossNew - lossOld) < options.toleranceChange()) {
            converged = true;
        }
        loss = lossNew;
        return loss;
    }

    /** d = -H g by the two-loop recursion; returns g.d. */
    private double direction(Storage g) {
        be.copy(g, d, n);
        be.scale(d, -1f, d, n);
        if (!history.isEmpty()) {
            double[] a = new double[history.size()];
            int i = 0;
            for (Pair p : history) {                              // newest .. oldest
                a[i] = p.rho * dot(p.s, d);
                be.axpy((float) -a[i], p.y, d, n);
                i++;
            }
            Pair newest = history.peekFirst();
            double gamma = 1.0 / (newest.rho * dot(newest.y, newest.y));   // s.y / y.y
            be.scale(d, (float) gamma, d, n);
            Iterator<Pair> it = history.descendingIterator();     // oldest .. newest
            for (i = history.size() - 1; it.hasNext(); i--) {
                Pair p = it.next();
                double b = p.rho * dot(p.y, d);
                be.axpy((float) (a[i] - b), p.s, d, n);
            }
        }
        return dot(g, d);
    }

    /** Stores s = t d and y = g_new - g_old when y.s is safely positive. */
    private void remember(Storage gNew, double t) {
        Pair slot;
        if (history.size() == options.historySize()) {
            slot = history.removeLast();                          // reuse the oldest buffers
        } else {
            slot = new Pair(be.allocate(n), be.allocate(n), 0);
        }
        be.scale(d, (float) t, slot.s, n);
        be.copy(gNew, slot.y, n);
        be.axpy(-1f, gOld, slot.y, n);
        double ys = dot(slot.y, slot.s);
        if (ys > 1e-10) {
            history.addFirst(new Pair(slot.s, slot.y, 1.0 / ys));
        } else {
            slot.s.release();
            slot.y.release();
        }
    }

    private void clearHistory() {
        for (Pair p : history) {
            p.s.release();
            p.y.release();
        }
        history.clear();
    }

    private float evaluate() {
        evaluations++;
        return f.evaluate(x);
    }

    private double dot(Storage a, Storage b) {
        be.dot(a, b, n, scalar);
        return be.readScalar(scalar, 0);
    }

    private double sumAbs(Storage a) {
        be.sumAbs(a, n, scalar);
        return be.readScalar(scalar, 0);
    }

    /** How many curvature pairs are held now. */
    public int historyLength() {
        return history.size();
    }

    @Override
    public int evaluations() {
        return evaluations;
    }

    @Override
    public boolean converged() {
        return converged;
    }

    @Override
    public void close() {
        clearHistory();
        d.release();
        gOld.release();
        xOld.release();
        scalar.release();
    }
}
