package dev.pixelgrad.tensor;

import dev.pixelgrad.tensor.testing.GradCheck;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The checker itself: it must pass a correct backward and catch a wrong one. */
class GradCheckSelfTest {

    /** y = 3x with a backward that forgets a border element: the kind of bug the suite exists for. */
    static final class LeakyTriple extends Op {
        static Tensor apply(Tensor x) {
            Tensor y = Tensor.zeros(x.shape(), x.backend());
            x.backend().scale(x.data(), 3f, y.data(), x.numel());
            return new LeakyTriple().record(y, x);
        }

        @Override
        protected void backward(Tensor dy) {
            // forward: y = 3x  =>  dx = 3 dy, except the last element is dropped (on purpose)
            dy.backend().axpy(3f, dy.data(), gradOf(0), dy.numel() - 1);
        }

        @Override
        public String name() {
            return "leaky_triple";
        }
    }

    @Test
    void catchesAWrongBackwardAndSaysWhere() {
        GradCheck g = new GradCheck(Backends.java(), 1);
        AssertionError e = assertThrows(AssertionError.class,
                () -> g.check("leaky_triple", t -> LeakyTriple.apply(t[0]), 0.1, 1e-3, g.uniform(2, 3)));
        assertTrue(e.getMessage().contains("worst element 5"), e.getMessage());
        assertTrue(e.getMessage().contains("analytic 0"), e.getMessage());
    }

    @Test
    void passesACorrectBackwardWithASmallError() {
        GradCheck g = new GradCheck(Backends.java(), 1);
        List<GradCheck.Result> r = g.check("conv2d", t -> Ops.conv2d(t[0], t[1], null, Conv2dSpec.of(1, 1)),
                0.1, 1e-3, g.uniform(1, 2, 4, 3), g.uniform(2, 2, 3, 3));
        assertTrue(r.size() == 2 && r.get(0).relativeError() < 1e-4 && r.get(1).relativeError() < 1e-4, r.toString());
    }

    @Test
    void constantInputsAreNotChecked() {
        GradCheck g = new GradCheck(Backends.java(), 1);
        List<GradCheck.Result> r = g.check("mul", t -> t[0].mul(t[1]), 0.1, 1e-3, g.uniform(3), g.uniform(3).constant());
        assertTrue(r.size() == 1 && r.get(0).input() == 0, r.toString());
    }
}
