// Realtime benchmark driver: N official socket.io-client (polling) or JSON
// long-poll clients on one or more servers, tasks created through REST at
// a fixed rate, and the delivery latency of each task_created event to
// each client (created -> received, one clock: this process).
//   node bench/realtime_clients.js --bases URL[,URL] --token T --clients N
//        --rate R --seconds S [--mode socketio|json] [--out FILE]
//        [--publish 0|1]
// Prints one JSON line: {clients, connected, events_expected,
// events_received, p50_ms, p99_ms, max_ms, events_per_s}; --out also
// writes every latency (ms) so that several drivers' can be merged.
// With --publish 0 the driver only listens: titles carry their creation
// time (performance.timeOrigin-based, shared by processes on one machine).
"use strict";
const path = require("node:path");
const { io } = require(path.join(__dirname, "../tests/realtime_clients/node_modules/socket.io-client"));
const http = require("node:http");

const args = {};
for (let i = 2; i < process.argv.length; i += 2) args[process.argv[i].slice(2)] = process.argv[i + 1];
const bases = args.bases.split(",");
const token = args.token;
const clients = Number(args.clients || 100);
const rate = Number(args.rate || 20);
const seconds = Number(args.seconds || 10);
const mode = args.mode || "socketio";
const publish = (args.publish ?? "1") === "1";
const outFile = args.out;
const fs = require("node:fs");
// Many long-held requests to one host: no pooling limit.
const agent = new http.Agent({ keepAlive: true, maxSockets: Infinity });

const latencies = [];
let received = 0;

// Wall-clock milliseconds with sub-ms precision, comparable across the
// driver processes of one machine.
const now = () => performance.timeOrigin + performance.now();

function onCreated(data) {
  const match = /^rt-bench-\d+-(\d+(?:\.\d+)?)$/.exec(data.task.title);
  if (!match) return;
  received += 1;
  latencies.push(now() - Number(match[1]));
}

function request(method, url, body) {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method, agent, headers: {
      Authorization: `Bearer ${token}`, "Content-Type": "application/json" } }, (res) => {
      let text = "";
      res.on("data", (c) => { text += c; });
      res.on("end", () => resolve({ status: res.statusCode, text }));
    });
    req.on("error", reject);
    if (body) req.write(JSON.stringify(body));
    req.end();
  });
}

async function connectSocket(base) {
  const socket = io(base, { transports: ["polling"], auth: { token }, reconnection: false,
                            forceNew: true, agent, timeout: 60000 });
  await new Promise((resolve, reject) => {
    socket.once("connect", resolve);
    socket.once("connect_error", reject);
  });
  await socket.timeout(60000).emitWithAck("join_room", { room: "tasks" });
  socket.on("task_created", onCreated);
  return socket;
}

// A JSON long-poll loop; resolves once it has its first cursor.
function startPoller(base, stop) {
  return new Promise((resolve) => {
    let cursor = null;
    const loop = async () => {
      while (!stop.done) {
        const url = `${base}/api/realtime/poll/?rooms=tasks&timeout=25` +
                    (cursor === null ? "&timeout=0" : `&cursor=${cursor}`);
        try {
          const res = await request("GET", url);
          if (res.status !== 200) { await new Promise((r) => setTimeout(r, 200)); continue; }
          const body = JSON.parse(res.text);
          const first = cursor === null;
          cursor = body.cursor;
          for (const e of body.events) if (e.type === "task_created") onCreated(e.data);
          if (first) resolve();
        } catch (error) {
          await new Promise((r) => setTimeout(r, 200));
        }
      }
    };
    loop();
  });
}

async function main() {
  const stop = { done: false };
  const sockets = [];
  let connected = 0;
  // Connect in batches so that the handshakes do not all land at once.
  for (let i = 0; i < clients; i += 50) {
    const batch = [];
    for (let j = i; j < Math.min(clients, i + 50); ++j) {
      const base = bases[j % bases.length];
      if (mode === "json") {
        batch.push(startPoller(base, stop).then(() => { connected += 1; }));
      } else {
        batch.push(connectSocket(base).then((s) => { sockets.push(s); connected += 1; },
                                            () => {}));
      }
    }
    await Promise.all(batch);
  }
  await new Promise((r) => setTimeout(r, 500));
  // Every driver connects, then waits for the common start signal (a
  // file) so that publishing starts once all clients listen.
  if (args.ready) fs.writeFileSync(args.ready, "");
  if (args.start) while (!fs.existsSync(args.start)) await new Promise((r) => setTimeout(r, 50));
  const started = performance.now();
  let created = 0;
  const total = Math.round(rate * seconds);
  await new Promise((resolve) => {
    if (!publish) { setTimeout(resolve, seconds * 1000); return; }
    const tick = setInterval(() => {
      if (created >= total) { clearInterval(tick); resolve(); return; }
      const title = `rt-bench-${created++}-${now().toFixed(3)}`;
      request("POST", `${bases[0]}/api/tasks/`, { title }).catch(() => {});
    }, 1000 / rate);
  });
  // Let the last events arrive.
  await new Promise((r) => setTimeout(r, 2000));
  const elapsed = (performance.now() - started) / 1000;
  stop.done = true;
  latencies.sort((a, b) => a - b);
  const q = (p) => latencies.length ? latencies[Math.min(latencies.length - 1,
                                                         Math.floor(p * latencies.length))] : null;
  const round = (v) => v === null ? null : Math.round(v * 10) / 10;
  console.log(JSON.stringify({
    mode, clients, connected, events_expected: total * connected, events_received: received,
    p50_ms: round(q(0.5)), p99_ms: round(q(0.99)), max_ms: round(latencies[latencies.length - 1] ?? null),
    events_per_s: Math.round(received / elapsed),
  }));
  if (outFile) fs.writeFileSync(outFile, JSON.stringify({ connected, received, elapsed, latencies }));
  for (const s of sockets) s.close();
  process.exit(0);
}

main().catch((error) => { console.error(error); process.exit(1); });
