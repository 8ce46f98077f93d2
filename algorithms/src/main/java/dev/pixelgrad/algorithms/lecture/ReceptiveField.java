package dev.pixelgrad.algorithms.lecture;

import dev.pixelgrad.nn.VggLayer;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Which input pixels one unit of a VGG layer sees. Walking the layers from the image:
 * <pre>
 *   3x3 conv, stride 1, pad 1:  size += 2 * jump     first -= jump     (jump unchanged)
 *   2x2 pool, stride 2:         size += jump         (first unchanged)  jump *= 2
 *   ReLU:                       unchanged
 * </pre>
 * where {@code jump} is the distance in pixels between neighbouring units and {@code first} the
 * top-left pixel of unit 0's field (negative: it reaches into the padding). Unit (y, x) then sees
 * rows {@code first + y * jump} to {@code first + y * jump + size - 1}, and columns alike.
 *
 * @param size  side of the square field, in pixels
 * @param jump  pixels between neighbouring units (the product of the strides)
 * @param first top-left pixel of unit 0's field
 */
public record ReceptiveField(int size, int jump, int first) {
    private static final ReceptiveField PIXEL = new ReceptiveField(1, 1, 0);

    /**
     * The field of every spatial layer in network order (the fully connected layers, which see the
     * whole image, are left out).
     */
    public static Map<String, ReceptiveField> of(List<VggLayer> layers) {
        Map<String, ReceptiveField> fields = new LinkedHashMap<>();
        ReceptiveField f = PIXEL;
        for (VggLayer layer : layers) {
            f = switch (layer.kind()) {
                case CONV -> new ReceptiveField(f.size + 2 * f.jump, f.jump, f.first - f.jump);
                case POOL -> new ReceptiveField(f.size + f.jump, 2 * f.jump, f.first);
                case RELU -> f;
                case FC -> null;
            };
            if (f == null) {
                break;
            }
            fields.put(layer.name(), f);
        }
        return fields;
    }

    /** First pixel of unit {@code i}'s field along one axis (before clipping to the image). */
    public int start(int i) {
        return first + i * jump;
    }

    /**
     * Unit (y, x)'s field clipped to an h x w image: {top, left, height, width}.
     */
    public int[] clippedBox(int y, int x, int h, int w) {
        int top = Math.max(0, start(y)), left = Math.max(0, start(x));
        int bottom = Math.min(h, start(y) + size), right = Math.min(w, start(x) + size);
        return new int[]{top, left, bottom - top, right - left};
    }
}
