package dev.sendsar.webhooks;

import dev.sendsar.domain.Caller;
import dev.sendsar.domain.Page;
import dev.sendsar.domain.Times;
import dev.sendsar.error.ApiException;
import dev.sendsar.error.ErrorCode;
import dev.sendsar.error.Violations;
import dev.sendsar.json.Json;
import io.micronaut.serde.annotation.Serdeable;
import jakarta.inject.Singleton;

import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The tenant webhook routes of §3: configuration, secret rotation, a test send, the delivery log and replays. */
@Singleton
public class WebhookService {
    /** How long the previous secret keeps signing after a rotation. */
    static final Duration ROTATION_GRACE = Duration.ofHours(24);
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final int MAX_EVENT_ID_LENGTH = 64;

    /** The configuration as GET shows it; {@code secret} only in the PUT that created it and never again. */
    @Serdeable
    public record View(String url, boolean enabled, List<String> events, String secret, String createdAt, String updatedAt) {
    }

    @Serdeable
    public record Secret(String secret) {
    }

    @Serdeable
    public record TestResult(boolean ok, Integer statusCode, long latencyMs, String error, String testedAt, String url) {
    }

    @Serdeable
    public record DeliveryPage(List<Delivery> deliveries, String nextCursor) {
    }

    @Serdeable
    public record Replay(String eventId, String status) {
    }

    private final WebhookConfigs configs;
    private final WebhookStore store;
    private final WebhookQueue queue;
    private final WebhookSender sender;
    private final UrlGuard guard;
    private final Json json;

    public WebhookService(WebhookConfigs configs, WebhookStore store, WebhookQueue queue, WebhookSender sender,
                          UrlGuard guard, Json json) {
        this.configs = configs;
        this.store = store;
        this.queue = queue;
        this.sender = sender;
        this.guard = guard;
        this.json = json;
    }

    public View get(Caller caller) {
        WebhookConfig config = existing(caller.tenantId());
        return view(config, null);
    }

    /** Creates or replaces the endpoint; the signing secret is made (and shown) on first creation only. */
    public View put(Caller caller, Map<String, Object> body) {
        String tenantId = caller.tenantId();
        if (body == null) {
            throw new ApiException(ErrorCode.VALIDATION_FAILED, "A body {url, enabled, events?} is required");
        }
        Violations violations = new Violations();
        Object url = body.get("url");
        Object enabled = body.getOrDefault("enabled", Boolean.TRUE);
        Object events = body.get("events");
        if (!(url instanceof String)) {
            violations.check(false, "url", "must be an http(s) URL");
        }
        if (!(enabled instanceof Boolean)) {
            violations.check(false, "enabled", "must be true or false");
        }
        List<String> eventTypes = null;
        if (events != null) {
            if (!(events instanceof List<?> list) || list.size() > ServerEvent.TYPES.size()) {
                violations.check(false, "events", "must be a list of event types");
            } else {
                eventTypes = new ArrayList<>();
                for (int i = 0; i < list.size(); i++) {
                    if (list.get(i) instanceof String type && ServerEvent.TYPES.contains(type)) {
                        eventTypes.add(type);
                    } else {
                        violations.check(false, "events[" + i + "]", "must be one of " + ServerEvent.TYPES);
                    }
                }
            }
        }
        violations.throwIfAny();
        guard.check((String) url, UrlGuard.Target.WEBHOOK);
        String now = Times.now();
        List<String> subscribed = eventTypes == null ? null : List.copyOf(eventTypes);
        var previous = configs.of(tenantId);
        WebhookConfig config = previous.isPresent()
                ? new WebhookConfig(tenantId, (String) url, (Boolean) enabled, subscribed, previous.get().secret(),
                previous.get().previousSecret(), previous.get().previousSecretUntil(), previous.get().createdAt(), now)
                : new WebhookConfig(tenantId, (String) url, (Boolean) enabled, subscribed, newSecret(), null, null, now, now);
        configs.save(config);
        return view(config, previous.isEmpty() ? config.secret() : null);
    }

    /** A new secret; the old one keeps signing a second {@code v1=} for {@link #ROTATION_GRACE}. */
    public Secret rotateSecret(Caller caller) {
        WebhookConfig config = existing(caller.tenantId());
        String secret = newSecret();
        configs.save(new WebhookConfig(config.tenantId(), config.url(), config.enabled(), config.events(), secret,
                config.secret(), Times.format(Instant.now().plus(ROTATION_GRACE)), config.createdAt(), Times.now()));
        return new Secret(secret);
    }

    /** Sends {@code console.test} once, now, and says how it went; the delivery log does not keep it. */
    public TestResult test(Caller caller) {
        WebhookConfig config = existing(caller.tenantId());
        String testedAt = Times.now();
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("message", "This is a test event from Sendsar");
        ServerEvent event = new ServerEvent(EventIds.random(), ServerEvent.CONSOLE_TEST, config.tenantId(), testedAt,
                null, null, null, "Test event", data);
        WebhookSender.Outcome outcome = sender.post(config, event.id(), json.write(event.toBody()), 1);
        return new TestResult(outcome.ok(), outcome.statusCode(), outcome.latencyMs(), outcome.error(), testedAt, config.url());
    }

    public DeliveryPage deliveries(Caller caller, String status, String cursor, Integer limit) {
        String tenantId = caller.tenantId();
        if (status != null && !List.of(Delivery.PENDING, Delivery.DELIVERED, Delivery.FAILED).contains(status)) {
            throw new ApiException(ErrorCode.INVALID_STATUS, "status must be pending, delivered or failed");
        }
        int size = limit == null ? 50 : limit;
        if (size < 1 || size > 100) {
            throw new ApiException(ErrorCode.INVALID_LIMIT, "limit must be 1…100");
        }
        Page<Delivery> page = store.deliveries(tenantId, status, cursor, size);
        return new DeliveryPage(page.items(), page.nextCursor());
    }

    /** Queues the logged event again, same id and body; a replay gets the whole retry ladder. */
    public Replay replay(Caller caller, String eventId) {
        String tenantId = caller.tenantId();
        if (eventId == null || eventId.length() > MAX_EVENT_ID_LENGTH) {
            throw new ApiException(ErrorCode.DELIVERY_NOT_FOUND, "No delivery with this event id");
        }
        Delivery delivery = store.delivery(tenantId, eventId)
                .orElseThrow(() -> new ApiException(ErrorCode.DELIVERY_NOT_FOUND, "No delivery with this event id"));
        // Pending first: the worker skips entries that are not pending, and may take the task at once.
        store.updateDelivery(tenantId, new Delivery(delivery.eventId(), delivery.type(), Delivery.PENDING, delivery.attempts(),
                delivery.lastStatusCode(), delivery.latencyMs(), delivery.lastError(), null, delivery.createdAt(), Times.now(),
                delivery.body()));
        queue.send(new WebhookQueue.Task(tenantId, eventId, delivery.attempts() + 1, 0, 0));
        return new Replay(eventId, Delivery.PENDING);
    }

    private WebhookConfig existing(String tenantId) {
        return configs.of(tenantId).orElseThrow(() -> new ApiException(ErrorCode.WEBHOOK_NOT_FOUND,
                "No webhook is configured: PUT /v1/tenant/webhook first"));
    }

    private static View view(WebhookConfig config, String secret) {
        return new View(config.url(), config.enabled(), config.events(), secret, config.createdAt(), config.updatedAt());
    }

    private static String newSecret() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return "whsec_" + Base64.getEncoder().withoutPadding().encodeToString(bytes);
    }
}
