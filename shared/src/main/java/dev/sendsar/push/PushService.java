package dev.sendsar.push;

import dev.sendsar.domain.DeviceToken;
import dev.sendsar.domain.Member;
import dev.sendsar.domain.Message;
import dev.sendsar.domain.Room;
import dev.sendsar.domain.Times;
import dev.sendsar.domain.User;
import dev.sendsar.json.Json;
import dev.sendsar.ports.ConnectionRepository;
import dev.sendsar.ports.DeviceTokenRepository;
import dev.sendsar.ports.MessageRepository;
import dev.sendsar.ports.RoomRepository;
import dev.sendsar.ports.UserRepository;
import dev.sendsar.service.RealtimeService;
import dev.sendsar.settings.TenantSettingsService;
import dev.sendsar.webhooks.SecretBox;
import io.micronaut.context.annotation.Value;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Push notifications for new messages (contract §8): a committed message becomes push jobs of at most
 * {@link #RECIPIENTS_PER_JOB} recipients each; a job pushes to the devices of each recipient who is offline (no open
 * WebSocket in the tenant when the job runs) and has not muted the room.
 */
@Singleton
public class PushService {
    private static final Logger LOG = LoggerFactory.getLogger(PushService.class);
    /** A job's work stays well inside the worker's timeout even with every recipient on several devices. */
    static final int RECIPIENTS_PER_JOB = 25;
    /** A job is tried this many times (first try included) before its transient failures are given up. */
    static final int MAX_ATTEMPTS = 5;
    /** Retry delays as multiples of the base delay: 10 s, 1 min, 5 min, 15 min by default. */
    private static final int[] BACKOFF = {1, 6, 30, 90};
    static final int MAX_DELAY_SECONDS = 900;

    private final RoomRepository rooms;
    private final MessageRepository messages;
    private final UserRepository users;
    private final ConnectionRepository connections;
    private final DeviceTokenRepository deviceTokens;
    private final TenantSettingsService settings;
    private final RealtimeService realtime;
    private final PushDeliveries deliveries;
    private final PushQueue queue;
    private final Map<String, PushProvider> providers;
    private final SecretBox box;
    private final Json json;
    private final int retryBaseSeconds;

    public PushService(RoomRepository rooms, MessageRepository messages, UserRepository users,
                       ConnectionRepository connections, DeviceTokenRepository deviceTokens,
                       TenantSettingsService settings, RealtimeService realtime, PushDeliveries deliveries,
                       PushQueue queue, List<PushProvider> providers, SecretBox box, Json json,
                       @Value("${sendsar.push.retry-base-seconds:10}") int retryBaseSeconds) {
        this.rooms = rooms;
        this.messages = messages;
        this.users = users;
        this.connections = connections;
        this.deviceTokens = deviceTokens;
        this.settings = settings;
        this.realtime = realtime;
        this.deliveries = deliveries;
        this.queue = queue;
        this.providers = providers.stream().collect(Collectors.toMap(PushProvider::tokenProvider, Function.identity()));
        this.box = box;
        this.json = json;
        this.retryBaseSeconds = retryBaseSeconds;
    }

    /**
     * Queues the push jobs of a message just committed (from the table's change stream). Membership records are not
     * pushed; a tenant with no provider configured queues nothing.
     */
    public void messageCreated(String tenantId, Message message) {
        if (message.deletedAt() != null || message.parts().stream().anyMatch(p -> "data-membership".equals(p.get("type")))
                || !configured(settings.settings(tenantId).push())) {
            return;
        }
        Room room = rooms.find(tenantId, message.roomId()).orElse(null);
        if (room == null) {
            return;
        }
        List<String> recipients = room.memberIds().stream().filter(id -> !id.equals(message.senderId())).toList();
        for (int from = 0; from < recipients.size(); from += RECIPIENTS_PER_JOB) {
            queue.send(new PushJob(tenantId, room.id(), message.id(), message.seq(),
                    recipients.subList(from, Math.min(recipients.size(), from + RECIPIENTS_PER_JOB)), 0), 0);
        }
    }

    /**
     * Runs one job. Dead tokens are deleted; tokens already pushed for this message are skipped; recipients with a
     * transient failure go back to the queue as a new job after a growing delay. A tenant's refused credentials are
     * logged and give up that tenant's push only. The one place credentials are decrypted.
     */
    public void deliver(PushJob job) {
        PushCredentials credentials = settings.settings(job.tenantId()).push();
        Room room = rooms.find(job.tenantId(), job.roomId()).orElse(null);
        Message message = room == null ? null : messages.findBySeq(job.tenantId(), job.roomId(), job.seq())
                .filter(m -> m.id().equals(job.messageId()) && m.deletedAt() == null).orElse(null);
        if (message == null || !configured(credentials)) {
            return;
        }
        String title = title(job.tenantId(), room, message);
        String body = body(message);
        Map<String, String> data = new LinkedHashMap<>();
        data.put("roomId", room.id());
        data.put("messageId", message.id());
        data.put("seq", Long.toString(message.seq()));
        data.put("tenantId", job.tenantId());
        String now = Times.now();
        Map<String, PushCredentials.Provider> opened = new HashMap<>();
        List<String> failed = new ArrayList<>();
        for (String userId : job.recipients()) {
            if (userId.equals(message.senderId())) {
                continue;
            }
            Member member = rooms.member(job.tenantId(), room.id(), userId).orElse(null);
            if (member == null || member.mutedAt(now) || !connections.ofUser(job.tenantId(), userId).isEmpty()) {
                continue;
            }
            List<DeviceToken> pending = deviceTokens.ofUser(job.tenantId(), userId).stream()
                    .filter(t -> credentials.forTokenProvider(t.provider()).configured() && providers.containsKey(t.provider()))
                    .filter(t -> !deliveries.delivered(job.tenantId(), room.id(), message.id(), t.id()))
                    .toList();
            if (pending.isEmpty()) {
                continue;
            }
            Notification notification = new Notification(title, body, data, realtime.unreadTotal(job.tenantId(), userId));
            boolean retry = false;
            for (DeviceToken token : pending) {
                PushCredentials.Provider provider = opened.computeIfAbsent(token.provider(),
                        p -> open(job.tenantId(), p, credentials.forTokenProvider(p)));
                PushProvider.Outcome outcome = provider.configured()
                        ? providers.get(token.provider()).send(provider, token, notification)
                        : PushProvider.Outcome.REJECTED;
                switch (outcome) {
                    case DELIVERED -> deliveries.markDelivered(job.tenantId(), room.id(), message.id(), token.id());
                    case DEAD_TOKEN -> deviceTokens.delete(job.tenantId(), userId, token.id());
                    case RETRY -> retry = true;
                    case REJECTED -> LOG.warn("{} refused a push of tenant {} (check its push.{} credentials)",
                            token.provider(), job.tenantId(), token.provider().toLowerCase(java.util.Locale.ROOT));
                }
            }
            if (retry) {
                failed.add(userId);
            }
        }
        if (failed.isEmpty()) {
            return;
        }
        if (job.attempt() + 1 >= MAX_ATTEMPTS) {
            LOG.warn("Giving up pushing message {} of tenant {} to {} recipients after {} attempts", message.id(),
                    job.tenantId(), failed.size(), MAX_ATTEMPTS);
            return;
        }
        queue.send(job.retry(failed), retryDelaySeconds(job.attempt()));
    }

    /** The provider's credentials decrypted; not configured (so refused) when the key cannot open them. */
    private PushCredentials.Provider open(String tenantId, String tokenProvider, PushCredentials.Provider sealed) {
        try {
            return sealed.open(box, json);
        } catch (RuntimeException e) {
            LOG.warn("The push.{} credentials of tenant {} cannot be decrypted (was the secret key changed?)",
                    tokenProvider.toLowerCase(java.util.Locale.ROOT), tenantId);
            return PushCredentials.Provider.NOT_CONFIGURED;
        }
    }

    int retryDelaySeconds(int attempt) {
        return Math.min(MAX_DELAY_SECONDS, retryBaseSeconds * BACKOFF[Math.min(attempt, BACKOFF.length - 1)]);
    }

    private static boolean configured(PushCredentials credentials) {
        return credentials.fcm().configured() || credentials.apns().configured() || credentials.onesignal().configured()
                || credentials.webpush().configured();
    }

    /** A group shows its name; a 1:1 room (or a group without a name) the sender's display name. */
    private String title(String tenantId, Room room, Message message) {
        if (room.memberIds().size() > 2 && room.name() != null && !room.name().isBlank()) {
            return room.name();
        }
        return users.find(tenantId, message.senderId()).map(User::username).filter(n -> n != null && !n.isBlank())
                .orElse(message.senderId());
    }

    /** The message's preview text; a message with no text shows its first file as {@code 📎 filename}. */
    static String body(Message message) {
        boolean hasText = message.parts().stream().anyMatch(p -> "text".equals(p.get("type")));
        if (!hasText) {
            for (Map<String, Object> part : message.parts()) {
                if ("file".equals(part.get("type"))) {
                    return "\uD83D\uDCCE " + part.get("filename");
                }
            }
        }
        return message.previewText() == null ? "" : message.previewText();
    }
}
