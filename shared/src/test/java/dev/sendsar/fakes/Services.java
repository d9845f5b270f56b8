package dev.sendsar.fakes;

import dev.sendsar.json.Json;
import dev.sendsar.service.MessageActionService;
import dev.sendsar.service.MessageService;
import dev.sendsar.service.RateLimitService;
import dev.sendsar.service.ReceiptService;
import dev.sendsar.service.RealtimePublisher;
import dev.sendsar.service.RoomService;
import dev.sendsar.service.UploadService;
import dev.sendsar.settings.TenantSettingsService;
import io.micronaut.json.JsonMapper;

/** The services wired as the application wires them, over in-memory twins of every port. */
public final class Services {
    public final InMemoryStore store = new InMemoryStore();
    public final InMemoryUploads files = new InMemoryUploads();
    public final InMemoryTenantDirectory directory = new InMemoryTenantDirectory();
    public final Json json = new Json(JsonMapper.createDefault());
    public final TenantSettingsService settings = new TenantSettingsService(directory, json, dev.sendsar.fakes.TestWebhookOptions.box(), new TestConfig("t", null, null));
    public final RateLimitService rateLimits = new RateLimitService(store.rateLimiter, settings, new TestConfig("t", null, null));
    public final UploadService uploads = new UploadService(files.repository, files.storage, store.roomRepository, settings, rateLimits);
    public final InMemoryFanOutQueue fanOut = new InMemoryFanOutQueue();
    public final RealtimePublisher publisher = new RealtimePublisher(store.connectionRepository, store.gateway, fanOut, json,
            java.util.concurrent.Executors.newCachedThreadPool(r -> {
                Thread t = new Thread(r, "test-io");
                t.setDaemon(true);
                return t;
            }));
    /** Tenants whose webhook wants new messages. */
    public final java.util.Set<String> webhookTenants = java.util.concurrent.ConcurrentHashMap.newKeySet();
    public final MessageService messages = new MessageService(store.roomRepository, store.messageRepository, publisher, json,
            rateLimits, uploads, webhookTenants::contains);
    public final RoomService rooms = new RoomService(store.roomRepository, store.userRepository, messages, publisher, rateLimits);
    public final ReceiptService receipts = new ReceiptService(store.roomRepository, store.messageRepository, messages, publisher, rateLimits);
    public final MessageActionService actions = new MessageActionService(store.roomRepository, store.messageRepository,
            messages, publisher, settings, uploads, rateLimits);
}
