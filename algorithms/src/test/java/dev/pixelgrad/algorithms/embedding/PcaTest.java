package dev.pixelgrad.algorithms.embedding;

import dev.pixelgrad.tensor.testing.Npy;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** PCA against numpy's SVD (fixtures from make_pca_fixtures.py), and its round trip. */
class PcaTest {
    private static final Path DIR = Path.of("src/test/resources/fixtures/pca");

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

    @ParameterizedTest
    @ValueSource(strings = {"tall", "wide"})
    void componentsAndVarianceRatiosAreNumpys(String name) {
        Pca pca = Pca.fit(rows(Npy.read(DIR.resolve(name + "_x.npy"))));
        double[][] expected = rows(Npy.read(DIR.resolve(name + "_components.npy")));
        float[] ratio = Npy.read(DIR.resolve(name + "_ratio.npy")).data();
        double[][] got = pca.components();
        double[] gotRatio = pca.explainedVarianceRatio();
        // the strong directions are well separated; the noise ones of the tall case are not, so only the first 3 compare
        for (int i = 0; i < 3; i++) {
            double dot = 0;
            for (int j = 0; j < expected[i].length; j++) {
                dot += got[i][j] * expected[i][j];
                assertEquals(expected[i][j], got[i][j], 1e-4, name + " component " + i + " entry " + j + " (same sign convention)");
            }
            assertEquals(1.0, dot, 1e-6, name + " component " + i);
        }
        for (int i = 0; i < ratio.length; i++) {
            assertEquals(ratio[i], gotRatio[i], 1e-4, name + " variance ratio " + i);
        }
        for (int i = 1; i < gotRatio.length; i++) {
            assertTrue(gotRatio[i] <= gotRatio[i - 1], "descending order");
        }
    }

    @Test
    void inverseOfTransformWithAllComponentsIsTheData() {
        double[][] x = rows(Npy.read(DIR.resolve("tall_x.npy")));
        Pca pca = Pca.fit(x);
        double[][] back = pca.inverseTransform(pca.transform(x, pca.components().length));
        for (int i = 0; i < x.length; i++) {
            for (int j = 0; j < x[i].length; j++) {
                assertEquals(x[i][j], back[i][j], 1e-9 * (1 + Math.abs(x[i][j])));
            }
        }
        // with fewer components the projection loses only the small directions
        double[][] z = pca.transform(x, 3);
        assertEquals(3, z[0].length);
        double mean0 = 0;
        for (double[] r : z) {
            mean0 += r[0] / z.length;
        }
        assertEquals(0.0, mean0, 1e-9, "coordinates are centred");
    }

    @Test
    void badInputIsNamed() {
        assertThrows(IllegalArgumentException.class, () -> Pca.fit(new double[][]{{1, 2}}));
        IllegalArgumentException ragged = assertThrows(IllegalArgumentException.class, () -> Pca.fit(new double[][]{{1, 2}, {3}}));
        assertTrue(ragged.getMessage().contains("sample 1 has 1 values, sample 0 has 2"), ragged.getMessage());
        IllegalArgumentException nan = assertThrows(IllegalArgumentException.class, () -> Pca.fit(new double[][]{{1, 2}, {3, Double.NaN}}));
        assertTrue(nan.getMessage().contains("sample 1 holds NaN"), nan.getMessage());
        Pca pca = Pca.fit(new double[][]{{1, 2}, {3, 5}, {0, 1}});
        assertThrows(IllegalArgumentException.class, () -> pca.transform(new double[][]{{1, 2}}, 3));
        assertThrows(IllegalArgumentException.class, () -> pca.transform(new double[][]{{1, 2, 3}}, 1));
    }
}
