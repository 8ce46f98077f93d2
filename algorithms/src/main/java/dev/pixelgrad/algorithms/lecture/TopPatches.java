package dev.pixelgrad.algorithms.lecture;

import dev.pixelgrad.algorithms.image.Resampling;
import dev.pixelgrad.algorithms.image.RgbImage;
import dev.pixelgrad.nn.Vgg;
import dev.pixelgrad.nn.VggLayer;
import dev.pixelgrad.tensor.Backend;
import dev.pixelgrad.tensor.Grad;
import dev.pixelgrad.tensor.Tensor;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * The maximally activating patches of one channel (Zeiler and Fergus 2014, figure 2; Girshick et
 * al. 2014): run every image to the layer, keep the strongest activations of the channel over all
 * positions of all images, and show for each the pixels its unit sees, its {@link ReceptiveField}.
 * Images are added one at a time, so a folder of any length needs only the best few crops in memory.
 */
public final class TopPatches {
    /**
     * One activation and what its unit sees.
     *
     * @param image the image's name
     * @param y     row of the unit in the layer's map
     * @param x     column of the unit
     * @param box   the field in the image, clipped to it: {top, left, height, width}
     * @param crop  those pixels
     */
    public record Patch(String image, int y, int x, float activation, int[] box, RgbImage crop) {
    }

    /** Strongest first; the sort is stable, so among equals the earlier image, then row, then column. */
    private static final Comparator<Patch> RANK = Comparator.comparingDouble((Patch p) -> -p.activation());

    private final Vgg vgg;
    private final Backend backend;
    private final String layer;
    private final int channel, top;
    private final ReceptiveField field;
    private final List<Patch> best = new ArrayList<>();

    /**
     * @throws IllegalArgumentException for an unknown layer (listing the valid ones), a fully
     *                                  connected layer, or a channel the layer does not have
     */
    public TopPatches(Vgg vgg, String layer, int channel, int top) {
        vgg.checkLayer(layer);
        Map<String, ReceptiveField> fields = ReceptiveField.of(vgg.spec().layers(vgg.hasClassifier()));
        if (!fields.containsKey(layer)) {
            throw new IllegalArgumentException("--layer " + layer + ": a fully connected layer has no positions in the image; "
                    + "choose a conv, relu or pool layer (" + String.join(", ", fields.keySet()) + ")");
        }
        int channels = channels(vgg, layer);
        if (channel < 0 || channel >= channels) {
            throw new IllegalArgumentException("--channel " + channel + ": " + layer + " has " + channels + " channels (0 to "
                    + (channels - 1) + ")");
        }
        if (top < 1) {
            throw new IllegalArgumentException("--top " + top + ": need at least 1 patch");
        }
        this.vgg = vgg;
        this.backend = vgg.backend();
        this.layer = layer;
        this.channel = channel;
        this.top = top;
        this.field = fields.get(layer);
    }

    /** Output channels of a layer, from the network's layer list. */
    public static int channels(Vgg vgg, String layer) {
        return vgg.spec().layers(vgg.hasClassifier()).stream().filter(l -> l.name().equals(layer)).findFirst()
                .map(VggLayer::out).orElseThrow(() -> new IllegalArgumentException("unknown layer " + layer));
    }

    public ReceptiveField field() {
        return field;
    }

    /** Runs one image (RGB in [0, 1]) to the layer and keeps its activations that rank among the best so far. */
    public void add(String name, RgbImage image) {
        int h = image.height(), w = image.width();
        float[] map;
        int mh, mw;
        try (Grad.Scope ignored = Grad.disabled();
             Tensor x = vgg.preprocessing().fromRgb(image.rgb(), h, w, backend)) {
            Map<String, Tensor> out = vgg.forward(x, List.of(layer));
            Tensor a = out.get(layer);   // (1, C, mh, mw)
            mh = a.shape().dim(2);
            mw = a.shape().dim(3);
            float[] all = a.toArray();
            map = java.util.Arrays.copyOfRange(all, channel * mh * mw, (channel + 1) * mh * mw);
            out.values().forEach(Tensor::close);
        }
        Integer[] order = new Integer[mh * mw];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        final float[] m = map;
        java.util.Arrays.sort(order, Comparator.comparingDouble((Integer i) -> -m[i]).thenComparingInt(i -> i));
        for (int r = 0; r < Math.min(top, order.length); r++) {
            int y = order[r] / mw, xx = order[r] % mw;
            if (best.size() == top && map[order[r]] <= best.get(top - 1).activation()) {
                break;   // ties keep the earlier image
            }
            int[] box = field.clippedBox(y, xx, h, w);
            best.add(new Patch(name, y, xx, map[order[r]], box, image.crop(box[0], box[1], box[2], box[3])));
            best.sort(RANK);   // stable: an earlier image stays ahead of an equal later one
            if (best.size() > top) {
                best.remove(top);
            }
        }
    }

    /**
     * A patch on a side x side square that stands for its whole field: the crop scaled by
     * side / field size and placed where it lies in the field, the part of the field outside the
     * image (clipped off at a border) left dark grey. Every tile has the same scale.
     */
    public RgbImage tile(Patch p, int side) {
        double f = (double) side / field.size();
        int[] b = p.box();
        int th = Math.max(1, (int) Math.round(b[2] * f)), tw = Math.max(1, (int) Math.round(b[3] * f));
        int ty = Math.min(side - th, (int) Math.round((b[0] - field.start(p.y())) * f));
        int tx = Math.min(side - tw, (int) Math.round((b[1] - field.start(p.x())) * f));
        RgbImage scaled = Resampling.resize(p.crop(), th, tw);
        float[] rgb = new float[3 * side * side];
        java.util.Arrays.fill(rgb, 0.2f);
        for (int c = 0; c < 3; c++) {
            for (int y = 0; y < th; y++) {
                System.arraycopy(scaled.rgb(), (c * th + y) * tw, rgb, (c * side + ty + y) * side + tx, tw);
            }
        }
        return new RgbImage(rgb, side, side);
    }

    /** The best patches so far, strongest first. */
    public List<Patch> ranked() {
        return List.copyOf(best);
    }
}
