package dev.sendsar.domain;

import java.util.List;

/** One page of a listing; {@code nextCursor} is opaque to clients and {@code null} on the last page. */
public record Page<T>(List<T> items, String nextCursor) {
}
