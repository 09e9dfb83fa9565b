// Open311 GeoReport v2 over HTTP on both databases, in JSON and XML: the
// service list and definitions, the specification's example POST
// (form-encoded, with an api_key of a registered application), the list with
// its filters, one request, tokens and the error bodies.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, dialects, Client, ADMIN_PASSWORD } from './lib/harness.mjs';

// The specification's example request body, with our service and unit.
function examplePost(apiKey, jurisdiction, unit) {
  return `api_key=${apiKey}&jurisdiction_id=${jurisdiction}&service_code=rural-lighting&lat=37.76524078&long=-122.4212043`
    + '&address_string=1234+5th+street&email=smit333%40sfgov.edu&device_id=tt222111&account_id=123456'
    + '&first_name=john&last_name=smith&phone=111111111&description=A+large+sinkhole+is+destroying+the+street'
    + '&media_url=http%3A%2F%2Ffarm3.static.flickr.com%2F2002%2F2212426634_5ed477a060.jpg'
    + `&attribute[unit_code]=${unit}`;
}

const xmlValue = (xml, tag) => xml.match(new RegExp(`<${tag}>([^<]*)</${tag}>`))?.[1];

for (const dialect of dialects()) {
  describe(`open311 on ${dialect}`, () => {
    let server;
    let apiKey;
    let village;
    const county = () => server.logins.county.unit;
    const get = (path) => fetch(server.base + path);
    const post = (path, body, type = 'application/x-www-form-urlencoded; charset=utf-8') =>
      fetch(server.base + path, { method: 'POST', headers: { 'Content-Type': type }, body });

    before(async () => {
      server = await startServer(dialect);
      const admin = new Client(server.base);
      await admin.login('admin', ADMIN_PASSWORD);
      const app = await admin.post('/api/v1/admin/open311-apps', { name: '随手拍' });
      assert.equal(app.status, 201, app.text);
      apiKey = app.data.api_key;
      village = server.logins.secretary.unit;
    });
    after(async () => { await server?.stop(); });

    it('lists services and a service definition in both formats', async () => {
      const json = await get('/open311/v2/services.json');
      assert.equal(json.status, 200);
      assert.match(json.headers.get('content-type'), /^application\/json/);
      const services = await json.json();
      // The fields, in the order of the specification's example.
      assert.deepEqual(Object.keys(services[0]), ['service_code', 'service_name', 'description', 'metadata', 'type', 'keywords', 'group']);
      const xml = await (await get('/open311/v2/services.xml')).text();
      assert.ok(xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>'));
      assert.equal(xmlValue(xml, 'service_code'), services[0].service_code);
      const def = await (await get('/open311/v2/services/rural-lighting.json')).json();
      assert.equal(def.service_code, 'rural-lighting');
      assert.equal(def.attributes[0].code, 'unit_code');
      const defXml = await (await get('/open311/v2/services/rural-lighting.xml')).text();
      assert.match(defXml, /<service_definition><service_code>rural-lighting<\/service_code><attributes><attribute><variable>true<\/variable>/);
      const missing = await get('/open311/v2/services/033.xml');
      assert.equal(missing.status, 404);
      assert.match(await missing.text(), /<errors><error><code>404<\/code><description>[^<]+<\/description><\/error><\/errors>/);
    });

    it('takes the specification example POST and finds it again by id, token and list', async () => {
      const created = await post('/open311/v2/requests.json', examplePost(apiKey, county(), village));
      assert.equal(created.status, 201, await created.clone().text());
      const [answer] = await created.json();
      assert.match(answer.service_request_id, /^\d+$/);
      assert.equal(answer.account_id, null);

      const asXml = await post('/open311/v2/requests.xml', examplePost(apiKey, county(), village));
      assert.equal(asXml.status, 201);
      const xmlId = xmlValue(await asXml.text(), 'service_request_id');
      assert.match(xmlId, /^\d+$/);

      const [one] = await (await get(`/open311/v2/requests/${answer.service_request_id}.json`)).json();
      assert.equal(one.status, 'open');
      assert.equal(one.service_code, 'rural-lighting');
      assert.equal(one.description, 'A large sinkhole is destroying the street');
      assert.match(one.requested_datetime, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+08:00$/);
      assert.ok(!JSON.stringify(one).includes('smit333'), 'contact details are never public');
      const oneXml = await (await get(`/open311/v2/requests/${xmlId}.xml`)).text();
      assert.equal(xmlValue(oneXml, 'status'), 'open');

      const [byToken] = await (await get(`/open311/v2/tokens/${answer.token}.json`)).json();
      assert.equal(byToken.service_request_id, answer.service_request_id);

      const listed = await (await get(`/open311/v2/requests.json?service_request_id=${answer.service_request_id},${xmlId}`)).json();
      assert.deepEqual(listed.map((r) => r.service_request_id).sort(), [answer.service_request_id, xmlId].sort());
      const open = await (await get('/open311/v2/requests.json?status=open&service_code=rural-lighting')).json();
      assert.ok(open.length >= 2 && open.length <= 1000);
      assert.ok(open.every((r) => r.status === 'open' && r.service_code === 'rural-lighting'));
      const closedXml = await (await get('/open311/v2/requests.xml?status=closed')).text();
      assert.match(closedXml, /<service_requests><request><service_request_id>\d+<\/service_request_id><status>closed<\/status>/);
      assert.equal(closedXml.includes('<status>open</status>'), false);
    });

    it('answers errors with the specification error body', async () => {
      const noKey = await post('/open311/v2/requests.json', examplePost('', county(), village).replace(/^api_key=&/, ''));
      assert.equal(noKey.status, 403);
      const [error] = await noKey.json();
      assert.equal(error.code, 403);
      assert.equal(typeof error.description, 'string');
      const badKey = await post('/open311/v2/requests.xml', examplePost('wrong', county(), village));
      assert.equal(badKey.status, 403);
      assert.match(await badKey.text(), /<code>403<\/code>/);
      const asJson = await post('/open311/v2/requests.json', '{}', 'application/json');
      assert.equal(asJson.status, 400);
      const wrongJurisdiction = await get('/open311/v2/requests.json?jurisdiction_id=city.gov');
      assert.equal(wrongJurisdiction.status, 404);
      const tooLong = await get('/open311/v2/requests.json?start_date=2010-01-01T00:00:00Z&end_date=2010-06-01T00:00:00Z');
      assert.equal(tooLong.status, 400);
      const badDate = await get('/open311/v2/requests.xml?start_date=2010-05-24');
      assert.equal(badDate.status, 400);
      assert.equal((await get('/open311/v2/requests/999.json')).status, 404);
    });
  });
}
