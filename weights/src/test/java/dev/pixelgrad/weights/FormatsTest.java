package dev.pixelgrad.weights;

import dev.pixelgrad.nn.Preprocessing;
import dev.pixelgrad.nn.VggSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every format holding the same network loads to the same parameters. */
class FormatsTest {
    static final VggSpec TINY16 = new VggSpec(VggSpec.Arch.VGG16, new int[]{4, 8, 8, 16, 16}, 32, 10);
    static final VggSpec TINY19 = new VggSpec(VggSpec.Arch.VGG19, new int[]{4, 8, 8, 16, 16}, 32, 10);

    static LoadedWeights load(String name) {
        return VggWeights.read(Fixtures.path(name), null, null);
    }

    @Test
    void zipFormatIsReadWithTorchvisionNamesAndDetectedWidths() {
        LoadedWeights w = load("tiny_vgg16.pth");
        assertEquals(WeightFormat.TORCH_ZIP, w.format());
        assertEquals(TINY16, w.spec());
        assertEquals(32, w.parameters().size());
        assertEquals("conv1_1.weight", w.parameters().keySet().iterator().next());
        assertArrayEquals(new int[]{32, 16 * 49}, w.parameters().get("fc6.weight").shape());
        assertEquals(Preprocessing.TORCHVISION, w.preprocessing());
        assertEquals(64, w.sourceSha256().length());
    }

    @ParameterizedTest
    @ValueSource(strings = {"tiny_vgg16_legacy.pth", "tiny_vgg16_f64.pth", "tiny_vgg16_shared.pth", "tiny_vgg16_timm.safetensors",
            "tiny_vgg16.caffemodel"})
    void exactFormatsMatchTheZipFile(String name) {
        assertSameParameters(load("tiny_vgg16.pth").parameters(), load(name), 0);
    }

    @Test
    void halfPrecisionFilesAreWidened() {
        Map<String, RawTensor> ref = load("tiny_vgg16.pth").parameters();
        LoadedWeights f16 = load("tiny_vgg16_f16.pth");
        assertEquals(DType.F16, f16.parameters().get("conv1_1.weight").dtype());
        assertSameParameters(ref, f16, 1.0 / 1024);
        LoadedWeights bf16 = load("tiny_vgg16_bf16_legacy.pth");
        assertEquals(DType.BF16, bf16.parameters().get("conv1_1.weight").dtype());
        assertSameParameters(ref, bf16, 1.0 / 128);
    }

    @Test
    void vgg19ZipAndCaffeLayerFormatAgree() {
        LoadedWeights zip = load("tiny_vgg19.pth");
        assertEquals(TINY19, zip.spec());
        LoadedWeights caffe = load("tiny_vgg19.caffemodel");
        assertEquals(WeightFormat.CAFFEMODEL, caffe.format());
        assertEquals(Preprocessing.CAFFE, caffe.preprocessing());
        assertSameParameters(zip.parameters(), caffe, 0);
    }

    @Test
    void overridesWin() {
        LoadedWeights w = VggWeights.read(Fixtures.path("tiny_vgg16.caffemodel"), VggSpec.Arch.VGG16, Preprocessing.TORCHVISION);
        assertEquals(Preprocessing.TORCHVISION, w.preprocessing());
        assertEquals("given on the command line", w.preprocessingReason());
    }

    @Test
    void halfConversionRoundTrips() {
        for (float f : new float[]{0f, -0f, 1f, -2.5f, 65504f, 6.1035156e-5f, 5.9604645e-8f, 0.1f, 3.14159f, 1e-6f}) {
            float back = DType.halfToFloat(DType.floatToHalf(f));
            assertEquals(f, back, Math.abs(f) / 1024 + 6e-8f, "half round trip of " + f);
        }
        assertTrue(Float.isInfinite(DType.halfToFloat(DType.floatToHalf(1e6f))));
        assertTrue(Float.isNaN(DType.halfToFloat(DType.floatToHalf(Float.NaN))));
    }

    static void assertSameParameters(Map<String, RawTensor> ref, LoadedWeights w, double relTol) {
        assertEquals(ref.keySet(), w.parameters().keySet(), w.file() + ": parameter names");
        for (RawTensor r : ref.values()) {
            RawTensor t = w.parameters().get(r.name());
            assertArrayEquals(r.shape(), t.shape(), w.file() + ": shape of " + r.name());
            if (relTol == 0) {
                assertArrayEquals(r.data(), t.data(), w.file() + ": values of " + r.name());
            } else {
                for (int i = 0; i < r.data().length; i++) {
                    assertEquals(r.data()[i], t.data()[i], Math.abs(r.data()[i]) * relTol + 1e-7, w.file() + ": " + r.name() + "[" + i + "]");
                }
            }
        }
    }
}
