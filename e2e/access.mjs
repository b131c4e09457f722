// End-to-end test of zoom-mcp's access control through the official MCP
// TypeScript SDK client over streamable HTTP: three agents, each with its
// own key, against a server started with --config (access_test.go starts
// it, and the standalone Zoom simulator it talks to). Runs with node:test;
// prints TAP; exits non-zero on any failure.
//
//   ZOOM_MCP_URL=http://127.0.0.1:8080/mcp ZOOMFAKE_STATS_URL=http://127.0.0.1:9090/_simulator/stats \
//   ZOOM_MCP_KEY_SCHEDULER=zmcp_... ZOOM_MCP_KEY_REPORTER=zmcp_... ZOOM_MCP_KEY_OPS=zmcp_... node access.mjs
//
// The agents (see access_test.go for the config):
//   scheduler  meetings: full, meeting_registrants: read
//   reporter   reports: read, users: read
//   ops        meetings: full, confirm: [destructive]
//
// "Sent nothing to Zoom" is proven with the simulator's request counters,
// read before and after a call from its own /_simulator/stats endpoint.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport, StreamableHTTPError } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { ElicitRequestSchema, ErrorCode, McpError } from '@modelcontextprotocol/sdk/types.js';
import { AjvJsonSchemaValidator } from '@modelcontextprotocol/sdk/validation/ajv';

const env = (name) => {
  const v = process.env[name];
  if (!v) {
    console.error(`set ${name} (see the head of access.mjs)`);
    process.exit(2);
  }
  return v;
};
const URL_ = env('ZOOM_MCP_URL');
const STATS_URL = env('ZOOMFAKE_STATS_URL');
const KEYS = {
  scheduler: env('ZOOM_MCP_KEY_SCHEDULER'),
  reporter: env('ZOOM_MCP_KEY_REPORTER'),
  ops: env('ZOOM_MCP_KEY_OPS'),
};

// Every request of this script is bounded, so that a hang fails the test
// with a message instead of running into the Go test's timeout.
const TIMEOUT_MS = 20_000;

// The seeded meeting with registration (zoomapi/zoomfake/seed.go).
const MEETING_ID = 85746065432;

const SCHEDULER_TOOLS = [
  'list_meetings', 'create_meeting', 'get_meeting', 'update_meeting', 'delete_meeting', 'end_meeting',
  'list_meeting_registrants',
];
const REPORTER_TOOLS = ['list_users', 'get_user', 'list_past_meetings', 'get_meeting_report', 'list_meeting_participants'];
const OPS_TOOLS = SCHEDULER_TOOLS.slice(0, 6);

const ajv = new AjvJsonSchemaValidator();

/** stats reads the simulator's request counters. */
async function stats() {
  const res = await fetch(STATS_URL, { signal: AbortSignal.timeout(TIMEOUT_MS) });
  assert.equal(res.status, 200, `GET ${STATS_URL}: ${res.status}`);
  const s = await res.json();
  assert.equal(typeof s.requests, 'number', `stats: ${JSON.stringify(s)}`);
  return { requests: s.requests, op: (id) => s.by_operation?.[id] ?? 0 };
}

/** sent runs fn and returns its result and what the simulator received meanwhile. */
async function sent(fn) {
  const before = await stats();
  const result = await fn();
  const after = await stats();
  return { result, requests: after.requests - before.requests, op: (id) => after.op(id) - before.op(id) };
}

function transport(key) {
  const requestInit = key === undefined ? undefined : { headers: { Authorization: `Bearer ${key}` } };
  return new StreamableHTTPClientTransport(new URL(URL_), { requestInit });
}

/**
 * An agent's session: a Client over streamable HTTP with the agent's key,
 * and the tools it lists. answer, if given, answers elicitation/create.
 */
async function connect(agent, answer) {
  const client = answer
    ? new Client({ name: `access-e2e-${agent}`, version: '1.0.0' }, { capabilities: { elicitation: {} } })
    : new Client({ name: `access-e2e-${agent}`, version: '1.0.0' });
  if (answer) {
    client.setRequestHandler(ElicitRequestSchema, (req) => answer(req.params));
  }
  await client.connect(transport(KEYS[agent]), { timeout: TIMEOUT_MS });
  const page = await client.listTools({}, { timeout: TIMEOUT_MS });
  assert.equal(page.nextCursor, undefined, `${agent}: tools/list is one page`);
  return { agent, client, tools: new Map(page.tools.map((t) => [t.name, t])) };
}

// schemas holds every output schema any agent was shown, to check results
// of tools the calling agent was not shown (and so the SDK does not check).
const schemas = new Map();

/**
 * call calls a tool through the SDK's callTool. For a tool the agent
 * listed, the SDK validates structuredContent against its outputSchema and
 * rejects a mismatch, which fails the test (the test 'the SDK checks
 * results ...' proves this live); for any other tool it is checked here.
 */
async function call(session, name, args) {
  const listed = session.tools.has(name);
  if (listed) {
    assert.ok(session.client.getToolOutputValidator(name), `${session.agent}: the SDK holds no output validator for ${name}`);
  }
  const res = await session.client.callTool({ name, arguments: args }, undefined, { timeout: TIMEOUT_MS });
  if (!listed) {
    assert.ok(schemas.has(name), `no agent was shown ${name}'s outputSchema`);
    const v = ajv.getValidator(schemas.get(name))(res.structuredContent);
    assert.ok(v.valid, `${name}: structuredContent does not match outputSchema: ${v.errorMessage}`);
  }
  return res;
}

/** ok checks the success contract: no isError, the structuredContent also as text. */
function ok(name, res) {
  assert.notEqual(res.isError, true, `${name} failed: ${res.content?.[0]?.text}`);
  assert.equal(typeof res.structuredContent, 'object', `${name}: no structuredContent`);
  assert.deepEqual(JSON.parse(res.content[0].text), res.structuredContent, `${name}: text is not the structuredContent JSON`);
  return res.structuredContent;
}

/** failed checks a failed tool result of the given kind and returns its error. */
function failed(name, res, kind) {
  assert.equal(res.isError, true, `${name}: want isError, got ${JSON.stringify(res.structuredContent)}`);
  const err = res.structuredContent?.error;
  assert.ok(err, `${name}: no structured error: ${JSON.stringify(res.structuredContent)}`);
  assert.equal(err.kind, kind, `${name}: ${err.message}`);
  assert.equal(typeof err.message, 'string');
  assert.deepEqual(res.content, [{ type: 'text', text: err.message }]);
  return err;
}

describe('zoom-mcp access control over streamable HTTP', () => {
  /** @type {Awaited<ReturnType<typeof connect>>} */
  let scheduler, reporter, ops;
  // What ops' person answers, and the questions they were asked.
  let answer = () => ({ action: 'cancel' });
  const asked = [];

  before(async () => {
    scheduler = await connect('scheduler');
    reporter = await connect('reporter');
    ops = await connect('ops', (params) => {
      asked.push(params);
      return answer(params);
    });
    for (const s of [scheduler, reporter, ops]) {
      for (const [name, t] of s.tools) {
        schemas.set(name, t.outputSchema);
      }
    }
  });
  after(async () => {
    await Promise.all([scheduler, reporter, ops].map((s) => s?.client.close()));
  });

  test('each agent lists exactly the tools of its grant', () => {
    assert.deepEqual([...scheduler.tools.keys()].sort(), [...SCHEDULER_TOOLS].sort(), 'scheduler');
    assert.deepEqual([...reporter.tools.keys()].sort(), [...REPORTER_TOOLS].sort(), 'reporter');
    assert.deepEqual([...ops.tools.keys()].sort(), [...OPS_TOOLS].sort(), 'ops');
    for (const s of [scheduler, reporter, ops]) {
      for (const [name, t] of s.tools) {
        assert.equal(t.outputSchema?.type, 'object', `${s.agent}: ${name} has no outputSchema`);
      }
    }
  });

  test('a missing or unknown key gets 401 with a Bearer challenge, and the SDK cannot connect', async () => {
    const initialize = {
      jsonrpc: '2.0', id: 1, method: 'initialize',
      params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'access-e2e', version: '1.0.0' } },
    };
    for (const [what, auth] of [['missing key', undefined], ['unknown key', 'Bearer zmcp_not-a-key-of-this-server'], ['empty key', 'Bearer ']]) {
      const headers = { 'Content-Type': 'application/json', Accept: 'application/json, text/event-stream' };
      if (auth !== undefined) headers.Authorization = auth;
      const { result: res, requests } = await sent(() =>
        fetch(URL_, { method: 'POST', headers, body: JSON.stringify(initialize), signal: AbortSignal.timeout(TIMEOUT_MS) }),
      );
      assert.equal(res.status, 401, `${what}: status`);
      assert.match(res.headers.get('www-authenticate') ?? '', /^Bearer( |$)/, `${what}: WWW-Authenticate`);
      assert.equal(res.headers.get('mcp-session-id'), null, `${what}: a session was opened`);
      const body = await res.json();
      assert.equal(typeof body.error, 'string', `${what}: body ${JSON.stringify(body)}`);
      assert.equal(typeof body.message, 'string', `${what}: body ${JSON.stringify(body)}`);
      assert.equal(requests, 0, `${what}: the simulator received ${requests} requests`);
    }

    for (const [what, key] of [['missing key', undefined], ['unknown key', 'zmcp_not-a-key-of-this-server']]) {
      const client = new Client({ name: 'access-e2e-intruder', version: '1.0.0' });
      await assert.rejects(
        client.connect(transport(key), { timeout: TIMEOUT_MS }),
        (e) => e instanceof StreamableHTTPError && e.code === 401,
        `${what}: connect did not fail with 401`,
      );
      await client.close();
    }
  });

  test('reporter: a tool outside its grant is denied before Zoom', async () => {
    assert.ok(!reporter.tools.has('delete_meeting'), 'reporter must not see delete_meeting');
    const { result, requests } = await sent(() => call(reporter, 'delete_meeting', { meeting_id: MEETING_ID }));
    const err = failed('delete_meeting', result, 'access_denied');
    assert.equal(err.rule, 'meetings=off');
    assert.equal(requests, 0, `a denied call sent ${requests} requests to the simulator`);
  });

  test('reporter: a tool inside its grant reaches Zoom', async () => {
    // The counterpart of the denials: the counters do move when a call is allowed.
    const { result, op } = await sent(() => call(reporter, 'list_users', {}));
    const { users } = ok('list_users', result);
    assert.ok(users.length > 0, 'the seed has users');
    assert.equal(op('users'), 1, 'list_users sent one GET /users');
  });

  test('scheduler: a dry run describes the request and sends nothing', async () => {
    const topic = 'Access e2e dry run';
    const { result, requests } = await sent(() => call(scheduler, 'create_meeting', { topic, type: 2, duration: 30, dry_run: true }));
    const sc = ok('create_meeting', result);
    assert.equal(sc.dry_run, true);
    assert.equal(sc.zoom_request?.method, 'POST', JSON.stringify(sc));
    assert.equal(sc.zoom_request.path, '/users/me/meetings');
    assert.equal(sc.zoom_request.body?.topic, topic);
    assert.equal(requests, 0, `a dry run sent ${requests} requests to the simulator`);
  });

  test('ops: a destructive call runs once a person accepts it', async () => {
    asked.length = 0;
    answer = () => ({ action: 'accept', content: { confirm: true } });
    const agenda = 'Agenda confirmed by a person';
    const { result, op } = await sent(() => call(ops, 'update_meeting', { meeting_id: MEETING_ID, agenda }));
    const sc = ok('update_meeting', result);
    assert.equal(String(sc.id), String(MEETING_ID), JSON.stringify(sc));
    assert.equal(sc.agenda, agenda);
    assert.equal(op('meetingUpdate'), 1, 'the PATCH did not reach the simulator once');

    assert.equal(asked.length, 1, `asked ${asked.length} times`);
    const q = asked[0];
    assert.equal(q.mode ?? 'form', 'form');
    assert.match(q.message, /"ops"/, `the question does not name the agent: ${q.message}`);
    assert.ok(q.message.includes(String(MEETING_ID)), `the question does not name the meeting: ${q.message}`);
    assert.equal(q.requestedSchema?.properties?.confirm?.type, 'boolean', JSON.stringify(q.requestedSchema));
  });

  test('ops: a declined call is not sent', async () => {
    asked.length = 0;
    answer = () => ({ action: 'decline' });
    const { result, requests, op } = await sent(() =>
      call(ops, 'update_meeting', { meeting_id: MEETING_ID, agenda: 'Agenda nobody agreed to' }),
    );
    failed('update_meeting', result, 'declined');
    assert.equal(asked.length, 1, `asked ${asked.length} times`);
    assert.equal(op('meetingUpdate'), 0, 'a declined update reached the simulator');
    assert.equal(requests, 0, `a declined call sent ${requests} requests to the simulator`);
  });

  test('the SDK checks results against the output schema', async () => {
    // Proves that the validation call() relies on is live for these
    // sessions: demand a field the server never sends, and the same call
    // fails.
    const tools = [...scheduler.tools.values()];
    const strict = structuredClone(scheduler.tools.get('create_meeting'));
    strict.outputSchema.required = ['no_such_field'];
    scheduler.client.cacheToolMetadata(tools.map((t) => (t.name === strict.name ? strict : t)));
    try {
      await assert.rejects(
        call(scheduler, 'create_meeting', { topic: 'x', dry_run: true }),
        (e) => e instanceof McpError && e.code === ErrorCode.InvalidParams && /does not match the tool's output schema/.test(e.message),
      );
    } finally {
      scheduler.client.cacheToolMetadata(tools);
    }
  });
});
