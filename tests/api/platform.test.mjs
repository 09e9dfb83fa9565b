// The HTTP platform seen from outside: health, limits, headers, errors,
// metrics and a clean stop on SIGTERM — on both databases.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { startServer, dialects, Client } from './lib/harness.mjs';

// Sends raw bytes and collects the answer until the server closes or
// `waitMs` passes.
function rawExchange(base, payload, waitMs = 15000) {
  const { hostname, port } = new URL(base);
  return new Promise((resolve) => {
    const socket = net.connect(Number(port), hostname);
    let data = '';
    const done = () => { socket.destroy(); resolve(data); };
    socket.setTimeout(waitMs, done);
    socket.on('data', (d) => { data += d; });
    socket.on('close', done);
    socket.on('error', done);
    socket.write(payload);
  });
}

for (const dialect of dialects()) {
  describe(`platform on ${dialect}`, () => {
    let server;
    before(async () => { server = await startServer(dialect, { demo: false }); });
    after(async () => { await server?.stop(); });

    it('answers /healthz, /readyz and /metrics', async () => {
      const c = new Client(server.base);
      assert.equal((await c.get('/healthz')).status, 200);
      assert.equal((await c.get('/readyz')).status, 200);
      const metrics = await c.get('/metrics');
      assert.equal(metrics.status, 200);
      assert.match(metrics.text, /xf_http_requests_total\{/);
      assert.match(metrics.text, /xf_db_pool_connections/);
    });

    it('sets security headers and echoes a request id', async () => {
      const res = await new Client(server.base).get('/api/v1/units', { headers: { 'X-Request-Id': 'abc-123' } });
      const csp = res.headers.get('content-security-policy');
      for (const directive of ["object-src 'none'", "base-uri 'none'", "frame-ancestors 'none'"]) assert.ok(csp.includes(directive), directive);
      assert.equal(res.headers.get('x-content-type-options'), 'nosniff');
      assert.ok(res.headers.get('referrer-policy'));
      assert.equal(res.headers.get('x-request-id'), 'abc-123');
      const generated = await new Client(server.base).get('/healthz');
      assert.match(generated.headers.get('x-request-id'), /^[0-9a-f]{16,}$/);
    });

    it('answers errors as {"error":{code,message,fields}} in the request language', async () => {
      const zh = await new Client(server.base).get('/api/v1/units/no-such-unit');
      assert.equal(zh.status, 404);
      assert.equal(zh.data.error.code, 'not_found');
      assert.match(zh.data.error.message, /[\u4e00-\u9fff]/);
      const en = await new Client(server.base, { lang: 'en-US,en;q=0.9' }).get('/api/v1/units/no-such-unit');
      assert.match(en.data.error.message, /^[\x20-\x7e]+$/);
    });

    it('refuses an oversized body with 413 before reading it', async () => {
      const answer = await rawExchange(server.base,
        'POST /api/v1/session HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 5000000\r\n\r\n{', 5000);
      assert.match(answer, /^HTTP\/1\.1 413/);
    });

    it('refuses a 20 KiB header with 431 and a 9 KiB URI with 414', async () => {
      const big = await rawExchange(server.base, `GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20480)}\r\n\r\n`, 5000);
      assert.match(big, /^HTTP\/1\.1 431/);
      const long = await rawExchange(server.base, `GET /${'a'.repeat(9216)} HTTP/1.1\r\nHost: x\r\n\r\n`, 5000);
      assert.match(long, /^HTTP\/1\.1 414/);
    });

    it('answers 408 and closes when a header never finishes', async () => {
      const started = Date.now();
      const answer = await rawExchange(server.base, 'GET /healthz HTTP/1.1\r\nHost: x\r\n', 20000);
      assert.match(answer, /^HTTP\/1\.1 408/);
      assert.ok(Date.now() - started < 19000, 'closed by the server, not by the test');
    });

    it('serves the web app with the index for client-side routes', async () => {
      const res = await new Client(server.base).get('/u/some-unit');
      assert.equal(res.status, 200);
      assert.match(res.headers.get('content-type'), /text\/html/);
      assert.match(res.text, /<div id="app"/);
    });
  });
}

describe('stopping', () => {
  it('exits 0 on SIGTERM', async () => {
    const server = await startServer('sqlite', { demo: false });
    const { code } = await server.stop();
    assert.equal(code, 0);
  });
});
