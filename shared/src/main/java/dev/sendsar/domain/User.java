package dev.sendsar.domain;

import io.micronaut.serde.annotation.Serdeable;

import java.util.Map;

/** An integrator's user, known to us by the integrator's own id. */
@Serdeable
public record User(String id, String username, String avatarUrl, Map<String, Object> metadata, String appCode,
                   String createdAt, String updatedAt) {
}
