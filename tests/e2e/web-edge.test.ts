// End to end, with node's fetch against the built app (no browser): the web edge of
// proxy.ts, next.config.js and /api/uploads. Pages get a Content-Security-Policy whose
// nonce changes per request and is on every script tag; the static security headers are
// on pages and static files; state-changing API requests from another origin get 403,
// tRPC requests that are not JSON 415, too large ones 413; uploads above UPLOAD_MAX_BYTES
// get 413 whether the size is declared or only seen while streaming. None of this needs a
// session: the refusals come before any sign-in check.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { startAppServer, type AppServer } from './app-server';
import { DEMO } from './page';

const UPLOAD_LIMIT = 4096; // bytes: "4 KB" in the refusal
const BASEMAP = 'http://tiles.example:8080';

let server: AppServer | undefined;
before(async () => {
  server = await startAppServer({ UPLOAD_MAX_BYTES: String(UPLOAD_LIMIT), BASEMAP_URL: `${BASEMAP}/{z}/{x}/{y}.png` });
}, { timeout: 600_000 });
after(async () => {
  await server?.stop();
});

const url = (p: string) => `${server!.base}${p}`;

/** A refusal from the edge: { error: Chinese sentence, detail: English } (tRPC's own errors are objects). */
async function edgeRefusal(r: Response): Promise<{ error: string; detail: string }> {
  assert.match(r.headers.get('content-type') ?? '', /^application\/json/);
  const body = (await r.json()) as { error: unknown; detail: unknown };
  assert.equal(typeof body.error, 'string', JSON.stringify(body));
  assert.equal(typeof body.detail, 'string', JSON.stringify(body));
  assert.match(body.error as string, /[\u4e00-\u9fa5]/, 'the error is a Chinese sentence');
  return body as { error: string; detail: string };
}

function directive(csp: string, name: string): string[] {
  const d = csp.split(';').map((s) => s.trim().split(/\s+/)).find((parts) => parts[0] === name);
  assert.ok(d, `CSP has ${name}: ${csp}`);
  return d.slice(1);
}

function assertStaticHeaders(r: Response, what: string): void {
  assert.equal(r.headers.get('x-content-type-options'), 'nosniff', `${what}: nosniff`);
  assert.equal(r.headers.get('x-frame-options'), 'DENY', `${what}: X-Frame-Options`);
  assert.ok(r.headers.get('referrer-policy'), `${what}: Referrer-Policy`);
  assert.match(r.headers.get('permissions-policy') ?? '', /camera=\(\).*microphone=\(\).*geolocation=\(\)/, `${what}: Permissions-Policy`);
}

test('pages carry a CSP whose nonce is fresh per request and on every script tag', async () => {
  const pages = await Promise.all([fetch(url('/')), fetch(url('/'))]);
  const nonces: string[] = [];
  let scriptSrc = '';
  for (const r of pages) {
    assert.equal(r.status, 200);
    const csp = r.headers.get('content-security-policy') ?? '';
    const script = directive(csp, 'script-src');
    const nonce = script.map((s) => /^'nonce-([A-Za-z0-9+/=]+)'$/.exec(s)?.[1]).find(Boolean);
    assert.ok(nonce && nonce.length >= 16, `script-src has a nonce: ${csp}`);
    assert.ok(script.includes(`'strict-dynamic'`));
    assert.ok(!script.includes(`'unsafe-eval'`) && !script.includes(`'unsafe-inline'`), 'production scripts: no eval, no inline without the nonce');
    assert.deepEqual(directive(csp, 'frame-ancestors'), [`'none'`]);
    assert.deepEqual(directive(csp, 'object-src'), [`'none'`]);
    assert.deepEqual(directive(csp, 'default-src'), [`'self'`]);
    assert.ok(directive(csp, 'worker-src').includes('blob:'), 'maplibre may start its worker');
    assert.ok(directive(csp, 'img-src').includes(BASEMAP) && directive(csp, 'connect-src').includes(BASEMAP), 'the BASEMAP_URL origin (read at run time) is allowed');
    assertStaticHeaders(r, 'page');
    const html = await r.text();
    const scripts = html.match(/<script\b[^>]*>/g) ?? [];
    assert.ok(scripts.length >= 2, `${scripts.length} script tags`);
    for (const tag of scripts) assert.ok(tag.includes(`nonce="${nonce}"`), `script tag without the nonce: ${tag}`);
    nonces.push(nonce);
    scriptSrc ||= /<script\b[^>]*\bsrc="([^"]+)"/.exec(html)?.[1] ?? '';
  }
  assert.notEqual(nonces[0], nonces[1], 'a fresh nonce per request');

  assert.match(scriptSrc, /^\/_next\/static\//);
  const asset = await fetch(url(scriptSrc));
  assert.equal(asset.status, 200);
  assertStaticHeaders(asset, 'static script');
  assert.equal(asset.headers.get('content-security-policy'), null, 'static files skip the proxy');
  await asset.arrayBuffer();
});

test('API answers carry the static headers too', async () => {
  const r = await fetch(url('/api/health'));
  assertStaticHeaders(r, '/api/health');
  await r.arrayBuffer();
});

test('a cross-site mutation of tRPC is refused with 403 before it reaches the router', async () => {
  const body = JSON.stringify({ 0: { json: {} } });
  const evil = await fetch(url('/api/trpc/targets.create?batch=1'), { method: 'POST', headers: { origin: 'http://evil.example', 'content-type': 'application/json' }, body });
  assert.equal(evil.status, 403);
  assert.match((await edgeRefusal(evil)).detail, /evil\.example/);

  const crossSite = await fetch(url('/api/trpc/targets.create?batch=1'), { method: 'POST', headers: { 'sec-fetch-site': 'cross-site', 'content-type': 'application/json' }, body });
  assert.equal(crossSite.status, 403);
  await edgeRefusal(crossSite);

  // the same request from the app's own origin passes the edge (tRPC answers it: bad input, or sign-in)
  const own = await fetch(url('/api/trpc/targets.create?batch=1'), { method: 'POST', headers: { origin: server!.base, 'sec-fetch-site': 'same-origin', 'content-type': 'application/json' }, body });
  const ownBody = (await own.json()) as unknown;
  assert.ok(!(typeof (ownBody as { error?: unknown }).error === 'string' && typeof (ownBody as { detail?: unknown }).detail === 'string'), `same-origin request refused by the edge: ${own.status} ${JSON.stringify(ownBody)}`);
});

test('a multipart/form-data POST to tRPC is refused with 415', async () => {
  const form = new FormData();
  form.append('title', '跨站表单');
  const r = await fetch(url('/api/trpc/targets.create'), { method: 'POST', body: form });
  assert.equal(r.status, 415);
  assert.match((await edgeRefusal(r)).detail, /multipart\/form-data/);

  const plain = await fetch(url('/api/trpc/targets.create'), { method: 'POST', headers: { 'content-type': 'text/plain' }, body: '{}' });
  assert.equal(plain.status, 415);
  await edgeRefusal(plain);
});

test('a tRPC body above 1 MB is refused with 413', async () => {
  const body = JSON.stringify({ 0: { json: { note: 'x'.repeat(1024 * 1024 + 10) } } });
  const r = await fetch(url('/api/trpc/targets.create?batch=1'), { method: 'POST', headers: { 'content-type': 'application/json' }, body });
  assert.equal(r.status, 413);
  assert.match((await edgeRefusal(r)).error, /1 MB/);
});

function multipart(bytes: number): FormData {
  const form = new FormData();
  form.append('file', new Blob([new Uint8Array(bytes).fill(65)]), 'cameras.csv');
  return form;
}

/** The session cookie of the demo analyst (uploads need the right to import). */
async function analystCookie(): Promise<string> {
  const r = await fetch(url('/api/auth/sign-in'), { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'analyst', password: DEMO.analyst }) });
  assert.equal(r.status, 200);
  return r.headers.get('set-cookie')!.split(';')[0]!;
}

test('uploads above UPLOAD_MAX_BYTES are refused with 413 naming the limit; one within it is taken', async () => {
  const cookie = await analystCookie();
  // declared: Content-Length far above the limit, refused before the body is read
  const declared = await fetch(url('/api/uploads'), { method: 'POST', headers: { cookie }, body: multipart(256 * 1024) });
  assert.equal(declared.status, 413);
  const refusal = await edgeRefusal(declared);
  assert.match(refusal.error, /4 KB/);
  assert.match(refusal.detail, /UPLOAD_MAX_BYTES/);
  assertStaticHeaders(declared, '/api/uploads');

  // within the framing allowance, but the file itself is too large
  const file = await fetch(url('/api/uploads'), { method: 'POST', headers: { cookie }, body: multipart(UPLOAD_LIMIT + 1) });
  assert.equal(file.status, 413);
  assert.match((await edgeRefusal(file)).error, /4 KB/);

  // no Content-Length (chunked): counted while it streams in
  const encoded = new Response(multipart(256 * 1024));
  const type = encoded.headers.get('content-type')!;
  const streamed = await fetch(url('/api/uploads'), { method: 'POST', headers: { 'content-type': type, cookie }, body: encoded.body, duplex: 'half' } as RequestInit);
  assert.equal(streamed.status, 413);
  assert.match((await edgeRefusal(streamed)).error, /4 KB/);

  const small = await fetch(url('/api/uploads'), { method: 'POST', headers: { cookie }, body: multipart(100) });
  assert.equal(small.status, 200);
  assert.match(((await small.json()) as { uploadId: string }).uploadId, /^[0-9a-f]{24}$/);
});

test('a cross-site upload is refused with 403', async () => {
  const r = await fetch(url('/api/uploads'), { method: 'POST', headers: { origin: 'http://evil.example' }, body: multipart(10) });
  assert.equal(r.status, 403);
  await edgeRefusal(r);
});

// A fast-check loop over HTTP for what only the web edge sees: wrong and odd content types,
// bodies past the size limit, invalid UTF-8, broken and deeply nested JSON, sent to tRPC
// mutations and to the JSON and multipart routes. In-process calls of every procedure and
// route are tests/integration/hostile-input.test.ts; this is the same over a real socket.
test('hostile bodies and content types over HTTP: never a 5xx, every refusal a Chinese sentence', { timeout: 300_000 }, async () => {
  const cookie = await analystCookie();
  const MB = 1024 * 1024;
  const body = fc.oneof(
    fc.uint8Array({ minLength: 1, maxLength: 64 }).map((b) => ({ what: 'random bytes', bytes: Uint8Array.from([0xff, 0xfe, ...b]) })),
    fc.constantFrom(
      { what: 'invalid UTF-8 in JSON', bytes: Uint8Array.from([0x7b, 0x22, 0x69, 0x64, 0x22, 0x3a, 0x22, 0xc3, 0x28, 0xed, 0xa0, 0x80, 0x22, 0x7d]) },
      { what: 'a lone surrogate escaped', bytes: new TextEncoder().encode('{"name":"\\ud800","id":1}') },
      { what: 'NUL in a string', bytes: new TextEncoder().encode('{"name":"a\\u0000b","username":"a\\u0000b","password":"x"}') },
      { what: 'truncated JSON', bytes: new TextEncoder().encode('{"name": "') },
      { what: '100,000-deep nesting', bytes: new TextEncoder().encode(`${'['.repeat(100_000)}${']'.repeat(100_000)}`) },
      { what: 'just past 1 MB', bytes: new TextEncoder().encode(JSON.stringify({ name: 'x'.repeat(MB) })) },
      { what: '3 MB', bytes: new Uint8Array(3 * MB).fill(0x20) },
      { what: 'SQL in every field', bytes: new TextEncoder().encode(JSON.stringify({ id: "1 OR 1=1", name: "'; DROP TABLE incidents; --", username: "admin' --", password: '$$' })) },
      { what: 'empty', bytes: new Uint8Array(0) },
    ),
  );
  const type = fc.constantFrom('application/json', 'APPLICATION/JSON; charset=gbk', 'text/plain', 'multipart/form-data; boundary=x', 'multipart/form-data', 'application/x-www-form-urlencoded', 'application/xml', 'application/octet-stream', '');
  const target = fc.constantFrom('/api/trpc/admin.revokeDisplay', '/api/trpc/coverage.addCandidate', '/api/trpc/auth.changePassword', '/api/trpc/targets.setStatus', '/api/auth/sign-in', '/api/uploads');
  const requests = fc.sample(fc.record({ target, type, body, signedIn: fc.boolean() }), { seed: 20_260_512, numRuns: 40 });
  const problems: string[] = [];
  const statuses = new Map<number, number>();
  for (const r of requests) {
    const headers: Record<string, string> = r.type ? { 'content-type': r.type } : {};
    if (r.signedIn) headers.cookie = cookie;
    const res = await fetch(url(r.target), { method: 'POST', headers, body: r.body.bytes });
    statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
    const text = await res.text();
    const where = `POST ${r.target} (${r.type || 'no Content-Type'}, ${r.body.what}, ${r.signedIn ? 'signed in' : 'anonymous'})`;
    if (res.status >= 500) problems.push(`${where}: ${res.status} ${text.slice(0, 200)}`);
    else if (res.status >= 400) {
      let sentence = text;
      try {
        const j = JSON.parse(text) as { error?: string | { message?: string } };
        sentence = typeof j.error === 'string' ? j.error : (j.error?.message ?? text);
      } catch {
        // plain text
      }
      if (!/[\u4e00-\u9fa5]/.test(sentence) || sentence.includes('{"')) problems.push(`${where}: ${res.status} without a Chinese sentence: ${sentence.slice(0, 200)}`);
    }
  }
  console.log(`web edge: ${requests.length} hostile HTTP requests, statuses ${[...statuses].sort().map(([s, n]) => `${s}×${n}`).join(', ')}`);
  assert.deepEqual(problems, []);
});
