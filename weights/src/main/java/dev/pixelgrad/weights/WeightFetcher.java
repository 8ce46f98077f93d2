package dev.pixelgrad.weights;

import dev.pixelgrad.tensor.io.AtomicFiles;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Locale;

/**
 * Downloads a published file into {@code <home>/downloads/<name>.part}, resuming with an HTTP
 * Range request when an attempt stopped midway after bytes had arrived (up to {@link #ATTEMPTS}
 * attempts per call, and across calls since the {@code .part} file stays), checks the sha256
 * prefix its name carries, and converts it into {@code <home>/<cacheName>.safetensors}. Nothing
 * ever appears under a final name half-written: the download is renamed only once verified, the
 * conversion is atomic. The downloaded original is deleted once converted.
 *
 * <p>A {@code file:} mirror is a folder holding the published files: the file is checked and
 * converted where it lies, as {@code pixelgrad weights import} does ({@link WeightImport}).
 * An attempt that gets no byte (host unknown, connection refused, HTTP error) is not repeated:
 * the failure says how to get the file by hand instead.
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

    /**
     * Fetches and converts unless already cached; returns the converted file.
     *
     * @param mirrorOrNull base URL ({@code http://}, {@code https://} or {@code file:///}) replacing the
     *                     published location, see {@link KnownWeights#mirror()}
     * @throws IOException whose message names the file, the URL, why, and the ways to get it offline
     */
    public static Path fetch(KnownWeights.Published p, Path home, String mirrorOrNull, Progress progress) throws IOException {
        Path target = home.resolve(p.cacheName() + ".safetensors");
        if (Files.isRegularFile(target)) {
            progress.message(target + " is already cached");
            return target;
        }
        String url = KnownWeights.url(p, folderAsUrl(mirrorOrNull));
        URI uri = location(url, mirrorOrNull);
        if (uri.getScheme().equalsIgnoreCase("file")) {
            return fromFolder(p, Path.of(uri), url, home, progress);
        }
        Path downloads = home.resolve("downloads");
        Path done = downloads.resolve(p.fileName());
        if (!Files.isRegularFile(done)) {
            Path part = downloads.resolve(p.fileName() + ".part");
            downloadResuming(p, url, part, progress);
            String sha = Sha256.of(part);
            if (!sha.startsWith(p.sha256Prefix())) {
                Files.deleteIfExists(part);  // another file, not the start of this one: nothing to resume
            }
            WeightImport.requirePrefix(part, sha, p.sha256Prefix(), "the prefix " + p.fileName()
                    + " is published with; the download is corrupt or the mirror serves another file (deleted it)");
            AtomicFiles.moveIntoPlace(part, done);
        }
        Path converted = WeightImport.install(done, p, home, progress);
        Files.deleteIfExists(done);
        return converted;
    }

    /**
     * What to do when the file cannot be fetched from {@code triedUrl}: get it by hand, then import
     * it or use it directly, or point the mirror at a copy. Indented lines, to follow the error's first line.
     */
    static String offlineHelp(KnownWeights.Published p, String triedUrl) {
        String where = triedUrl.equals(p.url()) ? "" : " (published at " + p.url() + ")";
        return "  offline? copy " + p.fileName() + where + " onto this machine, then either\n"
                + "    pixelgrad weights import FILE   checks its sha256 and converts it into the cache, once, or\n"
                + "    --weights FILE                  uses it directly on any command (any .pth, .safetensors or .caffemodel works)\n"
                + "  or set " + KnownWeights.MIRROR_ENV + " to a folder or server that holds it (file:///srv/weights, http://host/weights)";
    }

    /** A {@code file:} mirror: check and convert the folder's copy in place (no download, nothing to resume). */
    private static Path fromFolder(KnownWeights.Published p, Path file, String url, Path home, Progress progress) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw failure(p, url, new NoSuchFileException(file.toString(), null, "the mirror folder has no such file"), 0, null);
        }
        progress.message("checking the sha256 of " + file);
        String sha = Sha256.of(file);
        WeightImport.requirePrefix(file, sha, p.sha256Prefix(), "the prefix " + p.fileName()
                + " is published with; the mirror holds another file or a damaged copy");
        return WeightImport.install(file, p, home, progress);
    }

    /** A mirror given as an absolute folder ({@code /srv/weights}) is read as {@code file:///srv/weights}. */
    private static String folderAsUrl(String mirrorOrNull) {
        boolean folder = mirrorOrNull != null && !mirrorOrNull.contains(":") && mirrorOrNull.startsWith("/");
        return folder ? Path.of(mirrorOrNull).toUri().toString() : mirrorOrNull;
    }

    /** The download URL as a URI whose scheme we can fetch, or an error naming the mirror setting. */
    private static URI location(String url, String mirrorOrNull) {
        try {
            URI uri = new URI(url);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            // file://srv/weights names a host "srv"; an absolute folder needs the third slash
            boolean folder = scheme.equals("file") && uri.getAuthority() == null && uri.getPath() != null;
            if (scheme.equals("http") || scheme.equals("https") || folder) {
                return uri;
            }
        } catch (URISyntaxException e) {
            // reported below, with the setting that produced it
        }
        throw new IllegalArgumentException(KnownWeights.MIRROR_ENV + ": cannot fetch from '" + (mirrorOrNull == null ? url : mirrorOrNull)
                + "'; expected a base URL (https://host/weights, file:///srv/weights; spaces as %20) or an absolute folder (/srv/weights)");
    }

    /**
     * Downloads into {@code part}, resuming after an attempt that got bytes before it stopped. An
     * attempt that got nothing ends the fetch at once: repeating a refused connection or an unknown
     * host only repeats the error.
     */
    private static void downloadResuming(KnownWeights.Published p, String url, Path part, Progress progress) throws IOException {
        long kept = sizeOf(part);
        for (int attempt = 1; ; attempt++) {
            try {
                download(url, part, progress);
                return;
            } catch (IOException e) {
                long before = kept;
                kept = sizeOf(part);
                if (kept == 0) {
                    Files.deleteIfExists(part);
                }
                boolean gotBytes = kept > 0 && kept != before;
                if (!gotBytes || attempt == ATTEMPTS) {
                    throw failure(p, url, e, kept, part);
                }
                progress.message("download interrupted (" + describe(e) + "); resuming with " + kept + " bytes kept in " + part);
            }
        }
    }

    /** The fetch failed: the file, the URL, why, then how to resume (bytes kept) and how to get it offline. */
    private static IOException failure(KnownWeights.Published p, String url, IOException cause, long kept, Path part) {
        String resume = kept > 0 ? "\n  run the command again to resume from " + part + " (" + kept + " bytes kept)" : "";
        return new IOException("cannot download " + p.fileName() + " from " + url + " (" + describe(cause) + ")" + resume
                + "\n" + offlineHelp(p, url), cause);
    }

    private static long sizeOf(Path file) throws IOException {
        return Files.exists(file) ? Files.size(file) : 0;
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
            throw new IOException("HTTP " + code + ", expected 200 or 206");
        }
        long length = c.getContentLengthLong();
        progress.start(url, length < 0 ? -1 : have + length, have);
        Files.createDirectories(part.getParent());
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
