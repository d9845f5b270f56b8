package dev.sendsar.domain;

import io.micronaut.serde.annotation.Serdeable;

/** A member of a room as {@code RoomDetail.participants} shows it. */
@Serdeable
public record Participant(String userId, String username, Role role, String joinedAt) {
}
