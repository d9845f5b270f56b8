package dev.sendsar.local;

import com.sun.net.httpserver.HttpServer;
import livekit.LivekitRoom;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * LiveKit's room service as its server SDK sees it (Twirp: protobuf over HTTP POST), on loopback: no LiveKit server
 * can run here. It records the rooms it was asked to delete and answers each request like LiveKit would.
 */
final class FakeLiveKit {
    static final String API_KEY = "APItestkey";
    static final String API_SECRET = "test-secret-that-is-long-enough-for-hs256-signing";

    private final HttpServer server;
    private final List<String> deletedRooms = new CopyOnWriteArrayList<>();

    private FakeLiveKit(HttpServer server) {
        this.server = server;
    }

    static FakeLiveKit start() throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        FakeLiveKit fake = new FakeLiveKit(server);
        server.createContext("/twirp/livekit.RoomService/DeleteRoom", exchange -> {
            try (InputStream body = exchange.getRequestBody()) {
                boolean signed = exchange.getRequestHeaders().getFirst("Authorization") != null;
                LivekitRoom.DeleteRoomRequest request = LivekitRoom.DeleteRoomRequest.parseFrom(body.readAllBytes());
                if (!signed) {
                    exchange.sendResponseHeaders(401, -1);
                    return;
                }
                fake.deletedRooms.add(request.getRoom());
                byte[] answer = LivekitRoom.DeleteRoomResponse.getDefaultInstance().toByteArray();
                exchange.getResponseHeaders().add("Content-Type", "application/protobuf");
                exchange.sendResponseHeaders(200, answer.length == 0 ? -1 : answer.length);
                if (answer.length > 0) {
                    exchange.getResponseBody().write(answer);
                }
            } finally {
                exchange.close();
            }
        });
        server.start();
        return fake;
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    List<String> deletedRooms() {
        return List.copyOf(deletedRooms);
    }
}
