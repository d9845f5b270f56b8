package dev.sendsar.domain;

import io.micronaut.serde.annotation.Serdeable;

/** The newest message of a room, as room lists show it. */
@Serdeable
public record LastMessage(String id, long seq, String senderId, String previewText, String createdAt) {
    public static LastMessage of(Message m) {
        return new LastMessage(m.id(), m.seq(), m.senderId(), m.previewText(), m.createdAt());
    }
}
