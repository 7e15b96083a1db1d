// REST helpers and a bare Engine.IO client (one that can stop polling,
// which the official client never does on its own) for the JS tests.
"use strict";

function api(base) {
  async function call(method, path, token, body) {
    const headers = { "Content-Type": "application/json" };
    if (token) headers.Authorization = `Bearer ${token}`;
    const res = await fetch(base + path, { method, headers,
                                            body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await res.text();
    if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${text}`);
    return text ? JSON.parse(text) : null;
  }
  const self = {
    get: (path, token) => call("GET", path, token),
    post: (path, token, body) => call("POST", path, token, body),
    patch: (path, token, body) => call("PATCH", path, token, body),
    del: (path, token) => call("DELETE", path, token),
    login: async (username, password) => call("POST", "/api/auth/login/", null, { username, password }),
    registerAndLogin: async (name) => {
      const username = `${name}_js`;
      const password = "correct horse battery";
      await call("POST", "/api/auth/register/", null,
                 { username, email: `${username}@example.com`, password });
      return self.login(username, password);
    },
  };
  return self;
}

// Handshake, CONNECT with the token, then only what the test asks for.
async function rawSocket(base, token) {
  const url = (sid) => `${base}/socket.io/?EIO=4&transport=polling${sid ? `&sid=${sid}` : ""}`;
  const open = await (await fetch(url())).text();
  const sid = JSON.parse(open.slice(1)).sid;
  const post = (body) => fetch(url(sid), { method: "POST", body, headers: { "Content-Type": "text/plain" } });
  await post(`40${JSON.stringify({ token })}`);
  const reply = await (await fetch(url(sid))).text();
  if (!reply.startsWith("40{")) throw new Error(`raw CONNECT refused: ${reply}`);
  let ackId = 0;
  return {
    sid,
    emit: async (event, data) => {
      ackId += 1;
      await post(`42${ackId}${JSON.stringify([event, data])}`);
      await (await fetch(url(sid))).text();  // the ack; then the client goes silent
    },
  };
}

module.exports = { api, rawSocket };
