package dev.pixelgrad.weights;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** The 1000 ImageNet class names in torchvision's order (index = fc8 output). */
public final class ImageNetClasses {
    private static volatile List<String> names;

    private ImageNetClasses() {
    }

    public static List<String> names() {
        if (names == null) {
            try (InputStream in = ImageNetClasses.class.getResourceAsStream("imagenet_classes.txt")) {
                if (in == null) {
                    throw new IllegalStateException("imagenet_classes.txt is missing from the weights jar");
                }
                names = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)).lines().filter(s -> !s.isEmpty()).toList();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return names;
    }

    /** The name of class i for a network with {@code classes} outputs ("class i" unless it is ImageNet's 1000). */
    public static String name(int i, int classes) {
        return classes == 1000 ? names().get(i) : "class " + i;
    }
}
