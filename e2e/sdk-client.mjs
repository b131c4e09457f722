// End-to-end test of zoom-mcp through the official MCP TypeScript SDK client,
// over stdio (the SDK spawns the server) and streamable HTTP (a server that
// e2e_test.go started). Runs with node:test; prints TAP; exits non-zero on
// any failure.
//
//   ZOOM_MCP_BIN=/path/to/zoom-mcp ZOOM_MCP_URL=http://127.0.0.1:8080/mcp node sdk-client.mjs
//
// Both servers run in --sandbox mode with --list-page-size 6, each on its own
// seeded simulator, so each transport gets the same fresh account.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { CallToolResultSchema, ErrorCode, McpError } from '@modelcontextprotocol/sdk/types.js';
import { AjvJsonSchemaValidator } from '@modelcontextprotocol/sdk/validation/ajv';

const BIN = process.env.ZOOM_MCP_BIN;
const URL_ = process.env.ZOOM_MCP_URL;
if (!BIN || !URL_) {
  console.error('set ZOOM_MCP_BIN (the zoom-mcp binary) and ZOOM_MCP_URL (its HTTP /mcp endpoint, started with --sandbox --list-page-size 6)');
  process.exit(2);
}

const PAGE_SIZE = 6;

// The 29 tools of the public interface (tools/registry_test.go publicNames).
const TOOLS = [
  'list_meetings', 'create_meeting', 'get_meeting', 'update_meeting', 'delete_meeting', 'end_meeting',
  'list_meeting_registrants', 'add_meeting_registrant', 'update_meeting_registrant_status',
  'list_webinars', 'create_webinar', 'get_webinar', 'update_webinar', 'delete_webinar',
  'list_webinar_registrants', 'add_webinar_registrant',
  'list_users', 'get_user', 'create_user',
  'list_recordings', 'get_meeting_recordings', 'delete_meeting_recordings',
  'get_meeting_transcript', 'get_meeting_summary', 'list_meeting_summaries',
  'list_past_meetings', 'get_meeting_report', 'list_meeting_participants',
  'wait_for_event',
];

// Seeded account (zoomapi/zoomfake/seed.go).
const SEED = {
  registrationMeetingID: 85746065432,
  liveMeetingID: 86420135790,
  recurringMeetingID: 87231234567,
  teamSyncMeetingID: 83456789012,
  webinarID: 91234567890,
  openWebinarID: 92345678901,
  ownerEmail: 'ava.owner@example.com',
  memberEmail: 'carla.member@example.com',
  pastUUID: 'Hbj4kJZ9TcWbyvL0U2rBOQ==', // 21 days ago
  pastSlashUUID: '/Zx8W2qkR1u0l3ZfK8w9bA==', // 14 days ago; double URL-encoded in a path
  pastDoubleSlashUUID: 'cG4x//Hk0QkuvAr3rPQbNw==', // 7 days ago; double URL-encoded in a path
  designReviewUUID: '9f3kQ1b+Rr2tWc7aZyXe0g==', // 3 days ago, Carla's
  transcriptUUID: 'q9Xr+2LmT/aBc3dEf4GhIw==', // with a transcript (BOM, NOTE, 4 speakers) and a summary
  longTranscriptUUID: '/Lq3vT8nR0yWk5Hc2JpXzA==', // a 3-hour transcript, 2,500 cues
};

// day(n) is the date n days from now, YYYY-MM-DD. Date ranges below stay a
// day clear of today so that the server's time zone cannot matter.
const day = (n) => new Date(Date.now() + n * 86_400_000).toISOString().slice(0, 10);

const ajv = new AjvJsonSchemaValidator();

function transports() {
  return {
    stdio: () =>
      new StdioClientTransport({
        command: BIN,
        args: ['--sandbox', '--list-page-size', String(PAGE_SIZE), '--log-level', 'error'],
        stderr: 'inherit',
      }),
    'streamable HTTP': () => new StreamableHTTPClientTransport(new URL(URL_)),
  };
}

for (const [transportName, newTransport] of Object.entries(transports())) {
  describe(`zoom-mcp over ${transportName}`, () => {
    /** @type {Client} */
    let client;
    /** @type {Map<string, object>} every tool by name, from all pages */
    const tools = new Map();
    /** @type {Map<string, (v: unknown) => {valid: boolean, errorMessage?: string}>} */
    const outputValidators = new Map();
    const called = new Set();

    before(async () => {
      client = new Client({ name: 'zoom-mcp-e2e', version: '1.0.0' });
      await client.connect(newTransport());
    });
    after(async () => {
      await client?.close();
    });

    // ok calls a tool through the SDK's callTool, which validates
    // structuredContent against the tool's outputSchema, and checks the rest
    // of the success contract: no isError, structuredContent valid against
    // the outputSchema (checked here too, independently of the SDK), and the
    // same JSON as the one text content.
    // Tools whose text is written for reading (a transcript) rather than the
    // JSON of structuredContent.
    const READABLE = new Set(['get_meeting_transcript']);

    async function ok(name, args) {
      called.add(name);
      const res = await client.callTool({ name, arguments: args });
      assert.notEqual(res.isError, true, `${name} failed: ${res.content?.[0]?.text}`);
      const sc = res.structuredContent;
      assert.equal(typeof sc, 'object', `${name}: no structuredContent`);
      const v = outputValidators.get(name)(sc);
      assert.ok(v.valid, `${name}: structuredContent does not match outputSchema: ${v.errorMessage}`);
      assert.equal(res.content.length, 1, `${name}: want one content item`);
      assert.equal(res.content[0].type, 'text');
      if (READABLE.has(name)) {
        assert.ok(!res.content[0].text.startsWith('{'), `${name}: text is JSON, not lines to read`);
      } else {
        assert.deepEqual(JSON.parse(res.content[0].text), sc, `${name}: text is not the structuredContent JSON`);
      }
      return sc;
    }

    // fails calls a tool expecting a failed tool result: isError, the message
    // as text, and {"error": {kind, message, ...}} as structuredContent. The
    // SDK's callTool validates that structuredContent against the tool's
    // outputSchema too (typescript-sdk#1943), so the schema must admit it.
    async function fails(name, args, kind, ...mentions) {
      called.add(name);
      const res = await client.callTool({ name, arguments: args });
      const v = outputValidators.get(name)(res.structuredContent);
      assert.ok(v.valid, `${name}: error structuredContent does not match outputSchema: ${v.errorMessage}`);
      assert.equal(res.isError, true, `${name}: want isError, got ${JSON.stringify(res.structuredContent)}`);
      const err = res.structuredContent?.error;
      assert.ok(err, `${name}: no structured error: ${JSON.stringify(res.structuredContent)}`);
      assert.equal(err.kind, kind, `${name}: ${err.message}`);
      assert.equal(typeof err.message, 'string');
      assert.deepEqual(res.content, [{ type: 'text', text: err.message }]);
      for (const m of mentions) {
        assert.ok(err.message.includes(m), `${name}: message lacks ${JSON.stringify(m)}: ${err.message}`);
      }
      return err;
    }

    test('initialize: server info, tools-only capabilities, instructions', () => {
      assert.equal(client.getServerVersion()?.name, 'zoom-mcp');
      const caps = client.getServerCapabilities();
      assert.ok(caps?.tools, 'tools capability missing');
      for (const c of ['resources', 'prompts', 'logging', 'completions']) {
        assert.equal(caps[c], undefined, `unexpected capability ${c}`);
      }
      assert.match(client.getInstructions() ?? '', /Zoom/);
    });

    test(`tools/list: ${TOOLS.length} tools over pages of ${PAGE_SIZE}`, async () => {
      const pages = [];
      let cursor;
      do {
        const page = await client.listTools(cursor ? { cursor } : {});
        pages.push(page.tools.map((t) => t.name));
        for (const t of page.tools) {
          assert.ok(!tools.has(t.name), `${t.name} listed twice`);
          tools.set(t.name, t);
        }
        cursor = page.nextCursor;
        assert.ok(pages.length <= 10, 'pagination does not end');
      } while (cursor);
      assert.deepEqual(pages.map((p) => p.length), [6, 6, 6, 6, 5], `pages: ${JSON.stringify(pages)}`);
      assert.deepEqual([...tools.keys()].sort(), [...TOOLS].sort());

      // The SDK caches output-schema validators per listTools call and clears
      // them on each page, so after paging it would validate only the last
      // page's tools. Give it the whole list, then check that it holds a
      // validator for every tool.
      client.cacheToolMetadata([...tools.values()]);
      for (const name of TOOLS) {
        assert.ok(client.getToolOutputValidator(name), `SDK holds no output validator for ${name}`);
        outputValidators.set(name, ajv.getValidator(tools.get(name).outputSchema));
      }
    });

    test('every tool declares schemas, a title and the hints that differ from the defaults', () => {
      // MCP's defaults for a hint left out: readOnly false, destructive
      // true, idempotent false, openWorld true.
      const hint = (a, h, def) => (a?.[h] === undefined ? def : a[h]);
      for (const [name, t] of tools) {
        assert.equal(t.inputSchema.type, 'object', name);
        assert.equal(t.outputSchema?.type, 'object', `${name}: outputSchema`);
        assert.ok(t.title && t.description, `${name}: title and description`);
        const a = t.annotations ?? {};
        const eff = [hint(a, 'readOnlyHint', false), hint(a, 'destructiveHint', true), hint(a, 'idempotentHint', false)];
        assert.equal(hint(a, 'openWorldHint', true), true, `${name}: every tool reaches Zoom`);
        if (/^(list|get|wait)_/.test(name)) {
          assert.equal(eff[0], true, `${name}: a read`);
        } else if (/^(create|add)_/.test(name)) {
          assert.deepEqual(eff, [false, false, false], `${name}: a create`);
        } else {
          assert.deepEqual(eff, [false, true, true], `${name}: a change`);
        }
      }
    });

    test('the SDK rejects structuredContent that does not match the outputSchema', async () => {
      // Proves the validation in callTool is live: make get_user's schema
      // demand a field the server never sends, and the same call fails.
      const strict = structuredClone(tools.get('get_user'));
      strict.outputSchema.required = ['no_such_field'];
      client.cacheToolMetadata([...tools.values()].map((t) => (t.name === 'get_user' ? strict : t)));
      try {
        await assert.rejects(
          client.callTool({ name: 'get_user', arguments: { user_id: SEED.memberEmail } }),
          (e) => e instanceof McpError && e.code === ErrorCode.InvalidParams && /does not match the tool's output schema/.test(e.message),
        );
      } finally {
        client.cacheToolMetadata([...tools.values()]);
      }
    });

    test('users: list, get, create', async () => {
      const { users } = await ok('list_users', {});
      const emails = users.map((u) => u.email);
      assert.ok(emails.includes(SEED.ownerEmail) && emails.includes(SEED.memberEmail), emails.join());
      assert.ok(users.every((u) => u.status === 'active'), 'list_users lists active users by default');

      const carla = await ok('get_user', { user_id: SEED.memberEmail });
      assert.equal(carla.first_name, 'Carla');
      assert.equal(carla.status, 'active');

      const email = `gil.${transportName.replace(/\W/g, '')}@example.com`;
      const gil = await ok('create_user', { email, type: 1, first_name: 'Gil' });
      assert.equal(gil.email, email);
      assert.equal(gil.status, 'pending');
      assert.equal((await ok('get_user', { user_id: gil.id })).email, email);
    });

    test('meetings: list, create, get, update, delete, end', async () => {
      const first = await ok('list_meetings', { page_size: 5 });
      assert.equal(first.meetings.length, 5);
      assert.ok(first.next_page_token, 'the seed has more than 5 meetings: want a next_page_token');

      const start = `${day(3)}T15:00:00Z`;
      const m = await ok('create_meeting', { topic: 'E2E planning', type: 2, start_time: start, duration: 30, settings: { waiting_room: true } });
      assert.equal(m.topic, 'E2E planning');
      assert.equal(m.start_time, start);
      assert.equal(m.settings.waiting_room, true);
      assert.match(m.join_url, new RegExp(`/j/${m.id}`));

      assert.equal((await ok('get_meeting', { meeting_id: m.id })).topic, 'E2E planning');
      const updated = await ok('update_meeting', { meeting_id: m.id, agenda: 'Updated agenda' });
      assert.equal(updated.agenda, 'Updated agenda');
      assert.equal(updated.topic, 'E2E planning', 'fields not given must not change');

      const del = await ok('delete_meeting', { meeting_id: m.id });
      assert.equal(String(del.id), String(m.id));
      await fails('get_meeting', { meeting_id: m.id }, 'not_found', String(m.id));

      // The seed has one meeting in progress: it cannot be deleted until
      // it is ended, and only a meeting in progress can be ended.
      const busy = await fails('delete_meeting', { meeting_id: SEED.liveMeetingID }, 'zoom_refused', 'in progress');
      assert.equal(busy.zoom_code, 3000);
      const ended = await ok('end_meeting', { meeting_id: SEED.liveMeetingID });
      assert.equal(ended.outcome, 'ended');
      const err = await fails('end_meeting', { meeting_id: SEED.liveMeetingID }, 'zoom_refused', 'not in progress');
      assert.equal(err.zoom_code, 3000);
      await ok('delete_meeting', { meeting_id: SEED.liveMeetingID });
    });

    test('meeting registrants: list, approve, add', async () => {
      const reg = SEED.registrationMeetingID;
      const pending = await ok('list_meeting_registrants', { meeting_id: reg, status: 'pending' });
      assert.ok(pending.registrants.length >= 1, 'the seed has a pending registrant');
      const email = pending.registrants[0].email;

      const upd = await ok('update_meeting_registrant_status', { meeting_id: reg, action: 'approve', registrants: [{ email }] });
      assert.equal(upd.action, 'approve');
      const approved = await ok('list_meeting_registrants', { meeting_id: reg, status: 'approved' });
      assert.ok(approved.registrants.some((r) => r.email === email), `${email} not approved`);

      const added = await ok('add_meeting_registrant', { meeting_id: reg, email: 'new.person@example.org', first_name: 'New' });
      assert.equal(added.id, reg);
      assert.ok(added.registrant_id);
      assert.match(added.join_url, /^https:\/\//);
    });

    test('webinars: list, get, create, update, delete, registrants', async () => {
      const ids = (await ok('list_webinars', {})).webinars.map((w) => w.id);
      assert.ok(ids.includes(SEED.webinarID) && ids.includes(SEED.openWebinarID), ids.join());
      assert.equal((await ok('get_webinar', { webinar_id: SEED.webinarID })).id, SEED.webinarID);

      const w = await ok('create_webinar', { topic: 'E2E launch', start_time: `${day(10)}T17:00:00Z`, duration: 60 });
      assert.equal(w.topic, 'E2E launch');
      assert.equal((await ok('update_webinar', { webinar_id: w.id, duration: 90 })).duration, 90);
      await ok('delete_webinar', { webinar_id: w.id });
      await fails('get_webinar', { webinar_id: w.id }, 'not_found', String(w.id));

      const before = (await ok('list_webinar_registrants', { webinar_id: SEED.webinarID })).registrants.length;
      const added = await ok('add_webinar_registrant', { webinar_id: SEED.webinarID, email: 'viewer@example.org', first_name: 'Vi' });
      assert.equal(added.id, SEED.webinarID);
      const regs = (await ok('list_webinar_registrants', { webinar_id: SEED.webinarID })).registrants;
      assert.equal(regs.length, before + 1, 'automatic approval: the new registrant is listed as approved');
      assert.ok(regs.some((r) => r.email === 'viewer@example.org'));
    });

    test('recordings: list, get by UUIDs that need double encoding, delete', async () => {
      const list = await ok('list_recordings', { from: day(-27), to: day(-1) });
      const uuids = list.recordings.map((r) => r.uuid);
      for (const u of [SEED.pastUUID, SEED.pastSlashUUID, SEED.pastDoubleSlashUUID]) {
        assert.ok(uuids.includes(u), `${u} not in ${uuids.join()}`);
      }

      const rec = await ok('get_meeting_recordings', { meeting_id: SEED.pastSlashUUID });
      assert.equal(rec.uuid, SEED.pastSlashUUID);
      assert.ok(rec.files.some((f) => f.file_type === 'TRANSCRIPT'), 'the recording has a transcript');

      const del = await ok('delete_meeting_recordings', { meeting_id: SEED.designReviewUUID });
      assert.equal(del.id, SEED.designReviewUUID);
      assert.match(del.outcome, /trash/);
      await fails('get_meeting_recordings', { meeting_id: SEED.designReviewUUID }, 'not_found', SEED.designReviewUUID);
    });

    test('reports: past meetings, a meeting report, participants', async () => {
      const past = await ok('list_past_meetings', { from: day(-27), to: day(-1) });
      const uuids = past.meetings.map((m) => m.uuid);
      assert.ok(uuids.includes(SEED.pastUUID) && uuids.includes(SEED.pastDoubleSlashUUID), uuids.join());

      const report = await ok('get_meeting_report', { meeting_id: SEED.pastDoubleSlashUUID });
      assert.equal(report.uuid, SEED.pastDoubleSlashUUID);
      assert.equal(report.id, SEED.teamSyncMeetingID);
      assert.ok(report.participants > 0);

      const { participants } = await ok('list_meeting_participants', { meeting_id: SEED.pastUUID });
      assert.ok(participants.length > 0);
      assert.ok(participants.some((p) => p.email === SEED.ownerEmail), 'the host attended');
    });

    test('transcripts and summaries: text to read, pages over 3 hours, no download link', async () => {
      const t = await ok('get_meeting_transcript', { meeting_id: SEED.transcriptUUID });
      assert.ok(t.segments.length > 0 && t.speakers.length >= 2, JSON.stringify(t).slice(0, 300));
      assert.ok(!JSON.stringify(t).includes('download'), 'no download URL in the result');
      let cursor, seen = 0, pages = 0;
      do {
        const page = await ok('get_meeting_transcript', { meeting_id: SEED.longTranscriptUUID, ...(cursor ? { cursor } : {}) });
        seen += page.segments.length;
        pages++;
        cursor = page.next_cursor;
        if (!cursor) assert.equal(seen, page.total);
      } while (cursor && pages < 500);
      assert.equal(seen, 2500);
      assert.ok(pages > 10, `${pages} pages`);

      const s = await ok('get_meeting_summary', { meeting_id: SEED.transcriptUUID });
      assert.equal(s.meeting_uuid, SEED.transcriptUUID);
      assert.ok(s.summary_content || s.overview);
      const list = await ok('list_meeting_summaries', {});
      assert.ok(list.summaries.some((r) => r.meeting_uuid === SEED.transcriptUUID));
    });

    test('failures are isError results with a structured error', async () => {
      await fails('get_meeting', { meeting_id: 'abc' }, 'invalid_argument', 'meeting_id');
      await fails('list_meetings', { usr_id: 'me' }, 'invalid_argument', 'unknown argument(s) usr_id', 'user_id');
      // This server takes in no events: the wait says how to turn them on.
      await fails('wait_for_event', { types: ['meeting.started'] }, 'unavailable', 'ZOOM_WEBHOOK_SECRET_TOKEN');
      const nf = await fails('delete_meeting', { meeting_id: 99999999999 }, 'not_found', '99999999999');
      assert.equal(nf.zoom_code, 3001);
      // An unknown tool is a protocol error, not a tool result.
      await assert.rejects(client.callTool({ name: 'no_such_tool', arguments: {} }), (e) => e instanceof McpError && e.code === ErrorCode.InvalidParams);
    });

    test('every tool was called', () => {
      assert.deepEqual([...called].sort(), [...TOOLS].sort());
    });
  });
}
