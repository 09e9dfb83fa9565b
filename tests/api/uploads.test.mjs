// Uploads over HTTP: type by content, size limit (413), unit quota (409),
// nothing left behind on refusal, thumbnails, download headers, the
// anonymous rate limit and the subtree scope — on both databases.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deflateSync } from 'node:zlib';
import { startServer, dialects, Client, ADMIN_PASSWORD, DEMO_PASSWORD } from './lib/harness.mjs';

const MAX_BYTES = 100_000;
const QUOTA_BYTES = 300_000;

function crc32(bytes) {
  let crc = ~0;
  for (const b of bytes) {
    crc ^= b;
    for (let k = 0; k < 8; k++) crc = (crc >>> 1) ^ (0xedb88320 & -(crc & 1));
  }
  return ~crc >>> 0;
}

function chunk(type, data) {
  const out = Buffer.alloc(12 + data.length);
  out.writeUInt32BE(data.length, 0);
  out.write(type, 4, 'ascii');
  data.copy(out, 8);
  out.writeUInt32BE(crc32(out.subarray(4, 8 + data.length)), 8 + data.length);
  return out;
}

// A grey RGB PNG of width × height.
function png(width, height) {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([8, 2, 0, 0, 0], 8);
  const row = Buffer.alloc(1 + width * 3, 128);
  row[0] = 0;
  const raw = Buffer.concat(Array.from({ length: height }, () => row));
  return Buffer.concat([Buffer.from('89504e470d0a1a0a', 'hex'), chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw)), chunk('IEND', Buffer.alloc(0))]);
}

function pdf(size) {
  return Buffer.concat([Buffer.from('%PDF-1.4\n'), Buffer.alloc(size - 9, 0x20)]);
}

function files(dir) {
  const out = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...files(path));
    else out.push(path);
  }
  return out.sort();
}

function upload(client, unit, purpose, name, bytes, contentType = 'application/octet-stream') {
  return client.request('POST', `/api/v1/uploads?unit=${encodeURIComponent(unit)}&purpose=${purpose}`, {
    body: bytes, headers: { 'Content-Type': contentType, 'X-Filename': encodeURIComponent(name) },
  });
}

for (const dialect of dialects()) {
  describe(`uploads on ${dialect}`, () => {
    let server;
    let uploadsDir;
    let secretary;
    let county;
    let branch;
    let otherBranch;
    before(async () => {
      uploadsDir = mkdtempSync(join(tmpdir(), 'xf-uploads-'));
      server = await startServer(dialect, { extraArgs: ['--uploads', uploadsDir,
        '--upload-max-bytes', String(MAX_BYTES), '--upload-quota-bytes', String(QUOTA_BYTES)] });
      secretary = new Client(server.base);
      await secretary.login('secretary', DEMO_PASSWORD);
      county = new Client(server.base);
      await county.login('county', DEMO_PASSWORD);
      const admin = new Client(server.base);
      await admin.login('admin', ADMIN_PASSWORD);
      branch = server.logins.secretary.unit;
      const own = await admin.get(`/api/v1/admin/units/${branch}`);
      const siblings = await admin.get(`/api/v1/admin/units?parent=${own.data.parent_chain.at(-1).code}`);
      otherBranch = siblings.data.items.find((u) => u.code !== branch).code;
    });
    after(async () => {
      await server?.stop();
      rmSync(uploadsDir, { recursive: true, force: true });
    });

    it('stores a PNG named .pdf as a PNG and serves it with safe headers and a thumbnail', async () => {
      const res = await upload(secretary, branch, 'commitment_evidence', '整改前 照片.pdf', png(640, 480), 'application/pdf');
      assert.equal(res.status, 201, res.text);
      assert.equal(res.data.content_type, 'image/png');
      assert.equal(res.data.filename, '整改前 照片.pdf');
      assert.equal(res.data.width, 640);
      assert.equal(res.data.height, 480);
      assert.match(res.data.sha256, /^[0-9a-f]{64}$/);
      assert.equal(typeof res.data.id, 'string');

      const file = await county.get(res.data.url);
      assert.equal(file.status, 200);
      assert.equal(file.headers.get('content-type'), 'image/png');
      assert.equal(file.headers.get('x-content-type-options'), 'nosniff');
      assert.equal(file.headers.get('etag'), `"${res.data.sha256}"`);
      assert.match(file.headers.get('content-disposition'),
        /^inline; filename="[^"]*"; filename\*=UTF-8''%E6%95%B4%E6%94%B9%E5%89%8D%20%E7%85%A7%E7%89%87\.pdf$/);
      const again = await county.get(res.data.url, { headers: { 'If-None-Match': file.headers.get('etag') } });
      assert.equal(again.status, 304);

      const thumb = await county.request('GET', res.data.thumbnail_url);
      assert.equal(thumb.status, 200);
      assert.equal(thumb.headers.get('content-type'), 'image/jpeg');
      // Anonymous visitors see nothing until a feature makes the file public.
      assert.equal((await new Client(server.base).get(res.data.url)).status, 404);
    });

    it('refuses a text file named .jpg on field "file" in both languages and leaves nothing', async () => {
      const before = files(uploadsDir);
      const zh = await upload(secretary, branch, 'commitment_evidence', 'photo.jpg', Buffer.from('not an image'), 'image/jpeg');
      assert.equal(zh.status, 400);
      assert.equal(zh.data.error.fields[0].field, 'file');
      assert.match(zh.data.error.fields[0].message, /JPEG/);
      // A signed-in account speaks its saved language; an anonymous resident the browser's.
      const resident = new Client(server.base, { lang: 'en' });
      const en = await upload(resident, otherBranch, 'request_photo', 'photo.jpg', Buffer.from('not an image'), 'image/jpeg');
      assert.equal(en.status, 400);
      assert.match(en.data.error.fields[0].message, /Only JPEG, PNG or WebP images and PDF files/);
      assert.deepEqual(files(uploadsDir), before);
    });

    it('answers 413 for a file over the size limit', async () => {
      const before = files(uploadsDir);
      const res = await upload(secretary, branch, 'commitment_evidence', 'big.pdf', pdf(MAX_BYTES + 1));
      assert.equal(res.status, 413);
      assert.deepEqual(files(uploadsDir), before);
    });

    it('keeps a secretary to their own branch and needs a login for evidence', async () => {
      const elsewhere = await upload(secretary, otherBranch, 'commitment_evidence', 'a.pdf', pdf(100));
      assert.equal(elsewhere.status, 404);
      const anonymous = await upload(new Client(server.base), branch, 'commitment_evidence', 'a.pdf', pdf(100));
      assert.equal(anonymous.status, 401);
      const unknown = await upload(secretary, branch, 'holiday_snaps', 'a.pdf', pdf(100));
      assert.equal(unknown.status, 400);
      assert.equal(unknown.data.error.fields[0].field, 'purpose');
    });

    it('lets residents without an account upload problem photos, 20 an hour per address', async () => {
      const resident = new Client(server.base);
      const photo = png(16, 16);
      // The refused attempt from this address above counts too: 19 more fit.
      for (let i = 0; i < 19; i++) {
        const res = await upload(resident, otherBranch, 'request_photo', `p${i}.png`, photo, 'image/png');
        assert.equal(res.status, 201, res.text);
      }
      const limited = await upload(resident, otherBranch, 'request_photo', 'p.png', photo, 'image/png');
      assert.equal(limited.status, 429);
      assert.ok(Number(limited.headers.get('retry-after')) > 0);
    });

    it('refuses the file that would pass the unit quota with 409 and leaves nothing', async () => {
      // A new branch, so that nothing counts yet (the demo's evidence photos
      // count towards the demo branches' quotas): three of 90 000 bytes fit in 300 000.
      const fresh = await county.post('/api/v1/admin/units', { code: 'quota-test', name: '配额测试支部', kind: 'branch', field: 'rural', parent_code: server.logins.county.unit });
      assert.equal(fresh.status, 201, fresh.text);
      for (let i = 0; i < 3; i++)
        assert.equal((await upload(county, 'quota-test', 'commitment_evidence', `plan${i}.pdf`, pdf(90_000))).status, 201);
      const before = files(uploadsDir);
      const refused = await upload(county, 'quota-test', 'commitment_evidence', 'more.pdf', pdf(90_000));
      assert.equal(refused?.status, 409);
      assert.match(refused.data.error.message, /上传空间已满/);
      assert.deepEqual(files(uploadsDir), before);
    });
  });
}
