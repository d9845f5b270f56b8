package dev.sendsar.push;

import io.micronaut.serde.annotation.Serdeable;

import java.util.List;

/**
 * One push queue message: a new message to push to a batch of its room's participants. A retry carries only the
 * recipients whose push failed transiently, with {@code attempt} counting up.
 */
@Serdeable
public record PushJob(String tenantId, String roomId, String messageId, long seq, List<String> recipients, int attempt) {

    PushJob retry(List<String> failed) {
        return new PushJob(tenantId, roomId, messageId, seq, List.copyOf(failed), attempt + 1);
    }
}
