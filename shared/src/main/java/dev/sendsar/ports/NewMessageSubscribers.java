package dev.sendsar.ports;

/** Whether anything besides the room's sockets is to hear of a tenant's new messages: its webhook, if it wants them. */
public interface NewMessageSubscribers {

    /** Whether the tenant's webhook is enabled and wants {@code message.created}, as a warm function knows it. */
    boolean wantNewMessages(String tenantId);
}
