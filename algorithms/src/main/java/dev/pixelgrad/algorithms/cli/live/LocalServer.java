package dev.pixelgrad.algorithms.cli.live;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A small HTTP server for one person's browser, on the JDK's own {@code com.sun.net.httpserver}.
 * It serves a fixed table of exact paths (so no request names a file: a path outside the table,
 * {@code ../} included, is simply not found), and guards every request the same way:
 * <ul>
 * <li>bound to loopback by default, where the Host header must name loopback too (a web page
 *     elsewhere cannot reach it through a DNS name that resolves to 127.0.0.1);</li>
 * <li>on any other address, a random access token, given once in the URL's query and then kept
 *     in a cookie;</li>
 * <li>at most {@link #MAX_REQUESTS_PER_SECOND} requests a second, {@link #MAX_BODY} bytes of
 *     body, {@link #THREADS} requests at a time.</li>
 * </ul>
 * A busy port is no error: the server takes a free one and says so.
 */
public final class LocalServer implements AutoCloseable {
    /** The largest request body (the page's controls are a few bytes of JSON). */
    public static final int MAX_BODY = 4096;
    public static final int MAX_REQUESTS_PER_SECOND = 100;
    /** Threads for requests; an event stream holds one, so at most THREADS - 2 streams are let in. */
    static final int THREADS = 10;
    static final String COOKIE = "pixelgrad_token";

    static {
        // Headers and body go out in two writes; with Nagle's algorithm the second waits for the
        // client's delayed ACK, 40 ms a request. Read once, when the JDK's server first starts.
        System.setProperty("sun.net.httpserver.nodelay", "true");
    }

    /** One path's handler; it sends the response itself. */
    @FunctionalInterface
    public interface Route {
        void handle(HttpExchange ex) throws IOException;
    }

    private final HttpServer http;
    private final ExecutorService threads;
    private final String token;       // null on loopback
    private final String shownHost;
    private final Map<String, Route> routes = new ConcurrentHashMap<>();
    private long second;               // the current one-second window and its request count
    private int requests;

    private LocalServer(HttpServer http, ExecutorService threads, String token, String shownHost) {
        this.http = http;
        this.threads = threads;
        this.token = token;
        this.shownHost = shownHost;
    }

    /**
     * Starts serving on host:port (port 0: any free port). A busy port falls back to a free one,
     * with a line on {@code err} naming both.
     *
     * @param option the option that gave the port, for messages (e.g. "--serve")
     */
    public static LocalServer start(String host, int port, String option, PrintStream err) {
        InetAddress address;
        try {
            address = InetAddress.getByName(host);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("--serve-host: cannot resolve '" + host + "'; give an address of this machine "
                    + "such as 127.0.0.1 (default) or 0.0.0.0 (every network)", e);
        }
        HttpServer http;
        try {
            try {
                http = HttpServer.create(new InetSocketAddress(address, port), 16);
            } catch (BindException busy) {
                if (port == 0) {
                    throw busy;
                }
                http = HttpServer.create(new InetSocketAddress(address, 0), 16);
                err.println(option + ": port " + port + " is busy; serving on port " + http.getAddress().getPort() + " instead");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(option + ": cannot listen on " + host + ":" + port + " (" + e.getMessage() + ")", e);
        }
        String token = address.isLoopbackAddress() ? null : newToken();
        String shown = address.isAnyLocalAddress() ? localName() : host;
        ExecutorService threads = Executors.newFixedThreadPool(THREADS, r -> {
            Thread t = new Thread(r, "pixelgrad-http");
            t.setDaemon(true);   // an open page never keeps the program alive
            return t;
        });
        LocalServer server = new LocalServer(http, threads, token, shown);
        http.createContext("/", server::dispatch);
        http.setExecutor(threads);
        http.start();
        return server;
    }

    /** Serves {@code path} with a handler. */
    public LocalServer route(String path, Route route) {
        routes.put(path, route);
        return this;
    }

    /** Serves {@code path} with a resource of this package (the page ships in the jar). */
    public LocalServer asset(String path, String resource, String contentType) {
        byte[] bytes = resource(resource);
        return route(path, ex -> send(ex, 200, contentType, bytes));
    }

    /** The address to open, with the token when there is one. */
    public URI url() {
        String h = shownHost.contains(":") ? "[" + shownHost + "]" : shownHost;
        return URI.create("http://" + h + ":" + port() + "/" + (token == null ? "" : "?token=" + token));
    }

    public int port() {
        return http.getAddress().getPort();
    }

    /**
     * Stops listening, letting the requests being handled finish ({@code delaySeconds} at most): the
     * page's stop request is answered before the server goes, although the run ends on it.
     */
    public void stop(int delaySeconds) {
        http.stop(delaySeconds);
        threads.shutdown();
        try {
            threads.awaitTermination(delaySeconds, java.util.concurrent.TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        threads.shutdownNow();
    }

    @Override
    public void close() {
        stop(0);
    }

    private void dispatch(HttpExchange ex) throws IOException {
        try (ex) {
            if (!withinRate()) {
                sendText(ex, 429, "too many requests: at most " + MAX_REQUESTS_PER_SECOND + " a second");
                return;
            }
            if (token == null && !loopbackHost(ex.getRequestHeaders().getFirst("Host"))) {
                sendText(ex, 403, "this server answers only to 127.0.0.1 or localhost (Host header was "
                        + ex.getRequestHeaders().getFirst("Host") + ")");
                return;
            }
            if (token != null && !authorised(ex)) {
                sendText(ex, 403, "missing or wrong access token: open the URL the command printed, with its ?token=");
                return;
            }
            Route route = routes.get(ex.getRequestURI().getPath());
            if (route == null) {
                sendText(ex, 404, "not found: " + ex.getRequestURI().getPath());
                return;
            }
            route.handle(ex);
        } catch (IOException clientGone) {
            // the browser closed the connection; nothing to tell it
        }
    }

    private synchronized boolean withinRate() {
        long now = System.nanoTime() / 1_000_000_000L;
        if (now != second) {
            second = now;
            requests = 0;
        }
        return ++requests <= MAX_REQUESTS_PER_SECOND;
    }

    private static boolean loopbackHost(String host) {
        if (host == null) {
            return false;
        }
        String name = host.startsWith("[") ? host.substring(0, host.indexOf(']') + 1) : host.replaceFirst(":\\d+$", "");
        return name.equals("127.0.0.1") || name.equalsIgnoreCase("localhost") || name.equals("[::1]");
    }

    /** The token from the query (then remembered in a cookie) or from that cookie; compared in constant time. */
    private boolean authorised(HttpExchange ex) {
        String query = ex.getRequestURI().getRawQuery();
        if (query != null) {
            for (String kv : query.split("&")) {
                if (kv.startsWith("token=") && same(kv.substring(6))) {
                    ex.getResponseHeaders().add("Set-Cookie", COOKIE + "=" + token + "; Path=/; HttpOnly; SameSite=Strict");
                    return true;
                }
            }
        }
        String cookies = ex.getRequestHeaders().getFirst("Cookie");
        if (cookies != null) {
            for (String c : cookies.split(";")) {
                String kv = c.trim();
                if (kv.startsWith(COOKIE + "=") && same(kv.substring(COOKIE.length() + 1))) {
                    return true;
                }
            }
        }
        return false;
    }

    private boolean same(String given) {
        return MessageDigest.isEqual(given.getBytes(StandardCharsets.UTF_8), token.getBytes(StandardCharsets.UTF_8));
    }

    /** 128 random bits as hex. */
    private static String newToken() {
        byte[] b = new byte[16];
        new SecureRandom().nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    private static String localName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "localhost";
        }
    }

    /** The request body as text, or null after answering 413 when it is longer than {@link #MAX_BODY}. */
    public static String body(HttpExchange ex) throws IOException {
        try (InputStream in = ex.getRequestBody()) {
            byte[] b = in.readNBytes(MAX_BODY + 1);
            if (b.length > MAX_BODY) {
                sendText(ex, 413, "request body over " + MAX_BODY + " bytes");
                return null;
            }
            return new String(b, StandardCharsets.UTF_8);
        }
    }

    /** Answers 405 unless the request uses {@code method}; returns whether it does. */
    public static boolean method(HttpExchange ex, String method) throws IOException {
        if (ex.getRequestMethod().equalsIgnoreCase(method)) {
            return true;
        }
        ex.getResponseHeaders().add("Allow", method);
        sendText(ex, 405, ex.getRequestMethod() + " is not allowed here; use " + method);
        return false;
    }

    public static void send(HttpExchange ex, int status, String contentType, byte[] body) throws IOException {
        ex.getResponseHeaders().set("Content-Type", contentType);
        ex.getResponseHeaders().set("Cache-Control", "no-store");
        ex.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
        ex.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            ex.getResponseBody().write(body);
        }
    }

    public static void sendText(HttpExchange ex, int status, String text) throws IOException {
        send(ex, status, "text/plain; charset=utf-8", (text + "\n").getBytes(StandardCharsets.UTF_8));
    }

    public static void sendJson(HttpExchange ex, int status, String json) throws IOException {
        send(ex, status, "application/json; charset=utf-8", json.getBytes(StandardCharsets.UTF_8));
    }

    static byte[] resource(String name) {
        try (InputStream in = LocalServer.class.getResourceAsStream("/dev/pixelgrad/algorithms/live/" + name)) {
            if (in == null) {
                throw new IllegalStateException("live: the page's " + name + " is missing from the jar");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

}
