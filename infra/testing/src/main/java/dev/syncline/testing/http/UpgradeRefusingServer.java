package dev.syncline.testing.http;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;

/**
 * A plain HTTP/1.1 server on the loopback interface that refuses protocol upgrades the way uvicorn does: any request
 * carrying an {@code Upgrade} or {@code HTTP2-Settings} header gets {@code 400} with the text body
 * {@code Unsupported upgrade request.} and the connection closed. Every other request goes to the handler. It keeps
 * each request's head exactly as it came over the wire, so tests can show what a client sent, not what a server
 * library made of it.
 *
 * <p>Deliberately small: one request per connection (every answer says {@code Connection: close}), bodies by
 * {@code Content-Length} only, heads up to 64 KiB, bodies up to 16 MiB, 10 seconds of silence ends a connection.
 */
public final class UpgradeRefusingServer implements AutoCloseable {

    /** uvicorn's answer to an upgrade it does not support, word for word. */
    public static final String REFUSAL = "Unsupported upgrade request.";

    private static final int MAX_HEAD_BYTES = 64 * 1024;
    private static final int MAX_BODY_BYTES = 16 * 1024 * 1024;
    private static final int READ_TIMEOUT_MILLIS = 10_000;

    /** One request as received: its request line, its header lines in order and as written, its body. */
    public record Request(String requestLine, List<String> headerLines, byte[] body) {

        public Request {
            Objects.requireNonNull(requestLine, "requestLine");
            headerLines = List.copyOf(headerLines);
            body = body.clone();
        }

        public String method() {
            return requestLine.split(" ", 2)[0];
        }

        public String path() {
            String[] parts = requestLine.split(" ");
            return parts.length > 1 ? parts[1] : "";
        }

        /** The protocol of the request line, e.g. {@code HTTP/1.1}. */
        public String protocol() {
            String[] parts = requestLine.split(" ");
            return parts[parts.length - 1];
        }

        /** The first value of the header {@code name}, matched case-insensitively. */
        public Optional<String> header(String name) {
            for (String line : headerLines) {
                int colon = line.indexOf(':');
                if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase(name)) {
                    return Optional.of(line.substring(colon + 1).trim());
                }
            }
            return Optional.empty();
        }

        /** The names of the headers, lower-cased, in the order sent. */
        public List<String> headerNames() {
            List<String> names = new ArrayList<>();
            for (String line : headerLines) {
                int colon = line.indexOf(':');
                if (colon > 0) {
                    names.add(line.substring(0, colon).trim().toLowerCase(Locale.ROOT));
                }
            }
            return names;
        }

        public String bodyText() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    /** An answer: status, headers (Content-Length and Connection are added), body. */
    public record Response(int status, Map<String, String> headers, byte[] body) {

        public Response {
            headers = Map.copyOf(headers);
            body = body.clone();
        }

        public static Response json(int status, String json) {
            return new Response(status, Map.of("Content-Type", "application/json"), json.getBytes(StandardCharsets.UTF_8));
        }
    }

    private final ServerSocket socket;
    private final ExecutorService connections = Executors.newVirtualThreadPerTaskExecutor();
    private final List<Request> received = new CopyOnWriteArrayList<>();
    private final Function<Request, Response> handler;

    private UpgradeRefusingServer(Function<Request, Response> handler) throws IOException {
        this.handler = handler;
        this.socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        connections.submit(this::accept);
    }

    /** Starts a server on a free loopback port that answers every acceptable request with {@code handler}. */
    public static UpgradeRefusingServer start(Function<Request, Response> handler) {
        try {
            return new UpgradeRefusingServer(Objects.requireNonNull(handler, "handler"));
        } catch (IOException e) {
            throw new UncheckedIOException("the upgrade-refusing server could not start", e);
        }
    }

    /** {@code http://127.0.0.1:<port>} */
    public String baseUrl() {
        return "http://127.0.0.1:" + socket.getLocalPort();
    }

    /** Every request received so far, refused ones included, in arrival order. */
    public List<Request> received() {
        return List.copyOf(received);
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            connections.shutdownNow();
        }
    }

    private void accept() {
        while (!socket.isClosed()) {
            try {
                Socket connection = socket.accept();
                connections.submit(() -> serve(connection));
            } catch (SocketException closed) {
                return;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private void serve(Socket connection) {
        try (connection) {
            connection.setSoTimeout(READ_TIMEOUT_MILLIS);
            InputStream in = connection.getInputStream();
            String head = readHead(in);
            if (head == null) {
                return;
            }
            List<String> lines = new ArrayList<>(List.of(head.split("\r\n")));
            String requestLine = lines.removeFirst();
            Request headOnly = new Request(requestLine, lines, new byte[0]);
            int length = headOnly.header("Content-Length").map(Integer::parseInt).orElse(0);
            if (length < 0 || length > MAX_BODY_BYTES) {
                write(connection.getOutputStream(), text(413, "body too large for this test server"));
                return;
            }
            Request request = new Request(requestLine, lines, in.readNBytes(length));
            received.add(request);
            Response response = request.header("Upgrade").isPresent() || request.header("HTTP2-Settings").isPresent()
                    ? text(400, REFUSAL)
                    : handler.apply(request);
            write(connection.getOutputStream(), response);
        } catch (IOException e) {
            // The client went away: nothing to answer.
        }
    }

    /** The head up to its blank line, or null when the connection closed before one came. */
    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        byte[] end = {'\r', '\n', '\r', '\n'};
        while (matched < end.length) {
            int b = in.read();
            if (b < 0) {
                return null;
            }
            if (head.size() >= MAX_HEAD_BYTES) {
                throw new IOException("request head longer than " + MAX_HEAD_BYTES + " bytes");
            }
            head.write(b);
            matched = b == end[matched] ? matched + 1 : (b == '\r' ? 1 : 0);
        }
        String text = head.toString(StandardCharsets.ISO_8859_1);
        return text.substring(0, text.length() - end.length);
    }

    private static Response text(int status, String body) {
        return new Response(status, Map.of("Content-Type", "text/plain; charset=utf-8"), body.getBytes(StandardCharsets.UTF_8));
    }

    private static void write(OutputStream out, Response response) throws IOException {
        Map<String, String> headers = new LinkedHashMap<>(response.headers());
        headers.put("Content-Length", Integer.toString(response.body().length));
        headers.put("Connection", "close");
        StringBuilder head = new StringBuilder("HTTP/1.1 ").append(response.status()).append(' ')
                .append(reason(response.status())).append("\r\n");
        headers.forEach((name, value) -> head.append(name).append(": ").append(value).append("\r\n"));
        head.append("\r\n");
        out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
        out.write(response.body());
        out.flush();
    }

    private static String reason(int status) {
        return switch (status) {
            case 200 -> "OK";
            case 204 -> "No Content";
            case 400 -> "Bad Request";
            case 413 -> "Content Too Large";
            default -> "Status";
        };
    }
}
