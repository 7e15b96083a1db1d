// End-to-end test of taskcore-server's Socket.IO endpoint with the official
// socket.io-client (polling only), against a server started by run.sh.
//   node js_client_test.js http://127.0.0.1:PORT ADMIN_PASSWORD
"use strict";
const { io } = require("socket.io-client");
const assert = require("node:assert/strict");
const common = require("./common.js");

const base = process.argv[2];
const adminPassword = process.argv[3];
const api = common.api(base);

function connect(token, extra = {}) {
  return io(base, { transports: ["polling"], auth: { token }, reconnection: false,
                    forceNew: true, ...extra });
}

function once(socket, event, ms = 5000) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ${event} within ${ms} ms`)), ms);
    socket.once(event, (...args) => { clearTimeout(timer); resolve(args); });
  });
}

// Resolves with the first `event` whose payload passes `match`.
function waitFor(socket, event, match, ms = 5000) {
  return new Promise((resolve, reject) => {
    const handler = (data) => {
      if (!match(data)) return;
      clearTimeout(timer);
      socket.off(event, handler);
      resolve(data);
    };
    const timer = setTimeout(() => {
      socket.off(event, handler);
      reject(new Error(`no matching ${event} within ${ms} ms`));
    }, ms);
    socket.on(event, handler);
  });
}

function ack(socket, event, payload) {
  return socket.timeout(5000).emitWithAck(event, payload);
}

async function main() {
  const admin = await api.login("admin", adminPassword);
  const alice = await api.registerAndLogin("alice");
  const bob = await api.registerAndLogin("bob");
  let passed = 0;
  const check = (name) => { passed += 1; console.log(`ok ${passed} - ${name}`); };

  // Bad, refresh and missing tokens are refused with a CONNECT error.
  for (const [label, token] of [["bad", "not-a-token"], ["refresh", alice.refresh], ["none", ""]]) {
    const socket = connect(token);
    const [error] = await once(socket, "connect_error");
    assert.ok(error.message.length > 0, `${label} token: a message`);
    assert.equal(socket.connected, false);
    socket.close();
  }
  check("bad, refresh and missing tokens refused");

  const a = connect(alice.access);
  await once(a, "connect");
  assert.ok(a.id);
  assert.deepEqual(await ack(a, "join_room", { room: "tasks" }), { ok: true, room: "tasks" });
  const refused = await ack(a, "join_room", { room: `user_${bob.user.id}` });
  assert.equal(refused.error.code, "permission_denied");
  const badRoom = await ack(a, "join_room", { room: "lobby" });
  assert.equal(badRoom.error.code, "validation_error");
  assert.ok(badRoom.error.field_errors.room);
  check("member joins tasks, refused another user's room and a bad name");

  const watcher = connect(admin.access);
  await once(watcher, "connect");
  assert.deepEqual(await ack(watcher, "join_room", { room: `user_${alice.user.id}` }),
                   { ok: true, room: `user_${alice.user.id}` });
  await ack(watcher, "join_room", { room: "tasks" });
  check("admin joins another user's room");

  // Presence: bob joining tasks is announced; the presence route lists him.
  const joined = waitFor(watcher, "user_joined", (d) => d.user_id === bob.user.id && d.room === "tasks");
  const b = connect(bob.access);
  await once(b, "connect");
  await ack(b, "join_room", { room: "tasks" });
  assert.deepEqual(await joined, { user_id: bob.user.id, room: "tasks" });
  const present = await api.get("/api/realtime/presence/?room=tasks", admin.access);
  for (const id of [alice.user.id, bob.user.id, admin.user.id]) assert.ok(present.users.includes(id));
  assert.equal(present.room, "tasks");
  check("user_joined and presence");

  // REST changes by another user reach the rooms, once each.
  const createdEvents = [];
  a.on("task_created", (d) => createdEvents.push(d));
  const notified = waitFor(a, "notification", (d) => d.type === "task_assigned");
  const created = waitFor(a, "task_created", (d) => d.task.title === "Ship it");
  const task = await api.post("/api/tasks/", bob.access,
                              { title: "Ship it", project: "apollo", assigned_to: alice.user.id });
  const c = await created;
  assert.equal(c.task.id, task.id);
  assert.equal(c.created_by, bob.user.id);
  assert.equal(c.task.project, "apollo");
  const note = await notified;
  assert.equal(note.data.task_id, task.id);
  await new Promise((r) => setTimeout(r, 300));
  assert.equal(createdEvents.filter((d) => d.task.id === task.id).length, 1, "once per socket");
  check("task_created and the assignment notification, once");

  const updated = waitFor(a, "task_updated", (d) => d.task_id === task.id && d.task.status === "in_progress");
  await api.patch(`/api/tasks/${task.id}/`, bob.access, { status: "in_progress" });
  assert.equal((await updated).updated_by, bob.user.id);
  check("task_updated after a PATCH");

  // task_update over the socket: same rules as PATCH, acked.
  const viaSocket = waitFor(b, "task_updated", (d) => d.task_id === task.id && d.task.status === "done");
  const acked = await ack(a, "task_update", { task_id: task.id, updates: { status: "done" } });
  assert.equal(acked.id, task.id);
  assert.equal(acked.status, "done");
  assert.equal((await viaSocket).updated_by, alice.user.id);
  const invalid = await ack(a, "task_update", { task_id: task.id, updates: { priority: "bogus" } });
  assert.equal(invalid.error.code, "validation_error");
  assert.ok(invalid.error.field_errors.priority);
  const missing = await ack(a, "task_update", { task_id: 99999999, updates: { status: "done" } });
  assert.equal(missing.error.code, "not_found");
  const unknown = await ack(a, "no_such_event", {});
  assert.equal(unknown.error.code, "not_found");
  check("task_update acked with the task or the error body");

  // Project rooms see a task moved out of them.
  await ack(b, "join_room", { room: "project_apollo" });
  const moved = waitFor(b, "task_updated", (d) => d.task_id === task.id && d.task.project === "gemini");
  await api.patch(`/api/tasks/${task.id}/`, admin.access, { project: "gemini" });
  await moved;
  check("a task moved to another project reaches the old project's room");

  const deleted = waitFor(a, "task_deleted", (d) => d.task_id === task.id);
  await api.del(`/api/tasks/${task.id}/`, admin.access);
  assert.equal((await deleted).deleted_by, admin.user.id);
  check("task_deleted");

  // A client that vanishes (stops polling) leaves with user_left within
  // pingInterval + pingTimeout (run.sh: 1 s + 1 s).
  const ghostUser = await api.registerAndLogin("ghost");
  const ghost = await common.rawSocket(base, ghostUser.access);
  await ghost.emit("join_room", { room: "tasks" });
  const left = waitFor(watcher, "user_left", (d) => d.user_id === ghostUser.user.id && d.room === "tasks", 8000);
  const vanished = Date.now();
  await left;
  // 2 s, plus the reaper's tick and a loaded (sanitizer) machine's delays.
  assert.ok(Date.now() - vanished < 6000, "left in time");
  check("a vanished client leaves its rooms");

  // Connection state recovery: dropped, reconnected within the window,
  // same id, rooms kept, the missed event delivered, recovered == true.
  const r = connect(alice.access, { reconnection: true, reconnectionDelay: 300,
                                    reconnectionDelayMax: 300 });
  await once(r, "connect");
  await ack(r, "join_room", { room: "project_zeta" });
  const firstId = r.id;
  assert.equal(r.recovered, false);
  r.io.engine.close();  // the transport dies; the manager reconnects
  const missed = await api.post("/api/tasks/", admin.access, { title: "While away", project: "zeta" });
  const got = waitFor(r, "task_created", (d) => d.task.id === missed.id, 8000);
  await once(r, "connect", 8000);
  assert.equal(r.recovered, true);
  assert.equal(r.id, firstId);
  await got;
  const zeta = await api.get("/api/realtime/presence/?room=project_zeta", admin.access);
  assert.ok(zeta.users.includes(alice.user.id));
  check("connection state recovery");

  for (const s of [a, b, watcher, r]) s.close();
  console.log(`1..${passed}`);
}

main().then(() => process.exit(0), (error) => {
  console.error("not ok -", error && error.stack ? error.stack : error);
  process.exit(1);
});
