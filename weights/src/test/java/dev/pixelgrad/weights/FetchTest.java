package dev.pixelgrad.weights;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.pixelgrad.nn.Preprocessing;
import dev.pixelgrad.nn.VggSpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Downloads from a loopback server: resume after a cut connection, hash check, progress; a host
 * that cannot be reached (a loopback port nobody listens on) and {@code file:} mirrors.
 */
class FetchTest {
    @TempDir
    Path home;
    private HttpServer server;
    private byte[] body;
    private String prefix;
    private final List<String> ranges = Collections.synchronizedList(new ArrayList<>());
    private final AtomicInteger cutsLeft = new AtomicInteger();

    @BeforeEach
    void start() throws IOException {
        body = Files.readAllBytes(Fixtures.path("tiny_vgg16.pth"));
        prefix = Sha256.of(Fixtures.path("tiny_vgg16.pth")).substring(0, 8);
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::serve);
        server.createContext("/missing/", ex -> {
            ranges.add("404");
            ex.sendResponseHeaders(404, -1);
            ex.close();
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private void serve(HttpExchange ex) throws IOException {
        String range = ex.getRequestHeaders().getFirst("Range");
        ranges.add(String.valueOf(range));
        int from = 0;
        if (range != null && range.startsWith("bytes=")) {
            from = Integer.parseInt(range.substring(6, range.indexOf('-')));
            ex.getResponseHeaders().add("Content-Range", "bytes " + from + "-" + (body.length - 1) + "/" + body.length);
            ex.sendResponseHeaders(206, body.length - from);
        } else {
            ex.sendResponseHeaders(200, body.length);
        }
        OutputStream out = ex.getResponseBody();
        if (cutsLeft.getAndDecrement() > 0) {
            out.write(body, from, (body.length - from) / 2);
            out.flush();
            throw new IOException("test server cuts the connection");
        }
        out.write(body, from, body.length - from);
        out.close();
    }

    private String mirror() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    private KnownWeights.Published published(String hashPrefix) {
        return new KnownWeights.Published("tiny16-" + hashPrefix + ".pth", VggSpec.Arch.VGG16, "torchvision", Preprocessing.TORCHVISION,
                "https://example.invalid/unused");
    }

    @Test
    void resumesAfterTheConnectionIsCutAndConvertsIntoTheCache() throws IOException {
        cutsLeft.set(1);
        AtomicLong last = new AtomicLong();
        List<Long> starts = new ArrayList<>();
        Path out = WeightFetcher.fetch(published(prefix), home, mirror(), new WeightFetcher.Progress() {
            public void start(String url, long total, long resumedFrom) {
                starts.add(resumedFrom);
                assertEquals(body.length, total);
            }

            public void advance(long bytesSoFar) {
                last.set(bytesSoFar);
            }

            public void message(String line) {
            }
        });
        assertEquals(home.resolve("vgg16.safetensors"), out);
        assertEquals(body.length, last.get());
        assertEquals(2, ranges.size(), "one cut request, one resumed request: " + ranges);
        assertEquals("null", ranges.get(0));
        assertTrue(ranges.get(1).startsWith("bytes=") && !ranges.get(1).equals("bytes=0-"), ranges.toString());
        assertTrue(starts.get(1) > 0, "second attempt resumed: " + starts);
        FormatsTest.assertSameParameters(FormatsTest.load("tiny_vgg16.pth").parameters(), VggWeights.read(out, null, null), 0);
        assertEquals("tiny16-" + prefix + ".pth", WeightCache.metadata(out).get("source"));
        try (var s = Files.list(home.resolve("downloads"))) {
            assertEquals(List.of(), s.toList(), "download removed once converted");
        }
    }

    @Test
    void resumesAPartFileLeftByAnEarlierRun() throws IOException {
        Path part = home.resolve("downloads").resolve("tiny16-" + prefix + ".pth.part");
        Files.createDirectories(part.getParent());
        Files.write(part, Arrays.copyOf(body, 1000));
        WeightFetcher.fetch(published(prefix), home, mirror(), WeightFetcher.Progress.NONE);
        assertEquals(List.of("bytes=1000-"), ranges);
        assertTrue(Files.isRegularFile(home.resolve("vgg16.safetensors")));
    }

    @Test
    void wrongHashIsRefusedAndNothingIsLeftUnderAFinalName() throws IOException {
        WeightFileException e = assertThrows(WeightFileException.class,
                () -> WeightFetcher.fetch(published("deadbeef"), home, mirror(), WeightFetcher.Progress.NONE));
        assertTrue(e.getMessage().contains("does not start with deadbeef"), e.getMessage());
        assertFalse(Files.exists(home.resolve("vgg16.safetensors")));
        try (var s = Files.list(home.resolve("downloads"))) {
            assertEquals(List.of(), s.toList());
        }
    }

    @Test
    void secondFetchUsesTheCache() throws IOException {
        WeightFetcher.fetch(published(prefix), home, mirror(), WeightFetcher.Progress.NONE);
        WeightFetcher.fetch(published(prefix), home, mirror(), WeightFetcher.Progress.NONE);
        assertEquals(1, ranges.size());
        assertArrayEquals(new int[]{32, 784}, VggWeights.read(home.resolve("vgg16.safetensors"), null, null).parameters().get("fc6.weight").shape());
    }

    @Test
    void mirrorUrlIsBasePlusFileName() {
        KnownWeights.Published p = KnownWeights.find(VggSpec.Arch.VGG19, "caffe");
        assertEquals("http://m/x/vgg19-d01eb7cb.pth", KnownWeights.url(p, "http://m/x"));
        assertEquals("d01eb7cb", p.sha256Prefix());
        assertEquals("vgg19-caffe", p.cacheName());
        assertEquals(p.url(), KnownWeights.url(p, null));
    }

    /** A loopback port with nothing listening: connecting is refused at once, as on a machine without the network. */
    private static String unreachable() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return "http://127.0.0.1:" + s.getLocalPort();
        }
    }

    /** Records every progress message. */
    static WeightFetcher.Progress recording(List<String> messages) {
        return new WeightFetcher.Progress() {
            public void start(String url, long total, long resumedFrom) {
                messages.add("start " + url + " from " + resumedFrom);
            }

            public void advance(long bytesSoFar) {
            }

            public void message(String line) {
                messages.add(line);
            }
        };
    }

    /** Every file under the directory, relative to it. */
    static List<String> filesUnder(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return List.of();
        }
        try (var s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile).map(f -> dir.relativize(f).toString()).sorted(Comparator.naturalOrder()).toList();
        }
    }

    static void assertSaysHowToGetItOffline(String message, String fileName, String url) {
        for (String needed : new String[]{fileName, url, "pixelgrad weights import FILE", "--weights FILE", ".pth, .safetensors or .caffemodel",
                KnownWeights.MIRROR_ENV, "file:///"}) {
            assertTrue(message.contains(needed), "missing '" + needed + "' in: " + message);
        }
    }

    @Test
    void unreachableHostIsNotResumedAndSaysHowToGetTheFileOffline() throws IOException {
        List<String> messages = new ArrayList<>();
        KnownWeights.Published p = published(prefix);
        String mirror = unreachable();
        IOException e = assertThrows(IOException.class, () -> WeightFetcher.fetch(p, home, mirror, recording(messages)));
        assertEquals(List.of(), messages, "nothing was downloaded, so nothing is resumed or started");
        assertSaysHowToGetItOffline(e.getMessage(), p.fileName(), mirror + "/" + p.fileName());
        assertTrue(e.getMessage().contains("published at " + p.url()), "the published URL, since a mirror was tried: " + e.getMessage());
        assertFalse(e.getMessage().contains("resum"), e.getMessage());
        assertEquals(List.of(), filesUnder(home), "no empty .part, no cache entry");
    }

    @Test
    void unreachableHostKeepsAnEarlierPartAndSaysItCanBeResumed() throws IOException {
        Path part = home.resolve("downloads").resolve("tiny16-" + prefix + ".pth.part");
        Files.createDirectories(part.getParent());
        Files.write(part, Arrays.copyOf(body, 1000));
        List<String> messages = new ArrayList<>();
        IOException e = assertThrows(IOException.class, () -> WeightFetcher.fetch(published(prefix), home, unreachable(), recording(messages)));
        assertEquals(List.of(), messages, "one attempt, no 'resuming' line: no byte arrived");
        assertTrue(e.getMessage().contains("run the command again to resume from " + part + " (1000 bytes kept)"), e.getMessage());
        assertEquals(1000, Files.size(part));
    }

    @Test
    void httpErrorIsNotRetriedAndSaysHowToGetTheFileOffline() {
        KnownWeights.Published p = published(prefix);
        IOException e = assertThrows(IOException.class, () -> WeightFetcher.fetch(p, home, mirror() + "/missing", WeightFetcher.Progress.NONE));
        assertEquals(List.of("404"), ranges, "one request");
        assertTrue(e.getMessage().contains("HTTP 404"), e.getMessage());
        assertSaysHowToGetItOffline(e.getMessage(), p.fileName(), mirror() + "/missing/" + p.fileName());
    }

    @Test
    void fileMirrorIsCheckedAndConvertedInPlace() throws IOException {
        Path folder = Files.createDirectories(home.resolve("mirror"));
        Path copy = Files.copy(Fixtures.path("tiny_vgg16.pth"), folder.resolve("tiny16-" + prefix + ".pth"));
        Path cache = home.resolve("cache");
        Path out = WeightFetcher.fetch(published(prefix), cache, folder.toUri().toString(), WeightFetcher.Progress.NONE);
        assertEquals(cache.resolve("vgg16.safetensors"), out);
        FormatsTest.assertSameParameters(FormatsTest.load("tiny_vgg16.pth").parameters(), VggWeights.read(out, null, null), 0);
        assertEquals(List.of("vgg16.safetensors"), filesUnder(cache), "converted from the folder, no download copy");
        assertTrue(Files.isRegularFile(copy), "the mirror's file stays");
    }

    @Test
    void fileMirrorAsPlainFolderOrWithoutTheThirdSlash() throws IOException {
        Path folder = Files.createDirectories(home.resolve("mirror"));
        Files.copy(Fixtures.path("tiny_vgg16.pth"), folder.resolve("tiny16-" + prefix + ".pth"));
        Path out = WeightFetcher.fetch(published(prefix), home.resolve("cache"), folder.toAbsolutePath().toString(), WeightFetcher.Progress.NONE);
        assertTrue(Files.isRegularFile(out));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> WeightFetcher.fetch(published(prefix), home.resolve("other"), "file://srv/weights", WeightFetcher.Progress.NONE));
        assertTrue(e.getMessage().startsWith(KnownWeights.MIRROR_ENV + ": cannot fetch from 'file://srv/weights'")
                && e.getMessage().contains("file:///srv/weights"), e.getMessage());
    }

    @Test
    void fileMirrorWithAnotherFileIsRefusedAndNothingIsCached() throws IOException {
        Path folder = Files.createDirectories(home.resolve("mirror"));
        Files.copy(Fixtures.path("tiny_vgg16.pth"), folder.resolve("tiny16-deadbeef.pth"));
        Path cache = home.resolve("cache");
        WeightFileException e = assertThrows(WeightFileException.class,
                () -> WeightFetcher.fetch(published("deadbeef"), cache, folder.toUri().toString(), WeightFetcher.Progress.NONE));
        assertTrue(e.getMessage().contains("does not start with deadbeef") && !e.getMessage().contains("\n"), e.getMessage());
        assertEquals(List.of(), filesUnder(cache));
    }

    @Test
    void fileMirrorWithoutTheFileSaysHowToGetItOffline() throws IOException {
        Path folder = Files.createDirectories(home.resolve("empty-mirror"));
        KnownWeights.Published p = published(prefix);
        IOException e = assertThrows(IOException.class,
                () -> WeightFetcher.fetch(p, home.resolve("cache"), folder.toUri().toString(), WeightFetcher.Progress.NONE));
        assertSaysHowToGetItOffline(e.getMessage(), p.fileName(), folder.resolve(p.fileName()).toUri().toString());
    }
}
