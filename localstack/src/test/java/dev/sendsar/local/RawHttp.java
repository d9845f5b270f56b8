package dev.sendsar.local;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * HTTP/1.1 over a plain socket, for requests no well-behaved client would send (a bad %-escape, a NUL, a hand-made
 * upgrade): whatever arrives must be answered within the timeout.
 */
final class RawHttp {
    record Response(int status, Map<String, String> headers, String body) {
        JsonNode json() {
            try {
                return Api.JSON.readTree(body);
            } catch (IOException e) {
                throw new AssertionError("Not JSON: " + body, e);
            }
        }
    }

    private RawHttp() {
    }

    /** Sends the request (CRLF line ends added) with {@code Connection: close} and reads the whole answer. */
    static Response exchange(int port, String method, String target, Map<String, String> headers, byte[] body, int timeoutMillis)
            throws IOException {
        try (java.net.Socket socket = new java.net.Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), timeoutMillis);
            socket.setSoTimeout(timeoutMillis);
            StringBuilder head = new StringBuilder(method + " " + target + " HTTP/1.1\r\nHost: localhost:" + port + "\r\n");
            headers.forEach((k, v) -> head.append(k).append(": ").append(v).append("\r\n"));
            if (body != null) {
                head.append("Content-Length: ").append(body.length).append("\r\n");
            }
            if (!headers.containsKey("Connection")) {
                head.append("Connection: close\r\n");
            }
            head.append("\r\n");
            OutputStream out = socket.getOutputStream();
            out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
            if (body != null) {
                try {
                    out.write(body);
                } catch (IOException refusedEarly) {
                    // the server may answer (413) and close before it has read it all
                }
            }
            out.flush();
            return read(socket.getInputStream());
        }
    }

    static Response exchange(int port, String method, String target, Map<String, String> headers, String body) throws IOException {
        return exchange(port, method, target, headers, body == null ? null : body.getBytes(StandardCharsets.UTF_8), 30_000);
    }

    private static Response read(InputStream in) throws IOException {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        int headEnd = -1;
        int contentLength = -1;
        while (true) {
            int n;
            try {
                n = in.read(buffer);
            } catch (SocketTimeoutException e) {
                throw new SocketTimeoutException("No complete answer; got: " + all.toString(StandardCharsets.ISO_8859_1));
            } catch (java.net.SocketException reset) {
                if (headEnd >= 0) {
                    break;
                }
                throw reset;
            }
            if (n < 0) {
                break;
            }
            all.write(buffer, 0, n);
            if (headEnd < 0) {
                headEnd = all.toString(StandardCharsets.ISO_8859_1).indexOf("\r\n\r\n");
                if (headEnd >= 0) {
                    contentLength = contentLength(all.toString(StandardCharsets.ISO_8859_1).substring(0, headEnd));
                }
            }
            if (headEnd >= 0 && contentLength >= 0 && all.size() >= headEnd + 4 + contentLength) {
                break;
            }
        }
        String text = all.toString(StandardCharsets.UTF_8);
        int end = text.indexOf("\r\n\r\n");
        if (end < 0) {
            throw new IOException("No HTTP answer: " + text);
        }
        String[] lines = text.substring(0, end).split("\r\n");
        Map<String, String> headers = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            headers.put(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).trim());
        }
        return new Response(Integer.parseInt(lines[0].split(" ")[1]), headers, text.substring(end + 4));
    }

    private static int contentLength(String head) {
        for (String line : head.split("\r\n")) {
            if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                return Integer.parseInt(line.substring(15).trim());
            }
        }
        return -1;
    }
}
