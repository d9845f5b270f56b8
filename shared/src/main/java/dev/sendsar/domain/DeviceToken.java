package dev.sendsar.domain;

import io.micronaut.serde.annotation.Serdeable;

/** A push target of one user's device. {@code id} is derived from the token, so registering twice is one token. */
@Serdeable
public record DeviceToken(String id, String provider, String token, String platform, String createdAt) {
}
