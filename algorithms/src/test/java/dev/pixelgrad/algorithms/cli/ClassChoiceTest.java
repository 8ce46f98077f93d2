package dev.pixelgrad.algorithms.cli;

import dev.pixelgrad.algorithms.lecture.Classifier;
import dev.pixelgrad.algorithms.lecture.TinyClassifier;
import dev.pixelgrad.nn.PoolingMode;
import dev.pixelgrad.nn.Preprocessing;
import dev.pixelgrad.nn.Vgg;
import dev.pixelgrad.tensor.Backends;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ClassChoiceTest {
    private final Classifier classifier = TinyClassifier.classifier(Backends.java(), 1);

    @Test
    void numbersAndNamesInAnyCase() {
        assertEquals(281, ClassChoice.parse("--class", "281", classifier));
        assertEquals(281, ClassChoice.parse("--class", "Tabby", classifier));
        assertEquals(285, ClassChoice.parse("--class", "egyptian cat", classifier));
        assertEquals("tabby", classifier.name(281));
    }

    @Test
    void aNumberOutOfRangeSaysTheRange() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ClassChoice.parse("--class", "1000", classifier));
        assertTrue(e.getMessage().contains("0 to 999"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ClassChoice.parse("--class", "-1", classifier));
    }

    @Test
    void anUnknownNameListsTheClosest() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ClassChoice.parse("--target", "tabby kat", classifier));
        assertTrue(e.getMessage().startsWith("--target 'tabby kat': no class of that name; the closest are 'tabby' (281)"), e.getMessage());
    }

    @Test
    void weightsWithoutTheClassifierAreRefusedSayingWhichHaveIt() {
        Vgg convOnly = Vgg.of(TinyClassifier.spec(), Vgg.randomParameters(TinyClassifier.spec(), false, Backends.java(), 1),
                Preprocessing.TORCHVISION, PoolingMode.MAX);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Classifier.of(convOnly, "saliency"));
        assertTrue(e.getMessage().startsWith("saliency needs VGG weights with the classifier (fc6, fc7, fc8)"), e.getMessage());
        assertTrue(e.getMessage().contains("vgg19-dcbb9e9d.pth"), e.getMessage());
    }
}
