package dev.sendsar.push;

/** Which device tokens a message was already pushed to, so a retried or repeated job never pushes twice. */
public interface PushDeliveries {

    boolean delivered(String tenantId, String roomId, String messageId, String tokenId);

    void markDelivered(String tenantId, String roomId, String messageId, String tokenId);
}
