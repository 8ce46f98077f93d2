package dev.pixelgrad.algorithms.cli.live;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

/**
 * Headless Chromium driven through the DevTools protocol over the JDK's own WebSocket client:
 * open a page, evaluate JavaScript in it, take a screenshot. Enough to test the live page.
 */
final class Chromium implements AutoCloseable {
    private final Process process;
    private final WebSocket socket;
    private final AtomicInteger ids = new AtomicInteger();
    private final Map<Integer, CompletableFuture<JsonObject>> waiting = new ConcurrentHashMap<>();

    /** The browser on the PATH (Debian's chromium package, or Chrome), if any. */
    static Optional<Path> find() {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            for (String name : new String[]{"chromium", "chromium-browser", "google-chrome"}) {
                Path p = Path.of(dir, name);
                if (Files.isExecutable(p)) {
                    return Optional.of(p);
                }
            }
        }
        return Optional.empty();
    }

    /** Starts the browser headless with an empty profile in {@code profile}, a window of w x h. */
    static Chromium launch(Path exe, Path profile, int w, int h) throws Exception {
        Process p = new ProcessBuilder(exe.toString(), "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                "--disable-dev-shm-usage", "--hide-scrollbars", "--remote-debugging-port=0", "--user-data-dir=" + profile,
                "--window-size=" + w + "," + h, "about:blank").redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        BufferedReader err = new BufferedReader(new InputStreamReader(p.getErrorStream(), StandardCharsets.UTF_8));
        String line, ws = null;
        while ((line = err.readLine()) != null) {
            int at = line.indexOf("ws://");
            if (line.startsWith("DevTools listening on") && at >= 0) {
                ws = line.substring(at).trim();
                break;
            }
        }
        if (ws == null) {
            p.destroyForcibly();
            throw new IOException("chromium did not start its DevTools server");
        }
        Thread drain = new Thread(() -> err.lines().forEach(l -> { }), "chromium-stderr");
        drain.setDaemon(true);
        drain.start();
        URI browser = URI.create(ws);
        HttpClient http = HttpClient.newHttpClient();
        String list = http.send(HttpRequest.newBuilder(URI.create("http://" + browser.getAuthority() + "/json/list")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        String pageWs = null;
        for (JsonElement e : JsonParser.parseString(list).getAsJsonArray()) {
            if (e.getAsJsonObject().get("type").getAsString().equals("page")) {
                pageWs = e.getAsJsonObject().get("webSocketDebuggerUrl").getAsString();
            }
        }
        return new Chromium(p, http, URI.create(pageWs));
    }

    private Chromium(Process process, HttpClient http, URI page) {
        this.process = process;
        this.socket = http.newWebSocketBuilder().buildAsync(page, new WebSocket.Listener() {
            private final StringBuilder text = new StringBuilder();

            @Override
            public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
                text.append(data);
                if (last) {
                    JsonObject o = JsonParser.parseString(text.toString()).getAsJsonObject();
                    text.setLength(0);
                    if (o.has("id")) {
                        CompletableFuture<JsonObject> f = waiting.remove(o.get("id").getAsInt());
                        if (f != null) {
                            f.complete(o);
                        }
                    }
                }
                ws.request(1);
                return null;
            }
        }).join();
    }

    /** Sends one DevTools command and waits for its result. */
    JsonObject call(String method, JsonObject params) throws Exception {
        int id = ids.incrementAndGet();
        JsonObject o = new JsonObject();
        o.addProperty("id", id);
        o.addProperty("method", method);
        o.add("params", params == null ? new JsonObject() : params);
        CompletableFuture<JsonObject> f = new CompletableFuture<>();
        waiting.put(id, f);
        socket.sendText(o.toString(), true).join();
        JsonObject answer = f.get(20, TimeUnit.SECONDS);
        if (answer.has("error")) {
            throw new IOException(method + ": " + answer.get("error"));
        }
        return answer.getAsJsonObject("result");
    }

    void open(String url) throws Exception {
        JsonObject p = new JsonObject();
        p.addProperty("url", url);
        call("Page.navigate", p);
    }

    /** The value of a JavaScript expression in the page (returned by value, as JSON). */
    JsonElement eval(String expression) throws Exception {
        JsonObject p = new JsonObject();
        p.addProperty("expression", expression);
        p.addProperty("returnByValue", true);
        p.addProperty("awaitPromise", true);
        JsonObject r = call("Runtime.evaluate", p);
        if (r.has("exceptionDetails")) {
            throw new IOException(expression + ": " + r.get("exceptionDetails"));
        }
        JsonObject result = r.getAsJsonObject("result");
        return result.has("value") ? result.get("value") : JsonParser.parseString("null");
    }

    /** Waits until a JavaScript expression is true (polled), or fails with what it says. */
    void waitFor(String expression, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            JsonElement v = eval("!!(" + expression + ")");
            if (v.getAsBoolean()) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the page never had " + expression + " within " + timeout.toSeconds() + " s");
            }
            Thread.sleep(50);
        }
    }

    static void waitFor(BooleanSupplier condition, Duration timeout, String what) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(what + " did not happen within " + timeout.toSeconds() + " s");
            }
            Thread.sleep(20);
        }
    }

    /** Sets the page's viewport to w x h CSS pixels. */
    void viewport(int w, int h) throws Exception {
        JsonObject p = new JsonObject();
        p.addProperty("width", w);
        p.addProperty("height", h);
        p.addProperty("deviceScaleFactor", 1);
        p.addProperty("mobile", false);
        call("Emulation.setDeviceMetricsOverride", p);
    }

    /** A PNG of the page as it is shown. */
    byte[] screenshot() throws Exception {
        JsonObject p = new JsonObject();
        p.addProperty("format", "png");
        return Base64.getDecoder().decode(call("Page.captureScreenshot", p).get("data").getAsString());
    }

    @Override
    public void close() {
        socket.abort();
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

}
