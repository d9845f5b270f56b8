package dev.sendsar.error;

import io.micronaut.serde.annotation.Serdeable;

/** One invalid field of a request body or query, named as the client wrote it ({@code participants[0].id}). */
@Serdeable
public record FieldError(String field, String message) {
}
