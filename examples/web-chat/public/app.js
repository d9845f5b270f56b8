// The demo page: plain JavaScript on the SDK's browser bundle (global `Sendsar`).
const $ = (id) => document.getElementById(id);
const view = {
  client: null,
  me: null,
  rooms: [],
  participants: new Map(), // roomId → [userId]
  names: new Map(),
  openRoomId: null,
  messages: [],
  subscription: null,
  typing: null,
  presence: null,
  peerReadSeq: 0,
  typingTimers: new Map(),
};

function status(text) {
  $("status").textContent = text ?? "";
}

/** Features the server does not have yet answer 404 not_found: show it, do not break the page. */
function report(error) {
  $("status").className = error && error.isMissingRoute ? "muted" : "";
  if (error && error.isMissingRoute) status(`Not on this server yet: ${error.message.replace(/^No such route: /, "")}`);
  else status(error ? `${error.code ?? "error"}: ${error.message}` : "");
}

const manager = Sendsar.createSessionManager({
  fetchSession: () => fetch("/api/chat/session", { credentials: "include" }),
  onStateChange: (state) => {
    if (state.status === "error" && state.error && state.error.status === 401 && !view.client) {
      $("login").hidden = false;
      $("conn-state").textContent = "logged out";
      return;
    }
    $("conn-state").textContent = state.status === "ready" ? "connected" : state.status === "offline" ? "reconnecting" : state.status;
    $("conn-state").className = "state " + $("conn-state").textContent;
    if (state.status === "ready" && !view.client) start(state.client, state.session);
  },
});
manager.start();

async function start(client, session) {
  view.client = client;
  view.me = session.chatUserId;
  $("me").textContent = `as ${session.displayName ?? session.chatUserId}`;
  $("chat").hidden = false;
  $("logout").hidden = false;
  view.presence = Sendsar.createTenantPresenceTracker(client, { onChange: renderRooms });
  view.typing = new Sendsar.ComposerTypingController(client, { roomId: "" });
  client.on("new-message", onNewMessage);
  client.on("client-error", report);
  await loadRooms();
  const first = view.rooms[0];
  if (first && !view.openRoomId) openRoom(first.id);
}

async function loadRooms() {
  try {
    const { rooms } = await view.client.listRooms();
    view.rooms = rooms;
    await Promise.all(rooms.filter((r) => !view.participants.has(r.id)).map(async (r) => {
      const detail = await view.client.getRoom(r.id);
      view.participants.set(r.id, detail.participants.map((p) => p.userId));
      detail.participants.forEach((p) => view.names.set(p.userId, p.username ?? p.userId));
      await Promise.all(detail.participants.filter((p) => !p.username).map(async (p) => {
        const user = await view.client.getUser(p.userId).catch(() => null);
        if (user?.username) view.names.set(p.userId, user.username);
      }));
    }));
    renderRooms();
  } catch (error) {
    report(error);
  }
}

function renderRooms() {
  const list = $("rooms");
  list.replaceChildren(...view.rooms.map((room) => {
    const li = document.createElement("li");
    li.className = "room" + (room.id === view.openRoomId ? " active" : "");
    li.dataset.roomId = room.id;
    const peers = (view.participants.get(room.id) ?? []).filter((id) => id !== view.me);
    const dot = document.createElement("span");
    dot.className = "dot" + (peers.some((id) => view.presence?.isOnline(id)) ? " online" : "");
    dot.title = peers.map((id) => `${view.names.get(id) ?? id}: ${view.presence?.isOnline(id) ? "online" : "offline"}`).join(", ");
    const name = document.createElement("span");
    name.className = "name";
    name.textContent = room.name ?? peers.join(", ");
    li.append(dot, name);
    if (room.unreadCount > 0 && room.id !== view.openRoomId) {
      const badge = document.createElement("span");
      badge.className = "unread";
      badge.textContent = String(room.unreadCount);
      li.append(badge);
    }
    li.onclick = () => openRoom(room.id);
    return li;
  }));
}

function onNewMessage(message) {
  const room = view.rooms.find((r) => r.id === message.roomId);
  if (!room) return void loadRooms();
  room.lastSeq = Math.max(room.lastSeq, message.seq);
  room.lastMessage = message;
  if (message.roomId !== view.openRoomId && message.senderId !== view.me) room.unreadCount += 1;
  view.rooms.sort((a, b) => (b.lastMessage?.createdAt ?? b.updatedAt).localeCompare(a.lastMessage?.createdAt ?? a.updatedAt));
  renderRooms();
}

function openRoom(roomId) {
  if (view.openRoomId === roomId) return;
  view.subscription?.destroy();
  view.openRoomId = roomId;
  delete $("thread").dataset.readyRoom;
  view.messages = [];
  view.peerReadSeq = 0;
  view.typing.setRoom(roomId);
  const room = view.rooms.find((r) => r.id === roomId);
  $("room-title").textContent = room?.name ?? "Room";
  $("composer-form").hidden = false;
  $("typing").hidden = true;
  renderRooms();
  view.subscription = Sendsar.createRoomSubscription(view.client, {
    roomId,
    userId: view.me,
    onInitialMessages: (messages) => {
      view.messages = messages;
      renderMessages();
      markRead();
    },
    onMessage: (message) => {
      view.messages = Sendsar.reconcileSelfSentMessage(view.messages, message);
      showTyping(message.senderId, false);
      renderMessages();
      markRead();
    },
    onMessageUpdated: (message) => {
      view.messages = Sendsar.mergeMessagesById(view.messages, message);
      renderMessages();
    },
    onTyping: (event) => showTyping(event.userId, event.isTyping),
    onRead: (event) => {
      if (event.userId === view.me) return;
      view.peerReadSeq = Math.max(view.peerReadSeq, event.lastReadSeq ?? 0);
      renderMessages();
    },
    onError: report,
  });
  view.subscription.ready.then(() => {
    if (view.openRoomId === roomId) $("thread").dataset.readyRoom = roomId;
  }, report);
}

async function markRead() {
  const last = view.messages[view.messages.length - 1];
  const room = view.rooms.find((r) => r.id === view.openRoomId);
  if (!last || !last.seq || document.visibilityState === "hidden") return;
  if (room) room.unreadCount = 0;
  renderRooms();
  if (last.senderId === view.me) return;
  try {
    await view.client.markRead(view.openRoomId, last.id);
  } catch (error) {
    report(error);
  }
}

function showTyping(userId, isTyping) {
  clearTimeout(view.typingTimers.get(userId));
  const el = $("typing");
  if (isTyping) {
    el.textContent = `${view.names.get(userId) ?? userId} is typing…`;
    el.hidden = false;
    // The sender repeats `true` while typing; stale indicators fade on their own.
    view.typingTimers.set(userId, setTimeout(() => showTyping(userId, false), 6000));
  } else {
    el.hidden = true;
  }
}

function renderMessages() {
  const list = $("messages");
  const mine = view.messages.filter((m) => m.senderId === view.me && m.seq);
  const lastSeen = mine.filter((m) => m.seq <= view.peerReadSeq).pop();
  list.replaceChildren(...view.messages.map((m) => {
    const li = document.createElement("li");
    li.className = "message" + (m.senderId === view.me ? " mine" : "") + (m.deletedAt ? " deleted" : "");
    li.dataset.messageId = m.id;
    const who = document.createElement("div");
    who.className = "who";
    who.textContent = view.names.get(m.senderId) ?? m.senderId;
    const body = document.createElement("div");
    body.className = "text";
    body.append(...(m.deletedAt ? [document.createTextNode("Message deleted")] : (m.parts ?? []).map(renderPart)));
    const reactions = document.createElement("div");
    reactions.className = "reactions";
    const counts = new Map();
    for (const r of m.reactions ?? []) counts.set(r.emoji, (counts.get(r.emoji) ?? 0) + 1);
    reactions.textContent = [...counts].map(([emoji, n]) => `${emoji} ${n}`).join("  ");
    const react = document.createElement("button");
    react.className = "react";
    react.textContent = "Like";
    react.title = "React with 👍";
    react.onclick = () => view.client.toggleReaction(m.roomId, m.id, "👍").then((updated) => {
      view.messages = Sendsar.mergeMessagesById(view.messages, updated);
      renderMessages();
    }, report);
    reactions.append(react);
    li.append(who, body, reactions);
    if (lastSeen && m.id === lastSeen.id) {
      const receipt = document.createElement("div");
      receipt.className = "receipt";
      receipt.textContent = "Seen";
      li.append(receipt);
    }
    return li;
  }));
  list.scrollTop = list.scrollHeight;
}

function renderPart(part) {
  if (part.type === "text") return document.createTextNode(part.text);
  if (part.type === "file") {
    const link = document.createElement("a");
    link.href = "#";
    link.textContent = `📄 ${part.filename}`;
    link.onclick = async (event) => {
      event.preventDefault();
      try {
        const access = await view.client.getUploadAccess(part.uploadId);
        window.open(access.accessUrl, "_blank");
      } catch (error) {
        report(error);
      }
    };
    return link;
  }
  return document.createTextNode(`[${part.type}]`);
}

$("composer").addEventListener("input", () => view.typing.handleInput());
$("composer-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  const text = $("composer").value.trim();
  if (!text || !view.openRoomId) return;
  $("composer").value = "";
  view.typing.stop();
  const clientMessageId = crypto.randomUUID();
  const roomId = view.openRoomId;
  // Optimistic copy, replaced by the server's message when the answer or the event arrives.
  view.messages = Sendsar.mergeMessagesById(view.messages, {
    id: `pending-${clientMessageId}`, clientMessageId, senderId: view.me, parts: [{ type: "text", text }], reactions: [], createdAt: new Date().toISOString(),
  });
  renderMessages();
  try {
    const sent = await view.client.sendMessage(roomId, { parts: [{ type: "text", text }], clientMessageId });
    if (roomId === view.openRoomId) {
      view.messages = Sendsar.reconcileSelfSentMessage(view.messages, sent);
      renderMessages();
    }
  } catch (error) {
    report(error);
  }
});

$("file").addEventListener("change", async () => {
  const file = $("file").files[0];
  if (!file || !view.openRoomId) return;
  const bar = $("upload-progress");
  bar.hidden = false;
  try {
    const upload = await view.client.uploadFile(file, {
      roomId: view.openRoomId,
      onProgress: (p) => (bar.firstElementChild.value = p.fraction),
    });
    await view.client.sendMessage(view.openRoomId, { parts: [upload.part] });
  } catch (error) {
    report(error);
  } finally {
    bar.hidden = true;
    $("file").value = "";
  }
});
