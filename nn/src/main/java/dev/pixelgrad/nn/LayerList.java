package dev.pixelgrad.nn;

import java.util.ArrayList;
import java.util.List;

/**
 * The one parser of layer lists as the command line writes them: names, {@code relu1_1,relu2_1},
 * or names with weights, {@code relu4_2:1,relu5_1:0.5}. Text becomes checked layer names once, at
 * the boundary; an unknown name is an error listing the valid ones. What a missing weight means is
 * the caller's to say (each loss has its own default).
 */
public final class LayerList {

    /** A layer of the network and the weight written after its colon, or null where none is. */
    public record Entry(String name, Float weight) {
    }

    private LayerList() {
    }

    /** Parses {@code name[:weight],...} in the order written; blank items are skipped. */
    public static List<Entry> parse(String text, Vgg vgg) {
        List<Entry> entries = new ArrayList<>();
        for (String item : text.split(",")) {
            if (!item.isBlank()) {
                entries.add(entry(item, vgg));
            }
        }
        if (entries.isEmpty()) {
            throw new IllegalArgumentException("layers: none given; valid layers: " + String.join(", ", vgg.layerNames()));
        }
        return entries;
    }

    /** Parses {@code name,...}, a list that takes no weights. */
    public static List<String> parseNames(String text, Vgg vgg) {
        List<String> names = new ArrayList<>();
        for (Entry e : parse(text, vgg)) {
            if (e.weight() != null) {
                throw new IllegalArgumentException("layers: " + e.name() + " has a weight (" + e.weight()
                        + ") but this list takes names only; write e.g. relu1_1,relu4_1");
            }
            names.add(e.name());
        }
        return names;
    }

    private static Entry entry(String item, Vgg vgg) {
        String[] kv = item.trim().split(":");
        String name = vgg.checkLayer(kv[0].trim());
        if (kv.length == 1) {
            return new Entry(name, null);
        }
        if (kv.length > 2) {
            throw new IllegalArgumentException("layers: cannot read '" + item + "'; write name or name:weight, e.g. relu4_2:1");
        }
        try {
            return new Entry(name, Float.parseFloat(kv[1].trim()));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("layers: weight of " + name + " is '" + kv[1] + "', not a number; write e.g. "
                    + name + ":0.5");
        }
    }
}
