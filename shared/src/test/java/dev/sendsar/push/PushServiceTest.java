package dev.sendsar.push;

import dev.sendsar.domain.Caller;
import dev.sendsar.domain.Connection;
import dev.sendsar.domain.DeviceToken;
import dev.sendsar.domain.Message;
import dev.sendsar.fakes.InMemoryStore;
import dev.sendsar.fakes.Services;
import dev.sendsar.fakes.TestWebhookOptions;
import dev.sendsar.ports.TenantDirectory;
import dev.sendsar.service.MessageService;
import dev.sendsar.service.RealtimeService;
import dev.sendsar.service.RoomService;
import dev.sendsar.webhooks.SecretBox;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Who gets a push and what it says, over in-memory twins of the storage ports, a recording queue and a scripted
 * provider (tokens named {@code dead-*} are unregistered, {@code flaky-*} fail once; the API key {@code broken} is
 * refused).
 */
class PushServiceTest {
    private static final String T = "t1";
    private static final String OTHER = "t2";
    private static final String NOW = "2026-01-01T00:00:00.000Z";

    private final Services services = new Services();
    private final InMemoryStore store = services.store;
    private final Caller server = Caller.apiKey(T, "key");
    private final List<Sent> sent = new CopyOnWriteArrayList<>();
    private final List<Queued> queued = new CopyOnWriteArrayList<>();
    private final Set<String> failedOnce = new HashSet<>();
    private final Set<String> marks = new HashSet<>();
    private PushService push;

    record Sent(String apiKey, String token, Notification notification) {
    }

    record Queued(PushJob job, int delaySeconds) {
    }

    @BeforeEach
    void tenantWithOneSignal() {
        push = service(TestWebhookOptions.box());
        for (String tenant : List.of(T, OTHER)) {
            services.directory.createTenant(new TenantDirectory.Tenant(tenant, tenant, true, NOW));
        }
        configure(T, "good-key");
    }

    private PushService service(SecretBox box) {
        PushDeliveries deliveries = new PushDeliveries() {
            @Override
            public synchronized boolean delivered(String tenantId, String roomId, String messageId, String tokenId) {
                return marks.contains(tenantId + roomId + messageId + tokenId);
            }

            @Override
            public synchronized void markDelivered(String tenantId, String roomId, String messageId, String tokenId) {
                marks.add(tenantId + roomId + messageId + tokenId);
            }
        };
        PushQueue queue = new PushQueue(null, null, null) {
            @Override
            public void send(PushJob job, int delaySeconds) {
                queued.add(new Queued(job, delaySeconds));
            }
        };
        PushProvider oneSignal = new PushProvider() {
            @Override
            public String tokenProvider() {
                return "ONESIGNAL";
            }

            @Override
            public synchronized Outcome send(PushCredentials.Provider credentials, DeviceToken token, Notification notification) {
                sent.add(new Sent(credentials.value("apiKey"), token.token(), notification));
                if ("broken".equals(credentials.value("apiKey"))) {
                    return Outcome.REJECTED;
                }
                if (token.token().startsWith("dead-")) {
                    return Outcome.DEAD_TOKEN;
                }
                return token.token().startsWith("flaky-") && failedOnce.add(token.token()) ? Outcome.RETRY : Outcome.DELIVERED;
            }
        };
        RealtimeService realtime = new RealtimeService(store.connectionRepository, store.roomRepository, services.publisher,
                services.rateLimits);
        return new PushService(store.roomRepository, store.messageRepository, store.userRepository, store.connectionRepository,
                store.deviceTokenRepository, services.settings, realtime, deliveries, queue, List.of(oneSignal), box,
                services.json, 10);
    }

    private void configure(String tenant, String apiKey) {
        services.settings.patch(Caller.apiKey(tenant, "key"),
                Map.of("push", Map.of("onesignal", Map.of("appId", "app", "apiKey", apiKey))));
    }

    private String room(String tenant, String name, String... users) {
        List<RoomService.ParticipantInput> participants = new ArrayList<>();
        for (String user : users) {
            participants.add(new RoomService.ParticipantInput(user, user.toUpperCase(), null));
        }
        return services.rooms.create(Caller.apiKey(tenant, "key"), new RoomService.CreateRoomRequest(name, null, null, null,
                null, participants)).room().summary().id();
    }

    private Message send(String tenant, String roomId, String sender, List<Map<String, Object>> parts) {
        return services.messages.send(Caller.apiKey(tenant, "key"), roomId,
                new MessageService.SendMessageRequest(parts, null, null, sender)).message();
    }

    private Message text(String roomId, String sender, String text) {
        return send(T, roomId, sender, List.of(Map.of("type", "text", "text", text)));
    }

    private void token(String tenant, String user, String token) {
        store.deviceTokenRepository.save(tenant, user, new DeviceToken("id-" + token, "ONESIGNAL", token, null, NOW));
    }

    /** Runs every job queued so far (not the retries they queue). */
    private void runQueued() {
        List<Queued> jobs = List.copyOf(queued);
        queued.clear();
        jobs.forEach(q -> push.deliver(q.job()));
    }

    private List<String> tokensSent() {
        return sent.stream().map(Sent::token).toList();
    }

    @Test
    void offlineParticipantsOnly_notTheSender_notOnline_notMuted() {
        String roomId = room(T, "Team", "alice", "bob", "carol", "dave", "erin");
        for (String user : List.of("alice", "bob", "carol", "dave", "erin")) {
            token(T, user, "tok-" + user);
        }
        store.connectionRepository.save(new Connection("c-carol", T, "carol", null, NOW, Long.MAX_VALUE));
        MuteService mutes = new MuteService(store.roomRepository, services.rateLimits);
        mutes.mute(Caller.user(T, "dave"), roomId, null);
        mutes.mute(Caller.user(T, "erin"), roomId, new MuteService.MuteRequest("2999-01-01T00:00:00Z", null));
        mutes.unmute(Caller.user(T, "erin"), roomId, null);

        Message message = text(roomId, "alice", "Lunch at noon?");
        push.messageCreated(T, message);
        runQueued();

        assertEquals(List.of("tok-bob", "tok-erin"), tokensSent().stream().sorted().toList(),
                "alice sent it, carol is online, dave muted the room; erin unmuted it");
        Notification n = sent.get(0).notification();
        assertEquals("Team", n.title());
        assertEquals("Lunch at noon?", n.body());
        assertEquals(Map.of("roomId", roomId, "messageId", message.id(), "seq", Long.toString(message.seq()), "tenantId", T),
                n.data());
    }

    @Test
    void title_isTheGroupsName_orInOneToOneTheSendersUsername_bodyShowsAFileAsItsName() {
        String direct = room(T, null, "alice", "bob");
        token(T, "bob", "tok-bob");
        push.messageCreated(T, text(direct, "alice", "hi"));
        runQueued();
        assertEquals("ALICE", sent.get(0).notification().title());
        assertEquals("hi", sent.get(0).notification().body());

        Message file = send(T, direct, "alice", List.of(Map.of("type", "data-note", "data", Map.of("x", 1))));
        Message asFile = new Message(file.id(), file.roomId(), file.seq(), file.senderId(),
                List.of(Map.of("type", "file", "filename", "report.pdf", "mediaType", "application/pdf")), "",
                null, file.createdAt(), null, null, false, List.of(), null, null, null, null, null, null);
        assertEquals("\uD83D\uDCCE report.pdf", PushService.body(asFile));
        Message textAndFile = new Message(file.id(), file.roomId(), file.seq(), file.senderId(),
                List.of(Map.of("type", "text", "text", "see attached"), Map.of("type", "file", "filename", "report.pdf")),
                "see attached", null, file.createdAt(), null, null, false, List.of(), null, null, null, null, null, null);
        assertEquals("see attached", PushService.body(textAndFile));
    }

    @Test
    void badge_isTheRecipientsUnreadTotal_acrossTheirRooms() {
        String other = room(T, "Other", "carol", "bob");
        text(other, "carol", "one");
        text(other, "carol", "two");
        String roomId = room(T, "Team", "alice", "bob", "carol");
        token(T, "bob", "tok-bob");
        push.messageCreated(T, text(roomId, "alice", "three"));
        runQueued();
        assertEquals(3, sent.get(0).notification().badge());
    }

    @Test
    void deletedMessages_andRoomsWithoutAProvider_sendNothing() {
        String roomId = room(T, "Team", "alice", "bob");
        token(T, "bob", "tok-bob");
        Message message = text(roomId, "alice", "oops");
        push.messageCreated(T, message);
        services.actions.delete(server, roomId, message.id());
        runQueued();
        assertTrue(sent.isEmpty(), "deleted before the job ran");

        push.messageCreated(T, store.messageRepository.findById(T, roomId, message.id()).orElseThrow());
        assertTrue(queued.isEmpty(), "a deleted message queues nothing");

        String unconfigured = room(OTHER, "Team", "alice", "bob");
        token(OTHER, "bob", "tok-other");
        push.messageCreated(OTHER, send(OTHER, unconfigured, "alice", List.of(Map.of("type", "text", "text", "x"))));
        assertTrue(queued.isEmpty(), "a tenant with no provider queues nothing");
    }

    @Test
    void bigRoom_isOneQueueMessagePerBatchOfRecipients() {
        String[] users = IntStream.range(0, 60).mapToObj(i -> "u" + i).toArray(String[]::new);
        String roomId = room(T, "Big", users);
        push.messageCreated(T, text(roomId, "u0", "all hands"));
        assertEquals(3, queued.size(), "59 recipients in batches of " + PushService.RECIPIENTS_PER_JOB);
        List<String> recipients = queued.stream().flatMap(q -> q.job().recipients().stream()).toList();
        assertEquals(59, recipients.size());
        assertEquals(59, new HashSet<>(recipients).size());
        assertTrue(!recipients.contains("u0"), "never the sender");
        assertTrue(queued.stream().allMatch(q -> q.delaySeconds() == 0 && q.job().attempt() == 0));
    }

    @Test
    void deadTokenDeleted_transientFailureRetriedForItsRecipientOnly_withBackoff_andNothingPushedTwice() {
        String roomId = room(T, "Team", "alice", "bob", "carol");
        token(T, "bob", "dead-bob");
        token(T, "bob", "tok-bob");
        token(T, "carol", "flaky-carol");
        push.messageCreated(T, text(roomId, "alice", "hello"));
        PushJob first = queued.get(0).job();
        runQueued();

        assertEquals(List.of("tok-bob"), store.deviceTokenRepository.ofUser(T, "bob").stream().map(DeviceToken::token).toList(),
                "the dead token is deleted");
        assertEquals(1, queued.size());
        assertEquals(List.of("carol"), queued.get(0).job().recipients());
        assertEquals(1, queued.get(0).job().attempt());
        assertEquals(10, queued.get(0).delaySeconds());

        runQueued();
        push.deliver(first);
        assertEquals(1, tokensSent().stream().filter("tok-bob"::equals).count(), "a repeated job skips delivered tokens");
        assertEquals(2, tokensSent().stream().filter("flaky-carol"::equals).count(), "one failure, one delivery");
        assertTrue(queued.isEmpty());
        assertEquals(60, push.retryDelaySeconds(1));
        assertEquals(PushService.MAX_DELAY_SECONDS, push.retryDelaySeconds(10));
    }

    @Test
    void transientFailures_giveUpAfterTheLastAttempt() {
        String roomId = room(T, "Team", "alice", "bob");
        token(T, "bob", "flaky-bob");
        Message message = text(roomId, "alice", "hello");
        push.deliver(new PushJob(T, roomId, message.id(), message.seq(), List.of("bob"), PushService.MAX_ATTEMPTS - 1));
        assertEquals(1, sent.size());
        assertTrue(queued.isEmpty(), "no sixth attempt");
    }

    @Test
    void oneTenantsBrokenCredentials_neverBlockAnothersPushes() {
        configure(OTHER, "broken");
        String broken = room(OTHER, "Team", "alice", "bob");
        token(OTHER, "bob", "tok-other-bob");
        String fine = room(T, "Team", "alice", "bob");
        token(T, "bob", "tok-bob");
        push.messageCreated(OTHER, send(OTHER, broken, "alice", List.of(Map.of("type", "text", "text", "x"))));
        push.messageCreated(T, text(fine, "alice", "y"));
        runQueued();

        assertEquals(List.of("tok-other-bob", "tok-bob"), tokensSent());
        assertTrue(queued.isEmpty(), "refused credentials are not retried");
        assertEquals(1, store.deviceTokenRepository.ofUser(OTHER, "bob").size(), "nor do they cost the user's token");
    }

    @Test
    void credentialsTheKeyCannotOpen_refuseThatTenantOnly() {
        push = service(new SecretBox(new TestWebhookOptions("another-key-0123456789", true)));
        String roomId = room(T, "Team", "alice", "bob");
        token(T, "bob", "tok-bob");
        push.messageCreated(T, text(roomId, "alice", "x"));
        runQueued();
        assertTrue(sent.isEmpty());
        assertTrue(queued.isEmpty());
    }
}
