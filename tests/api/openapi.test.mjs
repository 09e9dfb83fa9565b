// Keeps docs/api/openapi.yaml honest: every route the C++ code registers is
// documented and every documented route is registered, and real GET answers
// have exactly the keys the document promises.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startServer, Client, ADMIN_PASSWORD } from './lib/harness.mjs';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
// No YAML parser in node core; `yaml` is a devDependency of web/.
const YAML = createRequire(import.meta.url)(join(ROOT, 'web', 'node_modules', 'yaml'));
const doc = YAML.parse(readFileSync(join(ROOT, 'docs', 'api', 'openapi.yaml'), 'utf8'));

const SOURCE_DIRS = ['platform', 'features', 'app'];
// The static web app's catch-all; OpenAPI has no multi-segment path
// parameter, so the document describes it in info.description instead.
const STATIC_CATCH_ALL = '/{rest*}';
const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];
const ROUTER_METHODS = { get: 'get', post: 'post', patch: 'patch', put: 'put', del: 'delete' };

// --- Reading the registrations out of the C++ sources -------------------

function* cppSources(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* cppSources(path);
    else if (/\.(cpp|h)$/.test(entry.name) && !/(^test_|_test[._])/.test(entry.name)) yield path;
  }
}

// Skips a string or character literal starting at text[i]; returns the
// index after it.
function skipLiteral(text, i) {
  const quote = text[i];
  for (i += 1; i < text.length && text[i] !== quote; i += 1) if (text[i] === '\\') i += 1;
  return i + 1;
}

// Blanks out comments (keeping line breaks, so line numbers stay right), so a
// commented-out registration is not taken for a route.
function withoutComments(text) {
  let out = '';
  for (let i = 0; i < text.length;) {
    if (text[i] === '"' || text[i] === "'") {
      const end = skipLiteral(text, i);
      out += text.slice(i, end);
      i = end;
    } else if (text.startsWith('//', i)) {
      const end = text.indexOf('\n', i);
      i = end < 0 ? text.length : end;
    } else if (text.startsWith('/*', i)) {
      const end = text.indexOf('*/', i + 2);
      const comment = text.slice(i, end < 0 ? text.length : end + 2);
      out += comment.replace(/[^\n]/g, ' ');
      i += comment.length;
    } else {
      out += text[i];
      i += 1;
    }
  }
  return out;
}

// The first `count` top-level arguments of the call whose '(' precedes `start`.
function callArguments(text, start, count) {
  const args = [];
  let depth = 0;
  let from = start;
  for (let i = start; i < text.length && args.length < count;) {
    const c = text[i];
    if (c === '"' || c === "'") { i = skipLiteral(text, i); continue; }
    if ('([{'.includes(c)) depth += 1;
    else if (')]}'.includes(c)) {
      if (depth === 0) { args.push(text.slice(from, i)); break; }
      depth -= 1;
    } else if (c === ',' && depth === 0) {
      args.push(text.slice(from, i));
      from = i + 1;
    }
    i += 1;
  }
  return args.map((a) => a.trim());
}

// Every `router.<method>(pattern, …)` and `router.add(Method::X, pattern, …)`
// as "METHOD /path", with the place it was found. A pattern that is not a
// string literal (or a choice between literals) cannot be read, and is
// reported rather than skipped.
function registeredRoutes() {
  const routes = new Map();
  const unreadable = [];
  for (const dir of SOURCE_DIRS) {
    for (const file of cppSources(join(ROOT, dir))) {
      const text = withoutComments(readFileSync(file, 'utf8'));
      for (const call of text.matchAll(/\brouter\s*\.\s*(get|post|patch|put|del|add)\s*\(/g)) {
        const at = `${relative(ROOT, file)}:${text.slice(0, call.index).split('\n').length}`;
        const isAdd = call[1] === 'add';
        const args = callArguments(text, call.index + call[0].length, isAdd ? 2 : 1);
        const method = isAdd
          ? /Method::(\w+)/.exec(args[0] ?? '')?.[1]?.replace(/_$/, '').toLowerCase()
          : ROUTER_METHODS[call[1]];
        const patterns = [...(args.at(-1) ?? '').matchAll(/"((?:[^"\\]|\\.)*)"/g)].map((m) => m[1]);
        if (!method || !patterns.length || patterns.some((p) => !p.startsWith('/'))) {
          unreadable.push(`${at}: ${call[0]}${args.join(', ')}`);
          continue;
        }
        for (const pattern of patterns) {
          if (pattern !== STATIC_CATCH_ALL) routes.set(`${method.toUpperCase()} ${pattern}`, at);
        }
      }
    }
  }
  return { routes, unreadable };
}

function documentedRoutes() {
  const routes = new Set();
  for (const [path, item] of Object.entries(doc.paths ?? {}))
    for (const method of HTTP_METHODS) if (item[method]) routes.add(`${method.toUpperCase()} ${path}`);
  return routes;
}

// --- A small schema checker for the answers ------------------------------

function deref(ref) {
  assert.ok(ref.startsWith('#/'), `only local $refs are used: ${ref}`);
  const target = ref.slice(2).split('/').reduce((node, key) => node?.[key], doc);
  assert.ok(target, `$ref ${ref} resolves`);
  return target;
}

// Resolves $ref and flattens allOf into one object schema.
function resolve(schema) {
  if (schema.$ref) return resolve(deref(schema.$ref));
  if (!schema.allOf) return schema;
  const parts = schema.allOf.map(resolve);
  return {
    type: 'object',
    required: parts.flatMap((p) => p.required ?? []),
    properties: Object.assign({}, ...parts.map((p) => p.properties ?? {})),
  };
}

function hasType(value, type) {
  switch (type) {
    case 'null': return value === null;
    case 'integer': return Number.isInteger(value);
    case 'number': return typeof value === 'number';
    case 'array': return Array.isArray(value);
    case 'object': return value !== null && typeof value === 'object' && !Array.isArray(value);
    default: return typeof value === type;
  }
}

const FORMATS = {
  'date-time': /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/,
  date: /^\d{4}-\d{2}-\d{2}$/,
};

// Collects every way `value` differs from `schema`. An answer key that the
// document does not name counts too: that is a document falling behind.
function mismatches(schema, value, where = '$') {
  const s = resolve(schema);
  if (s.oneOf) {
    const each = s.oneOf.map((alternative) => mismatches(alternative, value, where));
    const fits = each.filter((found) => !found.length).length;
    return fits === 1 ? [] : [`${where}: fits ${fits} of the oneOf alternatives`, ...each.flat()];
  }
  const types = s.type === undefined ? [] : [].concat(s.type);
  if (types.length && !types.some((t) => hasType(value, t)))
    return [`${where}: ${JSON.stringify(value)} is not ${types.join('|')}`];
  const found = [];
  if (s.const !== undefined && value !== s.const) found.push(`${where}: not ${s.const}`);
  if (s.enum && !s.enum.includes(value)) found.push(`${where}: ${value} not in [${s.enum}]`);
  if (typeof value === 'string') {
    if (FORMATS[s.format] && !FORMATS[s.format].test(value)) found.push(`${where}: ${value} is not a ${s.format}`);
    if (s.pattern && !new RegExp(s.pattern, 'u').test(value)) found.push(`${where}: ${value} !~ ${s.pattern}`);
  }
  if (hasType(value, 'object') && s.properties) {
    for (const key of s.required ?? []) if (!(key in value)) found.push(`${where}.${key}: missing`);
    for (const [key, item] of Object.entries(value)) {
      if (s.properties[key]) found.push(...mismatches(s.properties[key], item, `${where}.${key}`));
      else found.push(`${where}.${key}: not in the document`);
    }
  }
  if (Array.isArray(value) && s.items) value.forEach((item, i) => found.push(...mismatches(s.items, item, `${where}[${i}]`)));
  return found;
}

function allRefs(node, out = []) {
  if (Array.isArray(node)) node.forEach((n) => allRefs(n, out));
  else if (node && typeof node === 'object')
    for (const [key, value] of Object.entries(node)) key === '$ref' ? out.push(value) : allRefs(value, out);
  return out;
}

// --- The checks ----------------------------------------------------------

describe('docs/api/openapi.yaml', () => {
  it('is OpenAPI 3.1 and every $ref resolves', () => {
    assert.match(String(doc.openapi), /^3\.1\./);
    for (const ref of allRefs(doc)) deref(ref);
  });

  it('documents every route the code registers, and no other', () => {
    const { routes, unreadable } = registeredRoutes();
    assert.deepEqual(unreadable, [], 'registrations whose method or path cannot be read');
    assert.ok(routes.size > 0, 'found the registrations');
    const documented = documentedRoutes();
    const undocumented = [...routes].filter(([route]) => !documented.has(route)).map(([route, at]) => `${route}  (${at})`);
    const unregistered = [...documented].filter((route) => !routes.has(route));
    assert.deepEqual({ undocumented, unregistered }, { undocumented: [], unregistered: [] },
      'undocumented: registered in the code, missing from the document; unregistered: the reverse');
  });

  it('declares every path parameter, a tag, and responses for each operation', () => {
    for (const [path, item] of Object.entries(doc.paths)) {
      for (const method of HTTP_METHODS.filter((m) => item[m])) {
        const op = item[method];
        const where = `${method.toUpperCase()} ${path}`;
        const params = [...(item.parameters ?? []), ...(op.parameters ?? [])].map(resolve);
        for (const [, name] of path.matchAll(/\{(\w+)\}/g))
          assert.ok(params.some((p) => p.in === 'path' && p.name === name && p.required), `${where}: path parameter ${name}`);
        assert.ok(op.tags?.length, `${where}: a tag`);
        assert.ok(Object.keys(op.responses ?? {}).length, `${where}: responses`);
        assert.ok(Array.isArray(op.security), `${where}: says who may call it (security)`);
      }
    }
  });
});

describe('answers match the document', () => {
  let server;
  let admin;
  let anonymous;
  let unitCode;
  // Objects the demo made, for the probes that need their ids.
  let campaignId;
  let commitment;

  before(async () => {
    server = await startServer('sqlite');
    anonymous = new Client(server.base);
    admin = new Client(server.base);
    assert.equal((await admin.login('admin', ADMIN_PASSWORD)).status, 200);
    unitCode = (await anonymous.get('/api/v1/units')).data.items[0].code;
    campaignId = (await anonymous.get('/api/v1/campaigns')).data.items[0]?.id;
    commitment = (await admin.get(`/api/v1/admin/commitments?unit=${unitCode}&subtree=1&status=published&page_size=1`))
      .data.items?.[0];
    assert.ok(campaignId && commitment, 'the demo has a campaign and a published commitment');
  });
  after(async () => { await server?.stop(); });

  // [documented path, client, expected status, query, path parameters]
  const probes = () => [
    ['/healthz', anonymous, 200],
    ['/readyz', anonymous, 200],
    ['/api/v1/fields', anonymous, 200],
    ['/api/v1/units', anonymous, 200],
    ['/api/v1/units/{code}', anonymous, 200],
    ['/api/v1/audit', anonymous, 200],
    ['/api/v1/session', admin, 200],
    ['/api/v1/session', anonymous, 401],
    ['/api/v1/admin/units', admin, 200],
    ['/api/v1/admin/units', anonymous, 401],
    ['/api/v1/admin/units/search', admin, 200, '?q=qh'],
    ['/api/v1/admin/units/{code}', admin, 200],
    ['/api/v1/admin/units/{code}/members', admin, 200, '?subtree=1&page_size=5'],
    ['/api/v1/admin/users', admin, 200],
    ['/api/v1/admin/audit', admin, 200, '?limit=20'],
    ['/api/v1/campaigns', anonymous, 200],
    ['/api/v1/campaigns/{id}', anonymous, 200, '', { id: campaignId }],
    ['/api/v1/campaigns/{id}/commitment-weights', anonymous, 200, '', { id: campaignId }],
    ['/api/v1/units/{code}/requests', anonymous, 200, '?page_size=5'],
    ['/api/v1/units/{code}/request-figures', anonymous, 200],
    ['/api/v1/admin/commitments', admin, 200, `?unit=${unitCode}&subtree=1&page_size=5`],
    ['/api/v1/admin/commitments', anonymous, 401],
    ['/api/v1/admin/commitments/{id}', admin, 200, '', { id: commitment.id }],
    ['/api/v1/commitments/{id}', anonymous, 200, '', { id: commitment.id }],
    ['/api/v1/commitments/{id}/history', anonymous, 200, '', { id: commitment.id }],
    ['/api/v1/units/{code}/board', anonymous, 200, '', { code: commitment.unit.code }],
    ['/api/v1/units/{code}/bulletins', anonymous, 200],
    ['/api/v1/admin/bulletins', admin, 200, `?unit=${unitCode}`],
  ];

  it('GET answers have the status, media type and keys the document promises', async () => {
    const problems = [];
    for (const [template, client, status, query = '', params = {}] of probes()) {
      const values = { code: unitCode, ...params };
      const path = template.replace(/\{(\w+)\}/g, (_, name) => values[name]);
      const res = await client.get(path + query);
      const where = `GET ${path + query} as ${client === admin ? 'admin' : 'anonymous'}`;
      if (res.status !== status) { problems.push(`${where}: ${res.status}, expected ${status}`); continue; }
      const documented = doc.paths[template]?.get?.responses?.[String(status)];
      if (!documented) { problems.push(`${where}: ${status} is not documented`); continue; }
      const schema = resolve(documented).content?.['application/json']?.schema;
      if (!schema) { problems.push(`${where}: no JSON schema documented for ${status}`); continue; }
      assert.match(res.headers.get('content-type'), /^application\/json/, where);
      problems.push(...mismatches(schema, res.data, where));
    }
    assert.deepEqual(problems, []);
  });

  it('a missing unit answers the documented 404 with the shared error body', async () => {
    const res = await anonymous.get('/api/v1/units/no-such-unit');
    assert.equal(res.status, 404);
    const schema = resolve(doc.paths['/api/v1/units/{code}'].get.responses['404']).content['application/json'].schema;
    assert.deepEqual(mismatches(schema, res.data), []);
    assert.equal(res.data.error.code, 'not_found');
  });

  it('the checker itself notices a missing key, an extra key and a wrong type', () => {
    const schema = { $ref: '#/components/schemas/Field' };
    assert.deepEqual(mismatches(schema, { code: 'rural', name_zh: '农村', name_en: 'Rural' }), []);
    assert.equal(mismatches(schema, { code: 'rural', name_zh: '农村' }).length, 1);
    assert.equal(mismatches(schema, { code: 'rural', name_zh: '农村', name_en: 'Rural', extra: 1 }).length, 1);
    assert.equal(mismatches(schema, { code: 1, name_zh: '农村', name_en: 'Rural' }).length, 1);
    const nullableUnit = { oneOf: [{ $ref: '#/components/schemas/UnitRef' }, { type: 'null' }] };
    assert.deepEqual(mismatches(nullableUnit, null), []);
    assert.deepEqual(mismatches(nullableUnit, { code: 'qinghe', name: '清河' }), []);
    assert.notDeepEqual(mismatches(nullableUnit, { code: 'qinghe' }), []);
  });
});
