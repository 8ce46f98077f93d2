package dev.pixelgrad.algorithms.cli.live;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.pixelgrad.algorithms.image.ImageFiles;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** pixelgrad view's gallery: runs grouped from a folder's outputs and logs, served by number only. */
@Timeout(60)
class GalleryTest {
    @TempDir
    Path dir;
    @TempDir
    Path profile;

    private LocalServer server;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void folderOfRuns() throws IOException {
        ImageFiles.write(LiveServerTest.picture(12, 16), dir.resolve("cat.png"));
        ImageFiles.write(LiveServerTest.picture(12, 16), dir.resolve("cat-iter10.png"));
        ImageFiles.write(LiveServerTest.picture(12, 16), dir.resolve("cat-iter5.png"));
        Files.writeString(dir.resolve("cat.jsonl"), """
                {"iter":0,"loss":100.0,"seconds":0.1,"content":40.0,"style":60.0}
                {"iter":5,"loss":50.0,"seconds":0.5,"content":30.0,"style":20.0}
                {"iter":6,"changed":{"weights":{"style":2.0}}}
                {"iter":10,"loss":20.0,"seconds":1.0,"content":10.0,"style":10.0}
                """);
        Files.createDirectories(dir.resolve("dreams"));
        ImageFiles.write(LiveServerTest.picture(8, 8), dir.resolve("dreams/sky.jpg"));
        Files.writeString(dir.resolve("notes.txt"), "not a run");
        Files.writeString(dir.resolve("broken.jsonl"), "not json\n");
        try {
            Files.createSymbolicLink(dir.resolve("secret.png"), Path.of("/etc/passwd"));
        } catch (UnsupportedOperationException | IOException noLinksHere) {
            // the rest of the test still holds
        }
        Gallery g = Gallery.scan(dir);
        server = LocalServer.start("127.0.0.1", 0, "--port", new PrintStream(OutputStream.nullOutputStream()));
        g.routes(server);
    }

    @AfterEach
    void stop() throws IOException {
        server.close();
        Files.deleteIfExists(dir.resolve("secret.png"));   // the link, before the temporary folder's clean-up warns about it
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void runsAreGroupedFromTheirImagesAndLogs() throws Exception {
        JsonArray runs = JsonParser.parseString(get("/runs.json").body()).getAsJsonArray();
        assertEquals(List.of("cat", "dreams/sky"), runs.asList().stream().map(r -> r.getAsJsonObject().get("name").getAsString()).toList(),
                "no run for notes.txt, broken.jsonl or the link out of the folder");
        JsonObject cat = runs.get(0).getAsJsonObject();
        assertEquals(List.of(5, 10), cat.getAsJsonArray("checkpoints").asList().stream()
                .map(c -> c.getAsJsonObject().get("iter").getAsInt()).toList(), "checkpoints in iteration order");
        assertEquals(3, cat.getAsJsonArray("steps").size());
        assertEquals(10.0, cat.getAsJsonArray("steps").get(2).getAsJsonObject().getAsJsonObject("terms").get("content").getAsDouble());
        assertEquals(6, cat.getAsJsonArray("changes").get(0).getAsJsonObject().get("iter").getAsInt());
        int file = cat.get("image").getAsInt();
        HttpResponse<byte[]> png = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/file/" + file)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, png.statusCode());
        assertEquals("image/png", png.headers().firstValue("Content-Type").orElse(""));
        assertEquals(Files.size(dir.resolve("cat.png")), png.body().length);
    }

    @Test
    void nothingOutsideTheFilesFoundIsServed() throws Exception {
        assertEquals(404, get("/file/99").statusCode());
        assertEquals(404, get("/file/cat.png").statusCode());
        assertEquals(404, get("/cat.jsonl").statusCode());
        try (Socket s = new Socket("127.0.0.1", server.port())) {
            s.getOutputStream().write(("GET /file/../../../etc/passwd HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            s.getInputStream().transferTo(b);
            String answer = b.toString(StandardCharsets.UTF_8);
            assertTrue(answer.startsWith("HTTP/1.1 404"), answer);
            assertFalse(answer.contains("root:"));
        }
    }

    @Test
    void aMissingFolderIsRefusedNamingIt() {
        var e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> Gallery.scan(dir.resolve("nope")));
        assertTrue(e.getMessage().contains("nope") && e.getMessage().contains("not a folder"), e.getMessage());
    }

    @Test
    void theGalleryPageShowsTheRunsAndTheirCurves() throws Exception {
        Assumptions.assumeTrue(Chromium.find().isPresent(),
                "no chromium on the PATH (Debian: apt-get install chromium); the gallery's browser test needs it");
        try (Chromium browser = Chromium.launch(Chromium.find().orElseThrow(), profile, 1100, 900)) {
            browser.open("http://127.0.0.1:" + server.port() + "/");
            browser.waitFor("window.pixelgrad && pixelgrad.runs && pixelgrad.runs.length === 2", Duration.ofSeconds(15));
            assertTrue(browser.eval("pixelgrad.drawn").getAsInt() >= 3, "the loss of every run drawn");
            browser.waitFor("document.querySelector('.run img').naturalWidth === 16", Duration.ofSeconds(10));
            // scrub to the first checkpoint
            browser.eval("const s = document.querySelector('.run input[type=range]'); s.value = 0; s.dispatchEvent(new Event('input'));");
            browser.waitFor("document.querySelector('.run figcaption').textContent.startsWith('iteration 5')", Duration.ofSeconds(5));
        }
    }
}
