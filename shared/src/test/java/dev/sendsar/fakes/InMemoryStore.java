package dev.sendsar.fakes;

import dev.sendsar.domain.Connection;
import dev.sendsar.domain.DeviceToken;
import dev.sendsar.domain.LastMessage;
import dev.sendsar.domain.Member;
import dev.sendsar.domain.Message;
import dev.sendsar.domain.Page;
import dev.sendsar.domain.RateLimitedAction;
import dev.sendsar.domain.Room;
import dev.sendsar.domain.Times;
import dev.sendsar.domain.User;
import dev.sendsar.ports.ConnectionGateway;
import dev.sendsar.ports.ConnectionRepository;
import dev.sendsar.ports.DeviceTokenRepository;
import dev.sendsar.ports.MessageRepository;
import dev.sendsar.ports.RateLimiter;
import dev.sendsar.ports.RoomRepository;
import dev.sendsar.ports.UserRepository;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * In-memory twins of the storage ports and the connection gateway, for service tests. They keep the contracts
 * that matter to the services (seq condition, idempotency, tenant scoping), not DynamoDB's mechanics.
 */
public final class InMemoryStore {
    private final Map<String, User> users = new HashMap<>();
    private final Map<String, Room> rooms = new HashMap<>();
    private final Map<String, Map<String, Member>> members = new HashMap<>();
    private final Map<String, String> externalIds = new HashMap<>();
    private final Map<String, TreeMap<Long, Message>> messages = new HashMap<>();
    private final Map<String, MessageRepository.Reservation> claims = new HashMap<>();
    private final Map<String, Connection> connections = new LinkedHashMap<>();
    private final java.util.Set<String> announced = new java.util.HashSet<>();
    private final Map<String, String> typingIn = new HashMap<>();
    private final Map<String, Map<String, DeviceToken>> deviceTokens = new HashMap<>();
    /** Frames posted, as "connectionId frame". */
    public final List<String> posted = new CopyOnWriteArrayList<>();
    /** Connection ids the gateway answers 410 for. */
    public final Set<String> gone = new HashSet<>();
    /** Read cursors written because the room item stopped naming a sender's own message (see Member#readIn). */
    public final java.util.concurrent.atomic.AtomicInteger cursorWrites = new java.util.concurrent.atomic.AtomicInteger();
    /** Runs before each message put, to simulate another writer winning the race. */
    public Runnable beforePut = () -> { };

    private static String k(String tenantId, String id) {
        return tenantId + "/" + id;
    }

    public final UserRepository userRepository = new UserRepository() {
        @Override
        public synchronized Upserted upsert(String tenantId, String userId, UserFields f) {
            User old = users.get(k(tenantId, userId));
            String now = Times.now();
            User merged = new User(userId, f.username() != null ? f.username() : old == null ? null : old.username(),
                    f.avatarUrl() != null ? f.avatarUrl() : old == null ? null : old.avatarUrl(),
                    f.metadata() != null ? f.metadata() : old == null ? null : old.metadata(),
                    f.appCode() != null ? f.appCode() : old == null ? null : old.appCode(),
                    old == null ? now : old.createdAt(), now);
            users.put(k(tenantId, userId), merged);
            return new Upserted(merged, old == null);
        }

        @Override
        public synchronized Optional<User> find(String tenantId, String userId) {
            return Optional.ofNullable(users.get(k(tenantId, userId)));
        }

        @Override
        public synchronized Map<String, User> findAll(String tenantId, Collection<String> userIds) {
            Map<String, User> found = new HashMap<>();
            userIds.forEach(id -> find(tenantId, id).ifPresent(u -> found.put(id, u)));
            return found;
        }
    };

    public final RoomRepository roomRepository = new RoomRepository() {
        @Override
        public synchronized Room create(String tenantId, Room room, List<Member> ms) {
            if (room.externalId() != null && externalIds.containsKey(k(tenantId, room.externalId()))) {
                return rooms.get(k(tenantId, externalIds.get(k(tenantId, room.externalId()))));
            }
            rooms.put(k(tenantId, room.id()), room);
            Map<String, Member> byUser = new LinkedHashMap<>();
            ms.forEach(m -> {
                byUser.put(m.userId(), m);
            });
            members.put(k(tenantId, room.id()), byUser);
            if (room.externalId() != null) {
                externalIds.put(k(tenantId, room.externalId()), room.id());
            }
            return room;
        }

        @Override
        public synchronized Optional<Room> find(String tenantId, String roomId) {
            return Optional.ofNullable(rooms.get(k(tenantId, roomId)));
        }

        @Override
        public synchronized Map<String, Room> findAll(String tenantId, Collection<String> roomIds) {
            Map<String, Room> found = new HashMap<>();
            roomIds.forEach(id -> find(tenantId, id).ifPresent(r -> found.put(id, r)));
            return found;
        }

        @Override
        public synchronized Optional<String> findIdByExternalId(String tenantId, String externalId) {
            return Optional.ofNullable(externalIds.get(k(tenantId, externalId)));
        }

        @Override
        public synchronized Optional<Room> update(String tenantId, String roomId, RoomChanges c) {
            Room r = rooms.get(k(tenantId, roomId));
            if (r == null) {
                return Optional.empty();
            }
            Room updated = new Room(r.id(), c.name() != null ? c.name() : r.name(), c.avatarUrl() != null ? c.avatarUrl() : r.avatarUrl(),
                    r.externalId(), c.customType() != null ? c.customType() : r.customType(),
                    c.metadata() != null ? c.metadata() : r.metadata(), c.frozen() != null ? c.frozen() : r.frozen(),
                    r.lastSeq(), r.lastMessage(), r.priorMessage(), r.memberIds(), r.membersVersion(), r.createdAt(), c.updatedAt());
            rooms.put(k(tenantId, roomId), updated);
            return Optional.of(updated);
        }

        @Override
        public synchronized Optional<Room> head(String tenantId, String roomId) {
            return find(tenantId, roomId).map(r -> withMembers(r, List.of(), r.membersVersion()));
        }

        @Override
        public synchronized Optional<Message> addMember(String tenantId, Room room, Member member,
                                                        java.util.function.LongFunction<Message> recordAt) {
            Room current = rooms.get(k(tenantId, room.id()));
            if (!current.memberIds().equals(room.memberIds()) || current.hasMember(member.userId())) {
                return Optional.empty();
            }
            List<String> ids = new ArrayList<>(current.memberIds());
            ids.add(member.userId());
            members.get(k(tenantId, room.id())).put(member.userId(), member);
            return Optional.of(changeMembers(tenantId, current, ids, recordAt));
        }

        @Override
        public synchronized Optional<Message> removeMember(String tenantId, Room room, String userId,
                                                           java.util.function.LongFunction<Message> recordAt) {
            Room current = rooms.get(k(tenantId, room.id()));
            if (!current.memberIds().equals(room.memberIds()) || !current.hasMember(userId)) {
                return Optional.empty();
            }
            List<String> ids = new ArrayList<>(current.memberIds());
            ids.remove(userId);
            members.get(k(tenantId, room.id())).remove(userId);
            return Optional.of(changeMembers(tenantId, current, ids, recordAt));
        }

        @Override
        public synchronized Optional<Member> advanceCursor(String tenantId, String roomId, String userId, Cursor cursor,
                                                           long seq, String messageId, String at) {
            Member m = members.getOrDefault(k(tenantId, roomId), Map.of()).get(userId);
            if (m == null) {
                return Optional.empty();
            }
            long current = cursor == Cursor.READ ? m.lastReadSeq() : m.lastDeliveredSeq();
            if (seq > current) {
                m = cursor == Cursor.READ ? m.withRead(seq, messageId, at) : m.withDelivered(seq, messageId, at);
                members.get(k(tenantId, roomId)).put(userId, m);
            }
            return Optional.of(m);
        }

        @Override
        public synchronized Optional<Member> saveMember(String tenantId, Member member) {
            Map<String, Member> byUser = members.getOrDefault(k(tenantId, member.roomId()), Map.of());
            if (!byUser.containsKey(member.userId())) {
                return Optional.empty();
            }
            byUser.put(member.userId(), member);
            return Optional.of(member);
        }

        @Override
        public synchronized List<Member> members(String tenantId, String roomId) {
            return List.copyOf(members.getOrDefault(k(tenantId, roomId), Map.of()).values());
        }

        @Override
        public synchronized Optional<Member> member(String tenantId, String roomId, String userId) {
            return Optional.ofNullable(members.getOrDefault(k(tenantId, roomId), Map.of()).get(userId));
        }

        @Override
        public synchronized Page<Listed> roomsOf(String tenantId, String userId, String cursor, int limit) {
            List<Listed> all = new ArrayList<>();
            members.forEach((key, byUser) -> {
                if (key.startsWith(tenantId + "/") && byUser.containsKey(userId)) {
                    all.add(new Listed(byUser.get(userId), rooms.get(key)));
                }
            });
            all.sort(Comparator.comparing((Listed l) -> l.activityAt() + "#" + l.room().id()).reversed());
            int from = cursor == null ? 0 : Integer.parseInt(cursor);
            List<Listed> page = all.subList(Math.min(from, all.size()), Math.min(from + limit, all.size()));
            return new Page<>(List.copyOf(page), from + limit < all.size() ? Integer.toString(from + limit) : null);
        }
    };

    /** Ids of the messages stored marked quiet (their stream records would invoke no event router). */
    public final Set<String> quietMessages = java.util.concurrent.ConcurrentHashMap.newKeySet();
    /** Ids of the messages whose quiet mark was taken off after their send. */
    public final Set<String> unquieted = java.util.concurrent.ConcurrentHashMap.newKeySet();

    public final MessageRepository messageRepository = new MessageRepository() {
        @Override
        public PutResult put(String tenantId, Message message, boolean quiet) {
            beforePut.run();
            synchronized (InMemoryStore.this) {
                TreeMap<Long, Message> timeline = messages.computeIfAbsent(k(tenantId, message.roomId()), x -> new TreeMap<>());
                Message occupant = timeline.putIfAbsent(message.seq(), message);
                if (occupant == null && quiet) {
                    quietMessages.add(message.id());
                }
                return occupant == null ? new PutResult.Stored(message) : new PutResult.Taken(occupant);
            }
        }

        @Override
        public void unquiet(String tenantId, Message message) {
            if (quietMessages.remove(message.id())) {
                unquieted.add(message.id());
            }
        }

        @Override
        public synchronized void markNewest(String tenantId, Message message, String lastSender) {
            Room room = rooms.get(k(tenantId, message.roomId()));
            LastMessage sent = LastMessage.of(message);
            if (room.lastSeq() < message.seq()) {
                moveTo(tenantId, room, sent);
            } else if (!room.namesReadThrough(message.senderId(), message.seq())) {
                keepReads(tenantId, room.id(), List.of(sent));
            }
        }

        private String claimKey(String tenantId, ClientKey key) {
            return k(tenantId, key.roomId()) + "/" + key.senderId() + "/" + key.clientMessageId();
        }

        @Override
        public synchronized Optional<Reservation> reserve(String tenantId, ClientKey key, Reservation mine) {
            return Optional.ofNullable(claims.putIfAbsent(claimKey(tenantId, key), mine));
        }

        @Override
        public synchronized Optional<Reservation> reservation(String tenantId, ClientKey key) {
            return Optional.ofNullable(claims.get(claimKey(tenantId, key)));
        }

        @Override
        public synchronized boolean moveReservation(String tenantId, ClientKey key, String owner, long seq) {
            Reservation held = claims.get(claimKey(tenantId, key));
            if (held == null || !owner.equals(held.owner())) {
                return false;
            }
            claims.put(claimKey(tenantId, key), new Reservation(owner, seq, held.attemptAt()));
            return true;
        }

        @Override
        public synchronized boolean takeOver(String tenantId, ClientKey key, Reservation stale, Reservation mine) {
            return claims.replace(claimKey(tenantId, key), stale, mine);
        }

        @Override
        public synchronized void release(String tenantId, ClientKey key, String owner) {
            Reservation held = claims.get(claimKey(tenantId, key));
            if (held != null && owner.equals(held.owner())) {
                claims.remove(claimKey(tenantId, key));
            }
        }

        @Override
        public synchronized Optional<Message> findBySeq(String tenantId, String roomId, long seq) {
            return Optional.ofNullable(messages.getOrDefault(k(tenantId, roomId), new TreeMap<>()).get(seq));
        }

        @Override
        public synchronized Optional<Message> findById(String tenantId, String roomId, String messageId) {
            return messages.getOrDefault(k(tenantId, roomId), new TreeMap<>()).values().stream()
                    .filter(m -> m.id().equals(messageId)).findFirst();
        }

        @Override
        public synchronized Map<String, Message> findByIds(String tenantId, String roomId, Collection<String> messageIds) {
            Map<String, Message> found = new HashMap<>();
            messages.getOrDefault(k(tenantId, roomId), new TreeMap<>()).values().stream()
                    .filter(m -> messageIds.contains(m.id())).forEach(m -> found.put(m.id(), m));
            return found;
        }


        @Override
        public synchronized Optional<Message> update(String tenantId, String roomId, long seq, java.util.function.UnaryOperator<Message> change) {
            TreeMap<Long, Message> room = messages.get(k(tenantId, roomId));
            Message before = room == null ? null : room.get(seq);
            if (before == null) {
                return Optional.empty();
            }
            Message after = change.apply(before);
            room.put(seq, after);
            Room r = rooms.get(k(tenantId, roomId));
            if (r.lastSeq() == seq) {
                rooms.put(k(tenantId, roomId), new Room(r.id(), r.name(), r.avatarUrl(), r.externalId(), r.customType(),
                        r.metadata(), r.frozen(), seq, LastMessage.of(after), r.priorMessage(), r.memberIds(),
                        r.membersVersion(), r.createdAt(), r.updatedAt()));
            } else if (r.lastSeq() < seq) {
                moveTo(tenantId, r, LastMessage.of(after));
            }
            return Optional.of(after);
        }

        @Override
        public synchronized List<Message> pinned(String tenantId, String roomId) {
            return messages.getOrDefault(k(tenantId, roomId), new TreeMap<>()).values().stream()
                    .filter(m -> m.pinnedAt() != null)
                    .sorted(Comparator.comparing(Message::pinnedAt).reversed()).toList();
        }

        @Override
        public synchronized Slice before(String tenantId, String roomId, Long beforeSeq, int limit) {
            TreeMap<Long, Message> all = messages.getOrDefault(k(tenantId, roomId), new TreeMap<>());
            return slice((beforeSeq == null ? all : all.headMap(beforeSeq, false)).descendingMap().values(), limit);
        }

        @Override
        public synchronized Slice after(String tenantId, String roomId, long afterSeq, int limit) {
            return slice(messages.getOrDefault(k(tenantId, roomId), new TreeMap<>()).tailMap(afterSeq, false).values(), limit);
        }

        private Slice slice(Collection<Message> ordered, int limit) {
            return new Slice(ordered.stream().limit(limit).toList(), ordered.size() > limit);
        }
    };

    public final DeviceTokenRepository deviceTokenRepository = new DeviceTokenRepository() {
        @Override
        public synchronized void save(String tenantId, String userId, DeviceToken token) {
            deviceTokens.computeIfAbsent(k(tenantId, userId), x -> new LinkedHashMap<>()).put(token.id(), token);
        }

        @Override
        public synchronized boolean delete(String tenantId, String userId, String tokenId) {
            Map<String, DeviceToken> of = deviceTokens.get(k(tenantId, userId));
            return of != null && of.remove(tokenId) != null;
        }

        @Override
        public synchronized List<DeviceToken> ofUser(String tenantId, String userId) {
            return List.copyOf(deviceTokens.getOrDefault(k(tenantId, userId), Map.of()).values());
        }
    };

    public final ConnectionRepository connectionRepository = new ConnectionRepository() {
        @Override
        public synchronized void save(Connection c) {
            connections.put(c.connectionId(), c);
        }

        @Override
        public synchronized Optional<Connection> find(String connectionId) {
            return Optional.ofNullable(connections.get(connectionId));
        }

        @Override
        public synchronized void delete(String connectionId) {
            connections.remove(connectionId);
        }

        @Override
        public synchronized void joinRoom(String connectionId, String roomId) {
            Connection c = connections.get(connectionId);
            if (c != null) {
                connections.put(connectionId, new Connection(c.connectionId(), c.tenantId(), c.userId(), roomId, c.connectedAt(), c.expiresAtEpochSeconds()));
            }
        }

        @Override
        public synchronized List<Connection> ofTenant(String tenantId, int limit) {
            // like GSI1: without the joined room
            return connections.values().stream().filter(c -> c.tenantId().equals(tenantId)).limit(limit)
                    .map(c -> new Connection(c.connectionId(), c.tenantId(), c.userId(), null, c.connectedAt(),
                            c.expiresAtEpochSeconds())).toList();
        }

        @Override
        public synchronized boolean markAnnounced(String connectionId) {
            return connections.containsKey(connectionId) && announced.add(connectionId);
        }

        @Override
        public synchronized void startTyping(String connectionId, String roomId) {
            if (connections.containsKey(connectionId)) {
                typingIn.put(connectionId, roomId);
            }
        }

        @Override
        public synchronized boolean stopTyping(String connectionId, String roomId) {
            return typingIn.remove(connectionId, roomId);
        }

        @Override
        public synchronized void touch(String connectionId, long expiresAtEpochSeconds) {
            Connection c = connections.get(connectionId);
            if (c != null) {
                connections.put(connectionId, new Connection(c.connectionId(), c.tenantId(), c.userId(), c.roomId(), c.connectedAt(), expiresAtEpochSeconds));
            }
        }

        @Override
        public synchronized List<Connection> ofUsers(String tenantId, Collection<String> userIds) {
            return connections.values().stream().filter(c -> c.tenantId().equals(tenantId) && userIds.contains(c.userId())).toList();
        }

        @Override
        public List<Connection> reachable(String tenantId, Collection<String> userIds) {
            return ofUsers(tenantId, userIds);
        }

        @Override
        public void forget(Connection c) {
            delete(c.connectionId());
        }
    };

    /** How long a post takes, as a round trip to API Gateway would (0: at once). */
    public volatile long postMillis;
    /** The most posts that were running at the same time. */
    public final AtomicInteger mostPostsAtOnce = new AtomicInteger();
    private final AtomicInteger postsNow = new AtomicInteger();

    public final ConnectionGateway gateway = new ConnectionGateway() {
        @Override
        public boolean post(String connectionId, String frame) {
            mostPostsAtOnce.accumulateAndGet(postsNow.incrementAndGet(), Math::max);
            try {
                if (postMillis > 0) {
                    Thread.sleep(postMillis);
                }
                if (gone.contains(connectionId)) {
                    return false;
                }
                posted.add(connectionId + " " + frame);
                return true;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            } finally {
                postsNow.decrementAndGet();
            }
        }

        @Override
        public boolean isOpen(String connectionId) {
            return !gone.contains(connectionId);
        }

        @Override
        public void close(String connectionId) {
            gone.add(connectionId);
        }
    };

    /** Fixed one-minute windows per tenant, user and action, as the DynamoDB adapter counts them. */
    public final RateLimiter rateLimiter = new RateLimiter() {
        private final Map<String, Integer> counts = new HashMap<>();

        @Override
        public synchronized int reserve(String tenantId, String userId, RateLimitedAction action, int limit, int wanted,
                                        java.time.Instant now) {
            String key = k(tenantId, userId) + "/" + action.key() + "/" + RateLimiter.windowStart(now);
            int used = counts.getOrDefault(key, 0);
            int granted = Math.max(0, Math.min(wanted, limit - used));
            counts.put(key, used + granted);
            return granted;
        }
    };

    /** Moves a room's seq as if another writer had sent a message (without storing one). */
    /** Another writer's message at the room's next seq: stored, and the room's lastSeq moved to it. */
    public synchronized void bumpSeq(String tenantId, String roomId) {
        TreeMap<Long, Message> timeline = messages.computeIfAbsent(k(tenantId, roomId), x -> new TreeMap<>());
        long seq = timeline.isEmpty() ? 1 : timeline.lastKey() + 1;
        Message other = Message.posted(dev.sendsar.domain.Ids.messageId(seq), roomId, seq, "someone-else",
                List.of(Map.of("type", "text", "text", "other")), "other", null, Times.now(), null);
        timeline.put(seq, other);
        messageRepository.markNewest(tenantId, other, null);
    }

    /** The member-list change and its record at the next free seq, at once (as one transaction does). */
    private Message changeMembers(String tenantId, Room current, List<String> ids, java.util.function.LongFunction<Message> recordAt) {
        TreeMap<Long, Message> timeline = messages.computeIfAbsent(k(tenantId, current.id()), x -> new TreeMap<>());
        long seq = Math.max(current.lastSeq(), timeline.isEmpty() ? 0 : timeline.lastKey()) + 1;
        Message record = recordAt.apply(seq);
        timeline.put(seq, record);
        moveTo(tenantId, withMembers(current, ids, current.membersVersion() + 1), LastMessage.of(record));
        return record;
    }

    /** The room item moved to a newer message, and the read positions it no longer names kept in their cursors. */
    private void moveTo(String tenantId, Room room, LastMessage newest) {
        Room moved = room.withLastMessage(newest);
        rooms.put(k(tenantId, room.id()), moved);
        keepReads(tenantId, room.id(), room.positionsLeftIn(moved));
    }

    /** Read positions written to their senders' cursors: {@link #cursorWrites} counts them. */
    private void keepReads(String tenantId, String roomId, List<LastMessage> positions) {
        for (LastMessage p : positions) {
            cursorWrites.incrementAndGet();
            roomRepository.advanceCursor(tenantId, roomId, p.senderId(), RoomRepository.Cursor.READ, p.seq(), p.id(), p.createdAt());
        }
    }

    private static Room withMembers(Room r, List<String> ids, long version) {
        return new Room(r.id(), r.name(), r.avatarUrl(), r.externalId(), r.customType(), r.metadata(), r.frozen(), r.lastSeq(),
                r.lastMessage(), r.priorMessage(), List.copyOf(ids), version, r.createdAt(), r.updatedAt());
    }
}
