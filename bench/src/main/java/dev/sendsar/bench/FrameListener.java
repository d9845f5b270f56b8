package dev.sendsar.bench;

import java.net.http.WebSocket;
import java.util.concurrent.CompletionStage;

/** A socket listener that joins a text frame's fragments and hands each whole frame on with the time it arrived. */
abstract class FrameListener implements WebSocket.Listener {
    private final StringBuilder buffer = new StringBuilder();

    /** One whole text frame, {@code at} being {@link System#nanoTime()} when its last fragment arrived. */
    abstract void handle(long at, String text);

    @Override
    public void onOpen(WebSocket webSocket) {
        webSocket.request(1);
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
        buffer.append(data);
        if (last) {
            long at = System.nanoTime();
            String text = buffer.toString();
            buffer.setLength(0);
            handle(at, text);
        }
        webSocket.request(1);
        return null;
    }
}
