// Agent jobs: zoom-mcp driven as an agent would drive it, from the tool
// descriptions and input schemas alone, through the official MCP TypeScript
// SDK client over stdio (the SDK spawns `zoom-mcp --sandbox`). Each job is
// done in the fewest calls the tools allow, and the call count is asserted;
// then 20 mistakes an agent makes, each of which must come back as an
// isError result whose structured error has the right kind and a message
// that names the argument and says how to fix it. Runs with node:test;
// prints TAP; exits non-zero on any failure.
//
//   ZOOM_MCP_BIN=/path/to/zoom-mcp node agent-jobs.mjs
//
// The bytes of tools/list and of each result's text are printed as TAP
// comments, not asserted: the budgets are checked by the benchmarks.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';

const BIN = process.env.ZOOM_MCP_BIN;
if (!BIN) {
  console.error('set ZOOM_MCP_BIN (the zoom-mcp binary)');
  process.exit(2);
}

// day(n) is the date n days from now, YYYY-MM-DD (UTC).
const day = (n) => new Date(Date.now() + n * 86_400_000).toISOString().slice(0, 10);
const bytes = (s) => Buffer.byteLength(s, 'utf8');

// Words that tell an agent what to do next.
const FIX = /call again|\bUse\b|\bmust\b|\bCheck\b|\bretry\b|\badd\b|\bpass\b/i;

describe('agent jobs on zoom-mcp --sandbox over stdio', () => {
  /** @type {Client} */
  let client;
  /** @type {Map<string, object>} */
  const tools = new Map();
  let listBytes = 0;
  /** result text bytes, in call order: [label, bytes] */
  const sizes = [];

  before(async () => {
    client = new Client({ name: 'zoom-mcp-agent-jobs', version: '1.0.0' });
    await client.connect(
      new StdioClientTransport({ command: BIN, args: ['--sandbox', '--log-level', 'error'], stderr: 'inherit' }),
    );
  });
  after(async () => {
    await client?.close();
    console.log(`# bytes tools/list: ${listBytes} (${tools.size} tools)`);
    console.log(`# bytes results: ${sizes.map(([k, n]) => `${k}=${n}`).join(' ')}`);
  });

  // job returns a caller that counts its calls and records result sizes. An
  // agent uses only the tools and arguments tools/list gave it, so every
  // call is checked against the input schema's names first (probes use
  // raw() instead, to make the mistakes on purpose).
  function job(label) {
    const j = { calls: 0 };
    j.call = async (name, args) => {
      const t = tools.get(name);
      assert.ok(t, `${label}: ${name} is not in tools/list`);
      const props = t.inputSchema.properties ?? {};
      for (const k of Object.keys(args)) assert.ok(k in props, `${label}: ${name} has no argument ${k}`);
      for (const k of t.inputSchema.required ?? []) assert.ok(k in args, `${label}: ${name} needs ${k}`);
      const res = await raw(name, args, `${label}:${name}`);
      j.calls++;
      assert.notEqual(res.isError, true, `${label}: ${name} failed: ${res.content?.[0]?.text}`);
      assert.equal(typeof res.structuredContent, 'object', `${label}: ${name}: no structuredContent`);
      return res.structuredContent;
    };
    return j;
  }

  async function raw(name, args, label = name) {
    const res = await client.callTool({ name, arguments: args });
    sizes.push([label, res.content.reduce((n, c) => n + (c.type === 'text' ? bytes(c.text) : 0), 0)]);
    return res;
  }

  test('tools/list: what the agent reads first', async () => {
    let cursor;
    do {
      const page = await client.listTools(cursor ? { cursor } : {});
      listBytes += bytes(JSON.stringify(page));
      for (const t of page.tools) tools.set(t.name, t);
      cursor = page.nextCursor;
    } while (cursor);
    assert.equal(tools.size, 29);
  });

  test('job 1: schedule a meeting with registration, register a person, see them listed (3 calls)', async () => {
    const j = job('job1');
    const m = await j.call('create_meeting', {
      topic: 'Agent job: registration',
      start_time: `${day(7)}T15:00:00Z`,
      duration: 45,
      settings: { approval_type: 0 },
    });
    assert.equal(m.settings.approval_type, 0);
    assert.match(m.registration_url ?? '', /^https:\/\//, 'a meeting with registration has a registration URL');

    const email = 'agent.registrant@example.org';
    const reg = await j.call('add_meeting_registrant', { meeting_id: m.id, email, first_name: 'Agent' });
    assert.equal(reg.id, m.id);
    assert.ok(reg.registrant_id);
    assert.match(reg.join_url, /^https:\/\//);

    // approval_type 0: approved at once, and approved is the default status.
    const { registrants } = await j.call('list_meeting_registrants', { meeting_id: m.id });
    assert.ok(registrants.some((r) => r.email === email), `${email} not in ${JSON.stringify(registrants)}`);
    assert.equal(j.calls, 3);
  });

  test('job 2: who attended a past meeting (2 calls)', async () => {
    const j = job('job2');
    // The default range is the last month.
    const { meetings } = await j.call('list_past_meetings', {});
    assert.ok(meetings.length > 0, 'the seed has past meetings in the last month');
    const m = meetings.find((x) => x.participants > 0);
    assert.ok(m?.uuid, JSON.stringify(meetings));
    const { participants } = await j.call('list_meeting_participants', { meeting_id: m.uuid });
    assert.ok(participants.length > 0);
    assert.ok(participants.every((p) => p.name && p.join_time), JSON.stringify(participants[0]));
    assert.equal(j.calls, 2);
  });

  test('job 3: create and cancel a webinar (3 calls)', async () => {
    const j = job('job3');
    const w = await j.call('create_webinar', { topic: 'Agent job: launch', start_time: `${day(10)}T17:00:00Z`, duration: 60 });
    assert.ok(w.id);
    await j.call('delete_webinar', { webinar_id: w.id });
    const res = await raw('get_webinar', { webinar_id: w.id }, 'job3:get_webinar');
    j.calls++;
    assert.equal(res.isError, true, `the deleted webinar is still there: ${res.content?.[0]?.text}`);
    assert.equal(res.structuredContent.error.kind, 'not_found');
    assert.ok(res.structuredContent.error.message.includes(String(w.id)), res.structuredContent.error.message);
    assert.equal(j.calls, 3);
  });

  test('job 4: list every user, page by page (calls = pages)', async () => {
    const j = job('job4');
    const users = [];
    let token, pages = 0, total;
    do {
      const page = await j.call('list_users', { page_size: 3, ...(token ? { next_page_token: token } : {}) });
      pages++;
      users.push(...page.users);
      total = page.total_records;
      token = page.next_page_token;
      assert.ok(pages <= 10, 'pagination does not end');
    } while (token);
    assert.ok(pages >= 2, `page_size 3 should need 2 pages or more; got ${pages}`);
    assert.equal(j.calls, pages);
    assert.equal(j.calls, Math.ceil(total / 3));
    assert.equal(users.length, total);
    assert.equal(new Set(users.map((u) => u.email)).size, users.length, 'a user listed twice');
  });

  test('job 5: find a recording and read its transcript (2 calls)', async () => {
    const j = job('job5');
    const { recordings } = await j.call('list_recordings', {});
    const rec = recordings.find((r) => r.file_types?.includes('TRANSCRIPT'));
    assert.ok(rec, `no recording with a TRANSCRIPT in ${JSON.stringify(recordings)}`);
    const t = await j.call('get_meeting_transcript', { meeting_id: rec.uuid });
    assert.ok(t.segments.length > 0, JSON.stringify(t).slice(0, 300));
    assert.ok(t.speakers.length > 0);
    assert.equal(j.calls, 2);
  });

  // Each probe: [tool, args, kind, the argument (or value) the message must
  // name, optional extra check]. Every message must also say how to fix it.
  const pastDay = day(-2);
  const nextWeek = day(7);
  const probes = [
    ['get_meeting', { meeting_id: 'abc' }, 'invalid_argument', 'meeting_id', /want integer/],
    ['create_meeting', { topic: 'x', start_time: `${nextWeek} 15:00:00` }, 'invalid_argument', 'start_time', /RFC 3339/],
    ['create_meeting', { topic: 'x', start_time: 'tomorrow' }, 'invalid_argument', 'start_time', /"tomorrow"/],
    ['create_meeting', { topic: 'x', start_time: `${pastDay}T15:00:00Z` }, 'invalid_argument', 'start_time', /in the past/],
    ['create_meeting', { topic: 'x', start_time: `${nextWeek}T15:00:00Z`, timezone: 'Berlin' }, 'invalid_argument', 'timezone', /Europe\/Berlin/],
    ['create_meeting', { topic: 'x', start_time: `${nextWeek}T15:00:00` }, 'invalid_argument', 'start_time', /timezone/],
    ['list_meetings', { usr_id: 'me' }, 'invalid_argument', 'usr_id', /user_id/],
    ['add_meeting_registrant', { meeting_id: 85746065432, email: 'not-an-email', first_name: 'X' }, 'invalid_argument', 'email', /@/],
    ['get_meeting_recordings', { meeting_id: '1/../../users/me' }, 'invalid_argument', 'meeting_id'],
    ['list_past_meetings', { to: 'soon' }, 'invalid_argument', 'to', /yyyy-mm-dd/],
    ['update_meeting_registrant_status', { meeting_id: 85746065432, action: 'approve', registrants: [] }, 'invalid_argument', 'registrants'],
    ['list_users', { page_size: 0 }, 'invalid_argument', 'page_size'],
    ['get_meeting_transcript', { meeting_id: 'q9Xr+2LmT/aBc3dEf4GhIw==', cursor: 'x' }, 'invalid_argument', 'cursor', /next_cursor/],
    ['delete_meeting', { meeting_id: 99999999999 }, 'not_found', '99999999999', /meeting_id/, { zoom_code: 3001 }],
    ['get_user', { user_id: 'nobody@example.com' }, 'not_found', 'nobody@example.com', /user_id/, { zoom_code: 1001 }],
    ['create_user', { email: 'probe@example.com', type: 3 }, 'invalid_argument', 'type', /1, 2, 4/],
    // Zoom's one-month range limit (code 300): the message does not name
    // `from`; that check is the TODO test below.
    ['list_recordings', { from: day(-90) }, 'invalid_argument', 'one month', /\bfrom\b/, {}],
    // Ben's "Vendor check-in" (seed.go SeedNoSummaryUUID): held, but no summary.
    ['get_meeting_summary', { meeting_id: 'Jd8s1QkaT7uPz4Wm6xVe2Q==' }, 'not_found', 'meeting_id', null, { zoom_code: 3001 }],
    ['list_webinar_registrants', { webinar_id: 91234567890, page_size: 301 }, 'invalid_argument', 'page_size', /300/],
    // The recurring Team sync is not in progress; the message does not name
    // meeting_id: that check is the TODO test below.
    ['end_meeting', { meeting_id: 83456789012 }, 'zoom_refused', 'not in progress', null, { zoom_code: 3000 }],
  ];
  assert.equal(probes.length, 20);

  /** error by probe index, for the TODO checks */
  const errors = [];
  probes.forEach(([name, args, kind, names, extra, fields], i) => {
    test(`probe ${i + 1}: ${name} ${JSON.stringify(args)} → ${kind}, names ${JSON.stringify(names)}`, async () => {
      const res = await raw(name, args, `probe${i + 1}:${name}`);
      assert.equal(res.isError, true, `want isError, got ${res.content?.[0]?.text}`);
      const err = res.structuredContent?.error;
      assert.ok(err, `no structured error: ${JSON.stringify(res.structuredContent)}`);
      errors[i] = err;
      assert.equal(err.kind, kind, err.message);
      assert.deepEqual(res.content, [{ type: 'text', text: err.message }]);
      assert.ok(err.message.includes(names), `message does not name ${JSON.stringify(names)}: ${err.message}`);
      assert.match(err.message, FIX, `message does not say how to fix it: ${err.message}`);
      if (extra) assert.match(err.message, extra);
      for (const [k, v] of Object.entries(fields ?? {})) assert.equal(err[k], v, `${k}: ${err.message}`);
      if (kind === 'invalid_argument' && err.fields) {
        assert.ok(err.fields.some((f) => f.field === names), `fields: ${JSON.stringify(err.fields)}`);
      }
    });
  });

  // Messages that once did not name the argument an agent must change.
  test('probe 17: the range-limit message names from', () => {
    assert.match(errors[16]?.message ?? '', /\bfrom\b/);
  });
  test('probe 20: the not-in-progress message names meeting_id', () => {
    assert.match(errors[19]?.message ?? '', /meeting_id/);
  });
});
