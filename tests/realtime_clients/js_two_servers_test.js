// Two taskcore-servers on one PostgreSQL database: changes made through
// server A reach a Socket.IO client polling server B, and presence is
// shared.
//   node js_two_servers_test.js BASE_A BASE_B ADMIN_PASSWORD
"use strict";
const { io } = require("socket.io-client");
const assert = require("node:assert/strict");
const common = require("./common.js");

const [baseA, baseB, adminPassword] = process.argv.slice(2);

function waitFor(socket, event, match, ms) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no matching ${event} within ${ms} ms`)), ms);
    socket.on(event, (data) => { if (match(data)) { clearTimeout(timer); resolve(data); } });
  });
}

async function main() {
  const a = common.api(baseA);
  const admin = await a.login("admin", adminPassword);
  const member = await a.registerAndLogin("carol");
  const client = io(baseB, { transports: ["polling"], auth: { token: member.access },
                             reconnection: false });
  await new Promise((resolve, reject) => {
    client.once("connect", resolve);
    client.once("connect_error", reject);
  });
  assert.deepEqual(await client.timeout(5000).emitWithAck("join_room", { room: "tasks" }),
                   { ok: true, room: "tasks" });
  const created = waitFor(client, "task_created", (d) => d.task.title === "Across servers", 10000);
  const task = await a.post("/api/tasks/", admin.access, { title: "Across servers" });
  assert.equal((await created).task.id, task.id);
  console.log("ok 1 - a change through server A reaches a client of server B");

  // Presence is shared through the database (heartbeats every 2 s).
  const deadline = Date.now() + 10000;
  for (;;) {
    const seen = await a.get("/api/realtime/presence/?room=tasks", admin.access);
    if (seen.users.includes(member.user.id)) break;
    assert.ok(Date.now() < deadline, "server A lists server B's user");
    await new Promise((r) => setTimeout(r, 250));
  }
  console.log("ok 2 - server A lists the user connected to server B");

  // The JSON long-poll is stateless: a cursor from B works on A.
  const b = common.api(baseB);
  const start = await b.get("/api/realtime/poll/?rooms=tasks&timeout=0", admin.access);
  const polled = a.get(`/api/realtime/poll/?rooms=tasks&cursor=${start.cursor}&timeout=10`, admin.access);
  await b.patch(`/api/tasks/${task.id}/`, admin.access, { status: "done" });
  const answer = await polled;
  assert.equal(answer.events[0].type, "task_updated");
  assert.equal(answer.events[0].data.task_id, task.id);
  console.log("ok 3 - a long-poll on A sees a change made through B");
  client.close();
  console.log("1..3");
}

main().then(() => process.exit(0), (error) => {
  console.error("not ok -", error && error.stack ? error.stack : error);
  process.exit(1);
});
