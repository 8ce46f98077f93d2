package dev.pixelgrad.algorithms.cli.live;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.sun.net.httpserver.HttpExchange;
import dev.pixelgrad.algorithms.Changes;
import dev.pixelgrad.algorithms.image.RgbImage;
import dev.pixelgrad.nn.Preprocessing;
import dev.pixelgrad.tensor.Tensor;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;

/**
 * Watch a run in the browser: the server ({@link LocalServer}), the run's state and events
 * ({@link LiveRun}) and the frames ({@link FrameEncoder}), behind the four calls a run's reporter
 * makes: {@link #iteration}, {@link #stopRequested}, {@link #changes} and {@link #finished}.
 *
 * <p>Paths: {@code /} the page; {@code /events} the server-sent events; {@code /image/current.png},
 * {@code /image/gradient-signed.png}, {@code /image/gradient-magnitude.png} the newest frame;
 * {@code /image/ref-N.png} the still images (start, content, style ...); {@code /control} (POST) pause,
 * resume, stop or change settings.
 */
public final class LiveView implements AutoCloseable {
    /** Seconds between keep-alive comments on an idle event stream (proxies and browsers drop silent ones). */
    private static final long KEEP_ALIVE_MILLIS = 15_000;
    /** The least time between two writes to an event stream: the events in between go out together. */
    private static final long BATCH_MILLIS = 100;
    /** How long a run that a page watched keeps serving after it ended, for the page to fetch the last frame. */
    private static final long LAST_FETCH_MILLIS = 500;

    /**
     * Where to serve and what to show.
     *
     * @param host       the address to listen on (loopback by default)
     * @param port       the port (0: any free one)
     * @param every      a frame every N iterations (at most, as the encoder allows)
     * @param references the still images, by name, in the order shown
     */
    public record Setup(String host, int port, int every, Map<String, RgbImage> references) {
    }

    private final LiveRun run;
    private final FrameEncoder frames;
    private final LocalServer server;
    private final int every;
    private final List<RgbImage> references;
    private final Map<Integer, byte[]> referencePngs = new ConcurrentHashMap<>();
    private boolean watchedAtEnd;

    private LiveView(LiveRun run, FrameEncoder frames, LocalServer server, int every, List<RgbImage> references) {
        this.run = run;
        this.frames = frames;
        this.server = server;
        this.every = every;
        this.references = references;
    }

    /**
     * Starts the server for a run and prints its URL on {@code err}.
     *
     * @param finish what turns the RGB image into the one written (keep colours), for the frames too
     */
    public static LiveView start(String task, int total, Knobs knobs, Setup setup, Preprocessing pre,
                                 UnaryOperator<RgbImage> finish, PrintStream err) {
        LiveRun run = new LiveRun(task, total, knobs, new ArrayList<>(setup.references().keySet()), LocalServer.THREADS - 2);
        FrameEncoder frames = new FrameEncoder(pre, finish, run::publish);
        LocalServer server = LocalServer.start(setup.host(), setup.port(), "--serve", err);
        LiveView view = new LiveView(run, frames, server, setup.every(), new ArrayList<>(setup.references().values()));
        view.routes();
        err.println(task + ": watch it at " + server.url());
        return view;
    }

    private void routes() {
        server.asset("/", "live.html", "text/html; charset=utf-8")
                .asset("/live.js", "live.js", "text/javascript; charset=utf-8")
                .asset("/live.css", "live.css", "text/css; charset=utf-8")
                .asset("/plot.js", "plot.js", "text/javascript; charset=utf-8")
                .route("/events", this::events)
                .route("/control", this::control)
                .route("/image/current.png", ex -> frame(ex, FrameEncoder.Frame::image))
                .route("/image/gradient-signed.png", ex -> frame(ex, f -> frames.gradient(f, FrameEncoder.GradientView.SIGNED)))
                .route("/image/gradient-magnitude.png", ex -> frame(ex, f -> frames.gradient(f, FrameEncoder.GradientView.MAGNITUDE)));
        for (int i = 0; i < references.size(); i++) {
            int k = i;
            server.route("/image/ref-" + i + ".png", ex -> png(ex, referencePngs.computeIfAbsent(k, j -> FrameEncoder.png(references.get(j)))));
        }
    }

    public LiveRun run() {
        return run;
    }

    public LocalServer server() {
        return server;
    }

    // ---- what the reporter calls, on the compute thread ----

    /** Logs the iteration for the page, and takes a frame every N iterations while a page watches. */
    public void iteration(int iter, float loss, Map<String, Float> terms, Tensor x, double seconds) {
        run.step(iter, loss, terms, seconds);
        if (iter % every == 0 && run.watched()) {
            frames.offer(iter, x);
        }
    }

    /** Blocks while the page has the run paused; true when the page asked to stop. */
    public boolean stopRequested() {
        return run.awaitRunning();
    }

    /** The settings the page changed since the last step, or null. */
    public Changes changes(int iter) {
        return run.takeChanges(iter);
    }

    /**
     * Training (train-style): logs a step that has no image of its own to show; the page's image
     * is the stylised sample, when there is one ({@link #image}).
     */
    public void step(int iter, float loss, Map<String, Float> terms, double seconds) {
        run.step(iter, loss, terms, seconds);
    }

    /** Shows an RGB image as the current frame (train-style's stylised sample), unless the encoder is busy. */
    public void image(int iter, RgbImage img) {
        if (run.watched()) {
            frames.offer(iter, img);
        }
    }

    /** The run ended: the last frame (of x, unless null) goes out, then the pages hear how it ended. */
    public void finished(int iter, Tensor x, String how) {
        watchedAtEnd = run.watched();
        if (watchedAtEnd && x != null) {
            frames.last(iter, x);
        }
        frames.close();
        run.done(how);
    }

    /**
     * Ends the event streams, then keeps serving for a moment when a page was watching, so that it
     * can fetch the last frame it was just told about; then stops listening.
     */
    @Override
    public void close() {
        boolean watched = watchedAtEnd || run.watched();
        run.done("closed");
        frames.close();
        run.awaitNoViewers(1000);
        if (watched) {
            try {
                Thread.sleep(LAST_FETCH_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        server.stop(1);
    }

    // ---- the routes, on the server's threads ----

    /** Server-sent events: hello, then every event after Last-Event-ID, then new events and frames as they come. */
    private void events(HttpExchange ex) throws IOException {
        if (!LocalServer.method(ex, "GET")) {
            return;
        }
        if (!run.admit()) {
            LocalServer.sendText(ex, 503, "too many pages watching this run; close one");
            return;
        }
        try {
            ex.getResponseHeaders().set("Content-Type", "text/event-stream; charset=utf-8");
            ex.getResponseHeaders().set("Cache-Control", "no-store");
            ex.sendResponseHeaders(200, 0);
            OutputStream out = ex.getResponseBody();
            long after = lastEventId(ex);
            int frameSeen = 0;
            write(out, -1, "hello", run.hello());
            while (true) {
                LiveRun.Batch b = run.await(after, frameSeen, KEEP_ALIVE_MILLIS);
                if (b.frame() != null) {   // before the events: the last frame comes before the news that the run is done
                    frameSeen = b.frame().version();
                    write(out, -1, "frame", "{\"version\":" + frameSeen + ",\"iter\":" + b.frame().iter()
                            + ",\"gradient\":" + (b.frame().gradient() != null) + "}");
                }
                for (LiveRun.Event e : b.events()) {
                    write(out, e.id(), e.type(), e.data());
                    after = e.id();
                }
                if (b.events().isEmpty() && b.frame() == null) {
                    out.write(": keep-alive\n\n".getBytes(StandardCharsets.UTF_8));
                }
                out.flush();
                if (b.finished()) {
                    return;
                }
                Thread.sleep(BATCH_MILLIS);   // a fast run's steps go out ten at a time, not with a write and a wake-up each
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            run.leave();
        }
    }

    /** The id of the last event the page saw (a reconnecting EventSource sends it), or -1. */
    private static long lastEventId(HttpExchange ex) {
        String id = ex.getRequestHeaders().getFirst("Last-Event-ID");
        try {
            return id == null ? -1 : Long.parseLong(id.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static void write(OutputStream out, long id, String type, String data) throws IOException {
        String text = (id >= 0 ? "id: " + id + "\n" : "") + "event: " + type + "\ndata: " + data + "\n\n";
        out.write(text.getBytes(StandardCharsets.UTF_8));
    }

    /** POST {"action": "pause"|"resume"|"stop"} or {"set": {"weights": {...}, "learningRate": x, "layers": "..."}}. */
    private void control(HttpExchange ex) throws IOException {
        if (!LocalServer.method(ex, "POST")) {
            return;
        }
        String type = ex.getRequestHeaders().getFirst("Content-Type");
        if (type == null || !type.startsWith("application/json")) {   // a form post from another site cannot set it
            LocalServer.sendText(ex, 415, "control: expected Content-Type application/json");
            return;
        }
        String body = LocalServer.body(ex);
        if (body == null) {
            return;
        }
        JsonObject request;
        try {
            JsonElement e = JsonParser.parseString(body);
            if (!e.isJsonObject()) {
                throw new JsonParseException("not an object");
            }
            request = e.getAsJsonObject();
        } catch (JsonParseException | IllegalStateException bad) {
            LocalServer.sendText(ex, 400, "control: expected a JSON object such as {\"action\": \"pause\"}");
            return;
        }
        String error;
        if (request.has("action") && request.get("action").isJsonPrimitive()) {
            error = run.act(request.get("action").getAsString());
        } else if (request.has("set") && request.get("set").isJsonObject()) {
            error = run.request(request.getAsJsonObject("set"));
        } else {
            error = "control: expected {\"action\": \"pause\"|\"resume\"|\"stop\"} or {\"set\": {...}}";
        }
        if (error != null) {
            LocalServer.sendText(ex, 400, error);
        } else {
            Map<String, String> ok = new LinkedHashMap<>();
            ok.put("state", run.state().name().toLowerCase(java.util.Locale.ROOT));
            LocalServer.sendJson(ex, 200, LiveRun.GSON.toJson(ok));
        }
    }

    private void frame(HttpExchange ex, java.util.function.Function<FrameEncoder.Frame, byte[]> part) throws IOException {
        FrameEncoder.Frame f = run.frame();
        byte[] png = f == null ? null : part.apply(f);
        if (png == null) {
            LocalServer.sendText(ex, 404, "no frame yet");
            return;
        }
        png(ex, png);
    }

    private static void png(HttpExchange ex, byte[] png) throws IOException {
        if (LocalServer.method(ex, "GET")) {
            LocalServer.send(ex, 200, "image/png", png);
        }
    }
}
