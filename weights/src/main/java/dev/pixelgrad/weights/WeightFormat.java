package dev.pixelgrad.weights;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.Locale;

/**
 * The weight file formats Pixelgrad reads, recognised from their first bytes (never from the
 * file name alone, except that a Caffe model has no magic and is accepted by its extension or by
 * a first protobuf tag that a NetParameter can start with).
 */
public enum WeightFormat {
    /** torch.save since PyTorch 1.6: a zip holding {@code <prefix>/data.pkl} and {@code <prefix>/data/<key>}. */
    TORCH_ZIP("PyTorch zip (.pth)"),
    /** torch.save with {@code _use_new_zipfile_serialization=False}: pickles followed by raw storages. */
    TORCH_LEGACY("PyTorch legacy (.pth)"),
    /** safetensors: 8-byte little-endian header length, JSON header, raw data. */
    SAFETENSORS("safetensors"),
    /** Caffe NetParameter in protobuf wire format. */
    CAFFEMODEL("Caffe .caffemodel");

    private final String description;

    WeightFormat(String description) {
        this.description = description;
    }

    public String description() {
        return description;
    }

    /** Reads every tensor of the file in this format (no code from the file is ever run). */
    public SourceWeights read(Path file) {
        return switch (this) {
            case TORCH_ZIP -> TorchZipReader.read(file);
            case TORCH_LEGACY -> TorchLegacyReader.read(file);
            case SAFETENSORS -> SafetensorsReader.read(file);
            case CAFFEMODEL -> CaffeModelReader.read(file);
        };
    }

    /** Detects and reads. */
    public static SourceWeights readAny(Path file) {
        return detect(file).read(file);
    }

    /** Recognises the format from the first bytes of the file. */
    public static WeightFormat detect(Path file) {
        byte[] head = new byte[16];
        long size;
        int n;
        try (InputStream in = Files.newInputStream(file)) {
            size = Files.size(file);
            n = in.readNBytes(head, 0, head.length);
        } catch (java.nio.file.NoSuchFileException e) {
            throw new WeightFileException(file, "no such file");
        } catch (IOException e) {
            throw new WeightFileException(file, "cannot read: " + e.getMessage(), e);
        }
        if (n >= 4 && head[0] == 'P' && head[1] == 'K' && head[2] == 3 && head[3] == 4) {
            return TORCH_ZIP;
        }
        if (n >= 2 && (head[0] & 0xff) == 0x80 && head[1] == 2) {
            return TORCH_LEGACY;
        }
        if (n >= 9) {
            long headerLen = ByteBuffer.wrap(head, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
            if (headerLen > 1 && headerLen <= size - 8 && head[8] == '{') {
                return SAFETENSORS;
            }
            if (headerLen > 1 && headerLen < (1L << 32) && head[8] == '{') {
                throw new WeightFileException(file, "a truncated safetensors file: its header alone claims " + (8 + headerLen)
                        + " bytes and the file has " + size + "; copy or download it again");
            }
        }
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        int first = n > 0 ? head[0] & 0xff : -1;
        // NetParameter fields: name (1) and layers (2) length-delimited, or layer (100): tag 0xa2 0x06
        if (name.endsWith(".caffemodel") || first == 0x0a || first == 0x12 || (first == 0xa2 && n > 1 && head[1] == 6)) {
            return CAFFEMODEL;
        }
        throw new WeightFileException(file, "unrecognised weight file (first bytes " + HexFormat.of().formatHex(head, 0, n)
                + "); expected a PyTorch .pth (zip or legacy), a .safetensors or a Caffe .caffemodel file");
    }
}
