package dev.sendsar.dynamo;

import dev.sendsar.fakes.TestWebhookOptions;
import dev.sendsar.webhooks.DynamoWebhookStore;
import dev.sendsar.webhooks.WebhookConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What a send reads of a tenant's webhook: whether it wants an event type, from the stored flags alone. */
class DynamoWebhookStoreTest {
    private static final DynamoLocal DB = new DynamoLocal();
    private final DynamoWebhookStore store = new DynamoWebhookStore(DB.client, DB.config, TestWebhookOptions.box());

    @AfterAll
    static void stop() {
        DB.close();
    }

    @Test
    void wants_onlyWhatAnEnabledWebhookSubscribesTo() {
        assertFalse(store.wants("none", "message.created"), "no webhook");
        store.saveConfig(config("some", true, List.of("message.created")));
        assertTrue(store.wants("some", "message.created"));
        assertFalse(store.wants("some", "message.updated"));
        store.saveConfig(config("all", true, null));
        assertTrue(store.wants("all", "message.updated"), "no event list: every event");
        store.saveConfig(config("off", false, null));
        assertFalse(store.wants("off", "message.created"), "disabled");
    }

    private static WebhookConfig config(String tenantId, boolean enabled, List<String> events) {
        return new WebhookConfig(tenantId, "https://example.com/hook", enabled, events, "whsec_test", null, null,
                "2026-01-01T00:00:00.000Z", "2026-01-01T00:00:00.000Z");
    }
}
