package dev.sendsar.push;

import java.util.Map;

/**
 * What one recipient's devices show for a new message.
 *
 * @param data  {@code roomId}, {@code messageId}, {@code seq}, {@code tenantId} (strings: FCM takes only strings)
 * @param badge the recipient's unread total (APNs badge)
 */
public record Notification(String title, String body, Map<String, String> data, long badge) {
}
