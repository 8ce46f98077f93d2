package dev.pixelgrad.algorithms.embedding;

import dev.pixelgrad.tensor.testing.Npy;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Pca agrees with NumPy's SVD of the same centred data. Regenerate the references with
 * {@code python3 algorithms/src/test/python/make_pca_fixtures.py}.
 */
class PcaTest {
    private static final Path DIR = Path.of("src/test/resources/fixtures/pca");
    private static final String REGENERATE = " (regenerate: python3 algorithms/src/test/python/make_pca_fixtures.py)";

    /** tall: 60 x 12, all 12 components; wide: 7 x 20, the 7th component is arbitrary (no variance). */
    @ParameterizedTest
    @CsvSource({"tall, 12", "wide, 6"})
    void matchesNumpy(String name, int meaningful) {
        double[][] x = rows(Npy.read(DIR.resolve(name + "_x.npy")));
        double[][] expected = rows(Npy.read(DIR.resolve(name + "_components.npy")));
        float[] ratio = Npy.read(DIR.resolve(name + "_ratio.npy")).data();
        float[] variance = Npy.read(DIR.resolve(name + "_variance.npy")).data();

        Pca pca = Pca.fit(x);
        double[][] components = pca.components();
        assertEquals(x[0].length, pca.dimensions());
        assertEquals(Math.min(x.length, x[0].length), components.length, name + ": component count");
        for (int c = 0; c < meaningful; c++) {
            double dot = dot(components[c], expected[c]);
            assertEquals(1, Math.abs(dot), 1e-4, name + ": |component " + c + " . numpy's|" + REGENERATE);
            // the sign convention is fixed on both sides: largest-magnitude entry positive
            assertTrue(dot > 0, name + ": component " + c + " has the opposite sign to numpy's");
            assertEquals(1, dot(components[c], components[c]), 1e-9, name + ": component " + c + " is not unit");
            assertEquals(ratio[c], pca.explainedVarianceRatio()[c], 1e-4, name + ": ratio " + c + REGENERATE);
            assertEquals(variance[c], pca.explainedVariance()[c], 1e-4 * Math.max(1, variance[c]),
                    name + ": variance " + c + REGENERATE);
        }
        double[] v = pca.explainedVariance();
        for (int c = 1; c < v.length; c++) {
            assertTrue(v[c] <= v[c - 1], name + ": variance not descending at " + c);
        }
        double sum = 0;
        for (double r : pca.explainedVarianceRatio()) {
            sum += r;
        }
        assertEquals(1, sum, 1e-9);
    }

    @ParameterizedTest
    @CsvSource({"tall", "wide"})
    void inverseOfTransformWithAllComponentsIsTheIdentity(String name) {
        double[][] x = rows(Npy.read(DIR.resolve(name + "_x.npy")));
        Pca pca = Pca.fit(x);
        double[][] back = pca.inverseTransform(pca.transform(x, pca.components().length));
        for (int i = 0; i < x.length; i++) {
            for (int j = 0; j < x[0].length; j++) {
                assertEquals(x[i][j], back[i][j], 1e-9, name + " [" + i + "][" + j + "]");
            }
        }
    }

    @Test
    void transformCentresAndProjects() {
        double[][] x = {{1, 2}, {3, 2}, {5, 2}};
        Pca pca = Pca.fit(x);
        assertEquals(2, pca.mean()[1], 1e-12);
        assertEquals(1, pca.components()[0][0], 1e-12);
        double[][] z = pca.transform(x, 1);
        assertEquals(-2, z[0][0], 1e-12);
        assertEquals(2, z[2][0], 1e-12);
        assertEquals(4, pca.explainedVariance()[0], 1e-12);   // (4 + 0 + 4) / (3 - 1)
        assertEquals(1, pca.explainedVarianceRatio()[0], 1e-12);
        // one component reconstructs the points exactly: they lie on a line
        assertEquals(5, pca.inverseTransform(z)[2][0], 1e-12);
        assertEquals(2, pca.inverseTransform(z)[2][1], 1e-12);
    }

    @Test
    void constantDataHasNoVarianceAndNoNaN() {
        Pca pca = Pca.fit(new double[][] {{1, 1, 1}, {1, 1, 1}});
        for (double r : pca.explainedVarianceRatio()) {
            assertEquals(0, r);
        }
        Pca one = Pca.fit(new double[][] {{4, 5}});
        assertEquals(0, one.explainedVariance()[0]);
    }

    @Test
    void rejectsBadInput() {
        assertMessage(() -> Pca.fit(new double[0][]), "no rows");
        assertMessage(() -> Pca.fit(new double[][] {{}, {}}), "no values");
        assertMessage(() -> Pca.fit(new double[][] {{1, 2}, {3}}), "row 1 has 1 values; expected 2");
        assertMessage(() -> Pca.fit(new double[][] {{1, Double.NaN}}), "finite");
        Pca pca = Pca.fit(new double[][] {{1, 2, 3}, {3, 2, 1}, {0, 0, 1}});
        assertMessage(() -> pca.transform(new double[][] {{1, 2}}, 1), "expected 3");
        assertMessage(() -> pca.transform(new double[][] {{1, 2, 3}}, 4), "k=4");
        assertMessage(() -> pca.transform(new double[][] {{1, 2, 3}}, 0), "k=0");
        assertMessage(() -> pca.inverseTransform(new double[][] {{1, 2, 3, 4}}), "only 3 components");
        assertMessage(() -> pca.inverseTransform(new double[][] {{1, 2}, {1}}), "row 1");
    }

    private static void assertMessage(Runnable r, String part) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, r::run);
        assertTrue(e.getMessage().contains(part), e.getMessage());
    }

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    private static double[][] rows(Npy.Array a) {
        int n = a.shape()[0], d = a.shape()[1];
        double[][] r = new double[n][d];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < d; j++) {
                r[i][j] = a.data()[i * d + j];
            }
        }
        return r;
    }
}
