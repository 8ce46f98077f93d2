package dev.pixelgrad.algorithms.cli.live;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.pixelgrad.algorithms.Changes;
import dev.pixelgrad.algorithms.ImageTensors;
import dev.pixelgrad.algorithms.image.RgbImage;
import dev.pixelgrad.nn.Preprocessing;
import dev.pixelgrad.tensor.Backends;
import dev.pixelgrad.tensor.Tensor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The live page's server in-process on an ephemeral port, driven by a stand-in for the optimisation loop. */
@Timeout(20)
class LiveServerTest {
    private final HttpClient http = HttpClient.newHttpClient();
    private LiveView view;

    @AfterEach
    void close() {
        if (view != null) {
            view.close();
        }
    }

    static RgbImage picture(int h, int w) {
        float[] rgb = new float[3 * h * w];
        for (int i = 0; i < rgb.length; i++) {
            rgb[i] = (float) (0.5 + 0.4 * Math.sin(0.3 * i));
        }
        return new RgbImage(rgb, h, w);
    }

    /** x with a gradient in x.grad (that of sum x^2), as after a step's backward. */
    static Tensor imageWithGradient() {
        Tensor x = ImageTensors.leafCopy(ImageTensors.toNetwork(picture(12, 16), Preprocessing.TORCHVISION, Backends.java()));
        x.square().sum().backward();
        return x;
    }

    static LiveView start(String host, Knobs knobs) {
        Map<String, RgbImage> refs = new LinkedHashMap<>();
        refs.put("start", picture(12, 16));
        refs.put("style", picture(8, 8));
        return LiveView.start("style", 5, knobs, new LiveView.Setup(host, 0, 1, refs), Preprocessing.TORCHVISION,
                UnaryOperator.identity(), new PrintStream(OutputStream.nullOutputStream()));
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + view.server().port() + path);
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(uri(path)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(String json) throws Exception {
        return http.send(HttpRequest.newBuilder(uri("/control")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Reads server-sent events as (type, data) until the stream ends. */
    private static List<String[]> readEvents(InputStream in, List<String[]> into) throws IOException {
        BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
        String type = null, line;
        while ((line = r.readLine()) != null) {
            if (line.startsWith("event: ")) {
                type = line.substring(7);
            } else if (line.startsWith("data: ")) {
                synchronized (into) {
                    into.add(new String[]{type, line.substring(6)});
                }
            }
        }
        return into;
    }

    @Test
    void eventsArriveInOrderWithTheNamedTermsAndAFrame() throws Exception {
        view = start("127.0.0.1", Knobs.weights());
        HttpResponse<InputStream> stream = http.send(HttpRequest.newBuilder(uri("/events")).build(),
                HttpResponse.BodyHandlers.ofInputStream());
        assertEquals("text/event-stream; charset=utf-8", stream.headers().firstValue("Content-Type").orElse(""));
        List<String[]> events = new ArrayList<>();
        Thread reader = new Thread(() -> {
            try {
                readEvents(stream.body(), events);
            } catch (IOException ignored) {
                // the test checks what arrived
            }
        });
        reader.start();
        while (!view.run().watched()) {
            Thread.sleep(5);
        }
        Tensor x = imageWithGradient();
        for (int i = 0; i <= 4; i++) {
            view.iteration(i, 10f - i, Map.of("content", 1f, "style", 9f - i), x, 0.1 * i);
            Thread.sleep(20);
        }
        view.finished(4, x, "done, wrote out.png");
        reader.join(5000);

        assertEquals("hello", events.get(0)[0]);
        JsonObject hello = JsonParser.parseString(events.get(0)[1]).getAsJsonObject();
        assertEquals("style", hello.get("task").getAsString());
        assertEquals("[\"start\",\"style\"]", hello.get("references").toString());
        List<JsonObject> steps = events.stream().filter(e -> e[0].equals("step"))
                .map(e -> JsonParser.parseString(e[1]).getAsJsonObject()).toList();
        assertEquals(5, steps.size());
        for (int i = 0; i < 5; i++) {
            assertEquals(i, steps.get(i).get("iter").getAsInt(), "in order");
            assertEquals(List.of("content", "style"), steps.get(i).getAsJsonObject("terms").keySet().stream().sorted().toList());
            assertEquals(9f - i, steps.get(i).getAsJsonObject("terms").get("style").getAsFloat());
        }
        assertTrue(events.stream().anyMatch(e -> e[0].equals("frame")), "a frame was announced");
        String[] last = events.get(events.size() - 1);
        assertEquals("state", last[0]);
        assertTrue(last[1].contains("\"done\""), last[1]);

        HttpResponse<byte[]> png = http.send(HttpRequest.newBuilder(uri("/image/current.png")).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, png.statusCode());
        assertEquals((byte) 0x89, png.body()[0], "a PNG");
        assertEquals(200, get("/image/gradient-signed.png").statusCode());
        assertEquals(200, get("/image/gradient-magnitude.png").statusCode());
        assertEquals(200, get("/image/ref-1.png").statusCode());
    }

    @Test
    void aReconnectingPageGetsOnlyWhatItMissed() throws Exception {
        view = start("127.0.0.1", Knobs.weights());
        Tensor x = imageWithGradient();
        for (int i = 0; i <= 3; i++) {
            view.iteration(i, 5f - i, Map.of("tv", 1f), x, i);
        }
        view.finished(3, x, "done");
        HttpResponse<InputStream> again = http.send(HttpRequest.newBuilder(uri("/events")).header("Last-Event-ID", "1").build(),
                HttpResponse.BodyHandlers.ofInputStream());
        List<String[]> events = readEvents(again.body(), new ArrayList<>());
        List<Integer> iters = events.stream().filter(e -> e[0].equals("step"))
                .map(e -> JsonParser.parseString(e[1]).getAsJsonObject().get("iter").getAsInt()).toList();
        assertEquals(List.of(2, 3), iters);
    }

    @Test
    void noFramesAreEncodedWhileNoPageWatches() {
        view = start("127.0.0.1", Knobs.weights());
        Tensor x = imageWithGradient();
        for (int i = 0; i <= 3; i++) {
            view.iteration(i, 1f, Map.of(), x, i);
        }
        view.finished(3, x, "done");
        assertNull(view.run().frame());
    }

    @Test
    void pauseBlocksTheLoopResumeFreesItStopEndsIt() throws Exception {
        view = start("127.0.0.1", Knobs.weightsAndRate(0.02f));
        AtomicInteger steps = new AtomicInteger();
        List<Changes> changes = new ArrayList<>();
        Thread loop = new Thread(() -> {   // the optimisation loop, as ImageOptimization polls the monitor
            for (int k = 1; k < 100_000; k++) {
                if (view.stopRequested()) {
                    return;
                }
                Changes c = view.changes(k);
                if (c != null) {
                    synchronized (changes) {
                        changes.add(c);
                    }
                }
                steps.incrementAndGet();
                try {
                    Thread.sleep(2);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        loop.start();
        Thread.sleep(50);
        assertEquals(200, post("{\"action\":\"pause\"}").statusCode());
        Thread.sleep(30);
        int paused = steps.get();
        Thread.sleep(150);
        assertEquals(paused, steps.get(), "no step while paused");
        assertEquals(LiveRun.State.PAUSED, view.run().state());

        HttpResponse<String> set = post("{\"set\":{\"weights\":{\"style\":2},\"learningRate\":0.05}}");
        assertEquals(200, set.statusCode(), set.body());
        assertEquals(200, post("{\"action\":\"resume\"}").statusCode());
        Thread.sleep(100);
        assertTrue(steps.get() > paused, "steps again after resume");
        synchronized (changes) {
            assertEquals(1, changes.size());
            assertEquals(2f, changes.get(0).termFactors().get("style"));
            assertEquals(0.05f, changes.get(0).learningRate());
        }

        assertEquals(200, post("{\"action\":\"stop\"}").statusCode());
        loop.join(2000);
        assertFalse(loop.isAlive(), "stop ends the loop");
        assertEquals(400, post("{\"action\":\"resume\"}").statusCode(), "a stopping run does not resume");
    }

    @Test
    void badControlsAreRefusedNamingWhatIsWrong() throws Exception {
        view = start("127.0.0.1", Knobs.weights());
        HttpResponse<String> r = post("{\"set\":{\"learningRate\":0.1}}");
        assertEquals(400, r.statusCode());
        assertTrue(r.body().contains("learningRate") && r.body().contains("L-BFGS"), r.body());
        r = post("{\"set\":{\"weights\":{\"style\":-1}}}");
        assertEquals(400, r.statusCode());
        assertTrue(r.body().contains("weights.style"), r.body());
        r = post("{\"action\":\"jump\"}");
        assertEquals(400, r.statusCode());
        assertTrue(r.body().contains("pause, resume or stop"), r.body());
        assertEquals(400, post("not json").statusCode());
        assertEquals(405, get("/control").statusCode());
        HttpResponse<String> form = http.send(HttpRequest.newBuilder(uri("/control")).header("Content-Type", "text/plain")
                .POST(HttpRequest.BodyPublishers.ofString("{\"action\":\"stop\"}")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(415, form.statusCode(), "a cross-site form post cannot control the run");
        assertEquals(413, post("{\"set\":{\"weights\":{\"" + "x".repeat(LocalServer.MAX_BODY) + "\":1}}}").statusCode());
        assertEquals(LiveRun.State.RUNNING, view.run().state());
    }

    @Test
    void aDreamChecksANewLayerBeforeTakingIt() throws Exception {
        view = start("127.0.0.1", Knobs.dream(1.5f, "relu4_2", text -> {
            if (!text.startsWith("relu")) {
                throw new IllegalArgumentException("unknown layer '" + text + "'");
            }
            return text;
        }));
        HttpResponse<String> r = post("{\"set\":{\"layers\":\"conv9_9\"}}");
        assertEquals(400, r.statusCode());
        assertTrue(r.body().contains("unknown layer 'conv9_9'"), r.body());
        assertEquals(200, post("{\"set\":{\"layers\":\"relu5_1\"}}").statusCode());
        assertEquals("relu5_1", view.changes(7).layers());
        assertNull(view.changes(8), "a change is taken once");
        r = post("{\"set\":{\"weights\":{\"dream\":2}}}");
        assertEquals(400, r.statusCode(), "a dream's step is normalised: no weights to change");
    }

    /** Raw HTTP, so that no client library tidies the path first. */
    private String raw(String requestLine, String host) throws IOException {
        try (Socket s = new Socket("127.0.0.1", view.server().port())) {
            s.getOutputStream().write((requestLine + "\r\nHost: " + host + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            s.getInputStream().transferTo(b);
            return b.toString(StandardCharsets.UTF_8);
        }
    }

    @Test
    void pathsOutsideTheRunAreRefused() throws Exception {
        view = start("127.0.0.1", Knobs.weights());
        String host = "127.0.0.1:" + view.server().port();
        for (String path : List.of("/../../etc/passwd", "/image/../../../etc/passwd", "/image/%2e%2e/%2e%2e/etc/passwd",
                "/live.js/../../pom.xml", "/image/ref-7.png", "/dev/pixelgrad/algorithms/live/live.html")) {
            String answer = raw("GET " + path + " HTTP/1.1", host);
            assertTrue(answer.startsWith("HTTP/1.1 404") || answer.startsWith("HTTP/1.1 400"), path + " -> " + answer);
            assertFalse(answer.contains("root:"), path);
        }
        assertTrue(raw("GET / HTTP/1.1", host).startsWith("HTTP/1.1 200"));
        assertTrue(raw("GET / HTTP/1.1", "localhost:" + view.server().port()).startsWith("HTTP/1.1 200"));
        assertTrue(raw("GET / HTTP/1.1", "attacker.example:" + view.server().port()).startsWith("HTTP/1.1 403"),
                "a foreign name for loopback (DNS rebinding) is refused");
    }

    @Test
    void offLoopbackTheTokenIsEnforced() throws Exception {
        view = start("0.0.0.0", Knobs.weights());
        String url = view.server().url().toString();
        assertTrue(url.matches("http://.+:\\d+/\\?token=[0-9a-f]{32}"), url);
        String token = url.substring(url.indexOf("token=") + 6);
        assertEquals(403, get("/").statusCode());
        assertEquals(403, get("/events").statusCode());
        assertEquals(403, get("/?token=" + "0".repeat(32)).statusCode());
        assertEquals(403, post("{\"action\":\"stop\"}").statusCode());
        HttpResponse<String> ok = get("/?token=" + token);
        assertEquals(200, ok.statusCode());
        String cookie = ok.headers().firstValue("Set-Cookie").orElseThrow();
        assertTrue(cookie.contains("HttpOnly"), cookie);
        HttpResponse<String> withCookie = http.send(HttpRequest.newBuilder(uri("/live.js"))
                .header("Cookie", cookie.substring(0, cookie.indexOf(';'))).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, withCookie.statusCode(), "the page's own requests carry the cookie");
        assertEquals(LiveRun.State.RUNNING, view.run().state());
    }

    @Test
    void onLoopbackThereIsNoToken() {
        view = start("127.0.0.1", Knobs.weights());
        assertEquals("http://127.0.0.1:" + view.server().port() + "/", view.server().url().toString());
    }

    @Test
    void aBusyPortFallsBackToAFreeOneAndSaysSo() throws Exception {
        try (ServerSocket busy = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            ByteArrayOutputStream said = new ByteArrayOutputStream();
            try (LocalServer s = LocalServer.start("127.0.0.1", busy.getLocalPort(), "--serve", new PrintStream(said, true, StandardCharsets.UTF_8))) {
                assertNotEquals(busy.getLocalPort(), s.port());
                String line = said.toString(StandardCharsets.UTF_8);
                assertTrue(line.contains("port " + busy.getLocalPort() + " is busy; serving on port " + s.port()), line);
            }
        }
    }

    @Test
    void requestsAreBoundedInCount() throws Exception {
        view = start("127.0.0.1", Knobs.weights());
        int sent = 0;
        boolean refused = false;
        while (!refused && sent < 20 * LocalServer.MAX_REQUESTS_PER_SECOND) {   // even a slow machine fits 100 into some second
            refused = get("/live.css").statusCode() == 429;
            sent++;
        }
        assertTrue(refused, "one of " + sent + " quick requests is refused");
        assertTrue(sent > LocalServer.MAX_REQUESTS_PER_SECOND, "not before " + LocalServer.MAX_REQUESTS_PER_SECOND + ": " + sent);
    }
}
