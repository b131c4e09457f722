// End-to-end test of Zoom's events through the official MCP TypeScript SDK
// client over streamable HTTP: the standalone simulator sends signed
// webhooks to the server (events_test.go starts both), and two agents wait
// for events, subscribe to a meeting's event resource and read the event
// resources. Runs with node:test; prints TAP; exits non-zero on any
// failure.
//
//   ZOOM_MCP_URL=http://127.0.0.1:8080/mcp ZOOMFAKE_URL=http://127.0.0.1:9090 \
//   ZOOM_MCP_KEY_RECORDER=zmcp_... ZOOM_MCP_KEY_WATCHER=zmcp_... node events.mjs
//
// The agents (see events_test.go for the config):
//   recorder  meetings: read, recordings: read, events: read
//   watcher   meetings: read, events: read (no recordings: it may not see recording.completed)
//
// The simulator's admin endpoints (POST /_simulator/meetings/{id}/start,
// /end, /recording) play what Zoom's clients do; each state change is sent
// to the server as Zoom's webhook.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';

import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { ResourceUpdatedNotificationSchema } from '@modelcontextprotocol/sdk/types.js';

const env = (name) => {
  const v = process.env[name];
  if (!v) {
    console.error(`set ${name} (see the head of events.mjs)`);
    process.exit(2);
  }
  return v;
};
const URL_ = env('ZOOM_MCP_URL');
const SIM = env('ZOOMFAKE_URL');
const KEYS = { recorder: env('ZOOM_MCP_KEY_RECORDER'), watcher: env('ZOOM_MCP_KEY_WATCHER') };

// Every request is bounded, so that a hang fails with a message instead of
// running into the Go test's timeout. A wait_for_event call is bounded by
// its own timeout_seconds plus this margin.
const TIMEOUT_MS = 20_000;

// The owner's seeded scheduled meeting (zoomapi/zoomfake/seed.go).
const MEETING_ID = 85746065432;
const MEETING_URI = `zoom://meetings/${MEETING_ID}/events`;
const EVENTS_URI = 'zoom://events';

/** admin POSTs to one of the simulator's admin endpoints of the meeting. */
async function admin(what) {
  const res = await fetch(`${SIM}/_simulator/meetings/${MEETING_ID}/${what}`, {
    method: 'POST', signal: AbortSignal.timeout(TIMEOUT_MS),
  });
  const body = await res.text();
  assert.ok(res.ok, `POST ${what}: ${res.status} ${body}`);
  return body === '' ? null : JSON.parse(body);
}

/** An agent's session, with the resources/updated notifications it got, by URI. */
async function connect(agent) {
  const client = new Client({ name: `events-e2e-${agent}`, version: '1.0.0' });
  const updates = new Map();
  client.setNotificationHandler(ResourceUpdatedNotificationSchema, (n) => {
    updates.set(n.params.uri, (updates.get(n.params.uri) ?? 0) + 1);
  });
  const transport = new StreamableHTTPClientTransport(new URL(URL_), {
    requestInit: { headers: { Authorization: `Bearer ${KEYS[agent]}` } },
  });
  await client.connect(transport, { timeout: TIMEOUT_MS });
  const { tools } = await client.listTools({}, { timeout: TIMEOUT_MS });
  return { agent, client, updates, tools: new Set(tools.map((t) => t.name)) };
}

/** wait calls wait_for_event and returns its structured result and how long it took. */
async function wait(session, args) {
  const start = Date.now();
  const res = await session.client.callTool({ name: 'wait_for_event', arguments: args }, undefined, {
    timeout: (args.timeout_seconds ?? 60) * 1000 + TIMEOUT_MS,
  });
  assert.notEqual(res.isError, true, `${session.agent}: wait_for_event failed: ${res.content?.[0]?.text}`);
  assert.equal(typeof res.structuredContent, 'object', `${session.agent}: no structuredContent`);
  return { out: res.structuredContent, ms: Date.now() - start, at: Date.now() };
}

/** read reads an event resource and returns its events. */
async function read(session, uri) {
  const res = await session.client.readResource({ uri }, { timeout: TIMEOUT_MS });
  assert.equal(res.contents.length, 1, `${session.agent}: ${uri}: ${JSON.stringify(res)}`);
  assert.equal(res.contents[0].uri, uri);
  assert.equal(res.contents[0].mimeType, 'application/json');
  const { events } = JSON.parse(res.contents[0].text);
  assert.ok(Array.isArray(events), `${session.agent}: ${uri}: ${res.contents[0].text}`);
  return events;
}

/** until polls cond every 20 ms until it holds, at most ms. */
async function until(what, cond, ms = 10_000) {
  const deadline = Date.now() + ms;
  while (!cond()) {
    assert.ok(Date.now() < deadline, `${what}: not within ${ms} ms`);
    await sleep(20);
  }
}

const types = (events) => events.map((e) => e.type);

describe('zoom-mcp Zoom events over streamable HTTP', () => {
  /** @type {Awaited<ReturnType<typeof connect>>} */
  let recorder, watcher;
  // Seqs of the meeting's events, as the tests learn them.
  let startedSeq, endedSeq;

  before(async () => {
    recorder = await connect('recorder');
    watcher = await connect('watcher');
  });
  after(async () => {
    await Promise.all([recorder, watcher].map((s) => s?.client.close()));
  });

  test('both agents are offered wait_for_event and the event resources', async () => {
    for (const s of [recorder, watcher]) {
      assert.ok(s.tools.has('wait_for_event'), `${s.agent}: tools ${[...s.tools]}`);
      const { resources } = await s.client.listResources({}, { timeout: TIMEOUT_MS });
      assert.ok(resources.some((r) => r.uri === EVENTS_URI), `${s.agent}: resources ${JSON.stringify(resources)}`);
      const { resourceTemplates } = await s.client.listResourceTemplates({}, { timeout: TIMEOUT_MS });
      assert.ok(resourceTemplates.some((r) => r.uriTemplate === 'zoom://meetings/{id}/events'),
        `${s.agent}: templates ${JSON.stringify(resourceTemplates)}`);
    }
    assert.equal(recorder.client.getServerCapabilities()?.resources?.subscribe, true, 'the server can take subscriptions');
  });

  test('a subscriber of a meeting\'s events is told when the meeting starts, and reads the event', async () => {
    assert.deepEqual(await read(recorder, MEETING_URI), [], 'no event of the meeting yet');
    for (const s of [recorder, watcher]) {
      await s.client.subscribeResource({ uri: MEETING_URI }, { timeout: TIMEOUT_MS });
    }
    const started = await admin('start');
    assert.equal(started.status, 'started');

    await until('recorder told of the meeting\'s events', () => recorder.updates.get(MEETING_URI) > 0);
    let events = await read(recorder, MEETING_URI);
    const e = events.find((e) => e.type === 'meeting.started');
    assert.ok(e, `recorder reads ${JSON.stringify(types(events))}`);
    assert.equal(e.meeting_id, String(MEETING_ID));
    assert.equal(e.uuid, started.uuid);
    assert.equal(e.source, 'webhook');
    assert.equal(e.toolset, 'meetings');
    assert.equal(String(e.payload?.object?.id), String(MEETING_ID), JSON.stringify(e.payload));
    startedSeq = e.seq;
    assert.ok(Number.isInteger(startedSeq) && startedSeq > 0, `seq ${startedSeq}`);

    await until('watcher told too (it may see meetings)', () => watcher.updates.get(MEETING_URI) > 0);
    events = await read(watcher, MEETING_URI);
    assert.ok(events.some((e) => e.seq === startedSeq && e.type === 'meeting.started'), `watcher reads ${JSON.stringify(types(events))}`);
    // Nobody subscribed to zoom://events, so nobody is told of it.
    assert.equal(recorder.updates.get(EVENTS_URI), undefined);
  });

  test('wait_for_event with after returns an event already stored: none is missed', async () => {
    await admin('end');
    const { out } = await wait(watcher, { types: ['meeting.ended'], meeting_id: MEETING_ID, after: startedSeq, timeout_seconds: 15 });
    assert.equal(out.event?.type, 'meeting.ended', JSON.stringify(out));
    assert.equal(out.event.meeting_id, String(MEETING_ID));
    assert.ok(out.event.seq > startedSeq);
    assert.equal(out.cursor, out.event.seq);
    endedSeq = out.event.seq;
  });

  test('recorder\'s wait returns recording.completed when it comes; watcher\'s, without recordings, times out', async () => {
    // Before: each agent was told of each of the meeting's events it may see.
    const seen = {};
    for (const s of [recorder, watcher]) {
      const n = (await read(s, MEETING_URI)).length;
      await until(`${s.agent} told of the ${n} events of the meeting`, () => s.updates.get(MEETING_URI) === n);
      seen[s.agent] = n;
    }
    assert.equal(seen.recorder, seen.watcher, 'both see the meeting events');

    // watcher's window (after meeting.ended, 5 s) covers the recording,
    // whenever it arrives; recorder waits from now on.
    const watcherWait = wait(watcher, { types: ['recording.completed'], meeting_id: MEETING_ID, after: endedSeq, timeout_seconds: 5 });
    const recorderWait = wait(recorder, { types: ['recording.completed'], meeting_id: MEETING_ID, timeout_seconds: 30 });
    // The waits are blocked in the server before the recording completes.
    await sleep(1000);
    const recording = await admin('recording');
    assert.equal(String(recording.id), String(MEETING_ID), JSON.stringify(recording));

    const r = await recorderWait;
    assert.equal(r.out.event?.type, 'recording.completed', `recorder: ${JSON.stringify(r.out)}`);
    assert.equal(r.out.event.meeting_id, String(MEETING_ID));
    assert.ok(r.out.event.seq > endedSeq);
    assert.equal(r.out.cursor, r.out.event.seq);
    assert.equal(String(r.out.event.payload?.object?.id), String(MEETING_ID));
    assert.ok(r.out.event.payload.object.recording_files?.length > 0, JSON.stringify(r.out.event.payload));
    assert.equal(r.out.note, undefined);
    assert.ok(r.ms >= 900 && r.ms < 15_000, `recorder's wait took ${r.ms} ms: it must block, then wake when the event comes`);

    const w = await watcherWait;
    assert.equal(w.out.event, undefined, `watcher saw ${JSON.stringify(w.out.event)}`);
    assert.ok(r.at < w.at, 'the recording was stored before watcher\'s wait ended, so its wait covered it');
    assert.match(w.out.note ?? '', /No matching event came within 5 seconds/);
    assert.equal(w.out.cursor, endedSeq);
    assert.ok(w.ms >= 4_500, `watcher's wait ended after ${w.ms} ms, before its timeout`);

    // The same stored event, asked for again with the cursor: still not
    // watcher's, and recorder's at once.
    const again = await wait(watcher, { types: ['recording.completed'], after: endedSeq, timeout_seconds: 1 });
    assert.equal(again.out.event, undefined, `watcher saw ${JSON.stringify(again.out.event)}`);
    const mine = await wait(recorder, { types: ['recording.completed'], after: endedSeq, timeout_seconds: 10 });
    assert.equal(mine.out.event?.seq, r.out.event.seq);

    // Only recorder's subscription is told of the recording.
    await until('recorder told of recording.completed', () => recorder.updates.get(MEETING_URI) === seen.recorder + 1);
    await sleep(500);
    assert.equal(watcher.updates.get(MEETING_URI), seen.watcher, 'watcher was told of an event it may not see');
  });

  test('the event resources show each agent what it may see', async () => {
    const mine = await read(recorder, EVENTS_URI);
    assert.ok(types(mine).includes('recording.completed'), `recorder reads ${JSON.stringify(types(mine))}`);
    assert.ok(types(await read(recorder, MEETING_URI)).includes('recording.completed'));

    for (const uri of [EVENTS_URI, MEETING_URI]) {
      const theirs = await read(watcher, uri);
      assert.ok(types(theirs).includes('meeting.started') && types(theirs).includes('meeting.ended'),
        `watcher reads ${uri}: ${JSON.stringify(types(theirs))}`);
      assert.ok(!types(theirs).includes('recording.completed'), `watcher reads recording.completed in ${uri}`);
      assert.ok(theirs.every((e) => e.toolset === 'meetings'), `watcher reads ${JSON.stringify(theirs.map((e) => e.toolset))}`);
      // Newest last, each once.
      const seqs = theirs.map((e) => e.seq);
      assert.deepEqual(seqs, [...seqs].sort((a, b) => a - b));
      assert.equal(new Set(seqs).size, seqs.length);
    }
  });
});
