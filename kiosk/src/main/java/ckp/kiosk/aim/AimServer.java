package ckp.kiosk.aim;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.tinylog.Logger;
import org.tinylog.TaggedLogger;

/**
 * The aiming view's HTTP server (the JDK's {@code com.sun.net.httpserver}): {@code GET /} the page, {@code GET
 * /snapshot.jpg} the newest picture, {@code GET /status.json} the figures. With a token configured every request
 * must carry it ({@code Authorization: Bearer TOKEN}, or {@code ?token=TOKEN} for the page's own address); two
 * threads serve, so a stuck browser cannot hold more.
 */
public final class AimServer implements AutoCloseable {
    private static final TaggedLogger LOG = Logger.tag("aim");
    /**
     * How long a request waits for a fresh snapshot when nobody was watching: the first picture of a service loads
     * Java2D and ImageIO, seconds on a busy Pi.
     */
    static final Duration FRESH_WAIT = Duration.ofSeconds(10);
    private static final String PAGE_SECURITY = "default-src 'none'; img-src 'self' blob:; connect-src 'self'; "
            + "script-src 'unsafe-inline'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    private final HttpServer server;
    private final ExecutorService threads;
    private final AimView view;
    private final Optional<byte[]> token;
    private final byte[] page;

    private AimServer(HttpServer server, ExecutorService threads, AimView view, Optional<String> token, byte[] page) {
        this.server = server;
        this.threads = threads;
        this.view = view;
        this.token = token.map(t -> t.getBytes(StandardCharsets.UTF_8));
        this.page = page;
    }

    /** Binds the configured address and port and starts serving; an address in use is an IOException naming it. */
    public static AimServer start(AimConfig config, AimView view) throws IOException {
        if (!config.enabled()) {
            throw new IllegalArgumentException("the aiming view is off (aim.http.port=0)");
        }
        byte[] page;
        try (InputStream in = AimServer.class.getResourceAsStream("aim.html")) {
            if (in == null) {
                throw new IllegalStateException("aim.html is missing from the kiosk's jar");
            }
            page = in.readAllBytes();
        }
        InetSocketAddress at = new InetSocketAddress(config.bind(), config.port());
        HttpServer server;
        try {
            server = HttpServer.create(at, 8);
        } catch (IOException e) {
            throw new IOException("the aiming view cannot listen on " + config.bind().getHostAddress() + ":"
                    + config.port() + " (" + e.getMessage() + "); set another aim.http.port", e);
        }
        ExecutorService threads = Executors.newFixedThreadPool(2, Thread.ofPlatform().name("aim-http").daemon().factory());
        AimServer aim = new AimServer(server, threads, view, config.token(), page);
        server.createContext("/", aim::handle);
        server.setExecutor(threads);
        server.start();
        LOG.info("aiming view on http://{}:{}/{}", config.bind().getHostAddress(), server.getAddress().getPort(),
                config.bind().isLoopbackAddress() ? " (loopback: ssh -L 8080:127.0.0.1:" + config.port() + " kiosk)"
                        : " (token required)");
        return aim;
    }

    /** The address the socket is bound to. */
    public InetSocketAddress address() {
        return server.getAddress();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            exchange.getResponseHeaders().set("Cache-Control", "no-store");
            exchange.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
            exchange.getResponseHeaders().set("Referrer-Policy", "no-referrer");
            if (!authorised(exchange)) {
                exchange.getResponseHeaders().set("WWW-Authenticate", "Bearer realm=\"kiosk aiming view\"");
                send(exchange, 401, "text/plain; charset=utf-8",
                        "the aiming view needs its token (aim.http.token): Authorization: Bearer TOKEN, or ?token=TOKEN\n");
                return;
            }
            String method = exchange.getRequestMethod();
            if (!method.equals("GET") && !method.equals("HEAD")) {
                exchange.getResponseHeaders().set("Allow", "GET, HEAD");
                send(exchange, 405, "text/plain; charset=utf-8", "only GET\n");
                return;
            }
            switch (exchange.getRequestURI().getPath()) {
                case "/" -> {
                    exchange.getResponseHeaders().set("Content-Security-Policy", PAGE_SECURITY);
                    send(exchange, 200, "text/html; charset=utf-8", page);
                }
                case "/snapshot.jpg" -> {
                    Optional<AimView.Snapshot> s = view.forRequest(FRESH_WAIT);
                    Optional<byte[]> jpeg = s.flatMap(AimView.Snapshot::jpeg);
                    if (jpeg.isPresent()) {
                        send(exchange, 200, "image/jpeg", jpeg.get());
                    } else {
                        send(exchange, 503, "text/plain; charset=utf-8", "no frame decoded yet: is the camera running?\n");
                    }
                }
                case "/status.json" -> {
                    Optional<AimView.Snapshot> s = view.forRequest(FRESH_WAIT);
                    if (s.isPresent()) {
                        send(exchange, 200, "application/json", s.get().status().json());
                    } else {
                        send(exchange, 503, "text/plain; charset=utf-8", "the aiming view is starting\n");
                    }
                }
                default -> send(exchange, 404, "text/plain; charset=utf-8", "not found: the view serves /, /snapshot.jpg and /status.json\n");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            LOG.debug("aiming view request ended early: {}", e.getMessage());
        } catch (RuntimeException e) {
            LOG.error(e, "aiming view request failed");
        }
    }

    private boolean authorised(HttpExchange exchange) {
        if (token.isEmpty()) {
            return true;
        }
        String header = exchange.getRequestHeaders().getFirst("Authorization");
        if (header != null && header.startsWith("Bearer ") && matches(header.substring(7).strip())) {
            return true;
        }
        String query = exchange.getRequestURI().getRawQuery();
        if (query != null) {
            for (String part : query.split("&")) {
                if (part.startsWith("token=") && matches(URLDecoder.decode(part.substring(6), StandardCharsets.UTF_8))) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Constant-time comparison: the time a wrong token takes says nothing about how much of it was right. */
    private boolean matches(String offered) {
        return MessageDigest.isEqual(token.orElseThrow(), offered.getBytes(StandardCharsets.UTF_8));
    }

    private static void send(HttpExchange exchange, int status, String type, String body) throws IOException {
        send(exchange, status, type, body.getBytes(StandardCharsets.UTF_8));
    }

    private static void send(HttpExchange exchange, int status, String type, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", type);
        boolean head = exchange.getRequestMethod().equals("HEAD");
        exchange.sendResponseHeaders(status, head ? -1 : body.length == 0 ? -1 : body.length);
        if (!head) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
        view.close();
    }
}
