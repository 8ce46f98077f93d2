package dev.pixelgrad.weights;

import dev.pixelgrad.tensor.io.AtomicFiles;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Downloads a published file into {@code <home>/downloads/<name>.part}, resuming with an HTTP
 * Range request when a previous attempt stopped midway (up to {@link #ATTEMPTS} attempts per call,
 * and across calls since the {@code .part} file stays), checks the sha256 prefix its name
 * carries, and converts it into {@code <home>/<cacheName>.safetensors}. Nothing ever appears under
 * a final name half-written: the download is renamed only once verified, the conversion is atomic.
 * The downloaded original is deleted once converted.
 */
public final class WeightFetcher {
    public static final int ATTEMPTS = 3;

    /** Progress of the download, in bytes. */
    public interface Progress {
        /** total is -1 when unknown; resumedFrom is how much was already there. */
        void start(String url, long total, long resumedFrom);

        void advance(long bytesSoFar);

        void message(String line);

        Progress NONE = new Progress() {
            public void start(String url, long total, long resumedFrom) {
            }

            public void advance(long bytesSoFar) {
            }

            public void message(String line) {
            }
        };
    }

    private WeightFetcher() {
    }

    /** Fetches and converts unless already cached; returns the converted file. */
    public static Path fetch(KnownWeights.Published p, Path home, String mirrorOrNull, Progress progress) throws IOException {
        Path target = home.resolve(p.cacheName() + ".safetensors");
        if (Files.isRegularFile(target)) {
            progress.message(target + " is already cached");
            return target;
        }
        Path downloads = home.resolve("downloads");
        Files.createDirectories(downloads);
        Path done = downloads.resolve(p.fileName());
        if (!Files.isRegularFile(done)) {
            Path part = downloads.resolve(p.fileName() + ".part");
            String url = KnownWeights.url(p, mirrorOrNull);
            IOException last = null;
            for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
                try {
                    download(url, part, progress);
                    last = null;
                    break;
                } catch (IOException e) {
                    last = e;
                    long kept = Files.exists(part) ? Files.size(part) : 0;
                    progress.message("download interrupted (" + describe(e) + "); " + (attempt < ATTEMPTS ? "resuming" : "giving up")
                            + " with " + kept + " bytes kept in " + part);
                }
            }
            if (last != null) {
                throw new IOException(url + ": download failed after " + ATTEMPTS + " attempts (" + describe(last)
                        + "); run the command again to resume from " + part, last);
            }
            String sha = Sha256.of(part);
            if (!sha.startsWith(p.sha256Prefix())) {
                Files.deleteIfExists(part);
                throw new WeightFileException(part, "sha256 " + sha + " does not start with " + p.sha256Prefix() + ", the prefix "
                        + p.fileName() + " is published with; the download is corrupt or the mirror serves another file (deleted it)");
            }
            AtomicFiles.moveIntoPlace(part, done);
        }
        progress.message("converting " + done.getFileName() + " to " + target);
        Converter.convert(done, target, p.arch(), p.preprocessing(), false);
        Files.deleteIfExists(done);
        return target;
    }

    /** "UnknownHostException: download.pytorch.org" says more than the bare host name. */
    private static String describe(IOException e) {
        return e.getClass().getSimpleName() + ": " + e.getMessage();
    }

    private static void download(String url, Path part, Progress progress) throws IOException {
        long have = Files.exists(part) ? Files.size(part) : 0;
        HttpURLConnection c = (HttpURLConnection) new URL(url).openConnection();
        c.setConnectTimeout(30_000);
        c.setReadTimeout(60_000);
        if (have > 0) {
            c.setRequestProperty("Range", "bytes=" + have + "-");
        }
        int code = c.getResponseCode();
        boolean append;
        if (code == HttpURLConnection.HTTP_PARTIAL) {
            append = true;
        } else if (code == HttpURLConnection.HTTP_OK) {
            append = false; // server ignored the range: start over
            have = 0;
        } else if (code == 416 && have > 0) {
            c.disconnect();
            return; // nothing left to fetch; the hash check decides whether it is whole
        } else {
            c.disconnect();
            throw new WeightFileException(part, url + " answered HTTP " + code + "; expected 200 or 206 (check the URL or "
                    + KnownWeights.MIRROR_ENV + ")");
        }
        long length = c.getContentLengthLong();
        progress.start(url, length < 0 ? -1 : have + length, have);
        try (InputStream in = c.getInputStream();
             OutputStream out = Files.newOutputStream(part, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                     append ? StandardOpenOption.APPEND : StandardOpenOption.TRUNCATE_EXISTING)) {
            byte[] buf = new byte[1 << 16];
            long got = have;
            for (int n; (n = in.read(buf)) > 0; ) {
                out.write(buf, 0, n);
                got += n;
                progress.advance(got);
            }
            if (length >= 0 && got != have + length) {
                throw new IOException("connection closed after " + got + " of " + (have + length) + " bytes");
            }
        }
    }
}
