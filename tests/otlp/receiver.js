// A strict OTLP/HTTP trace receiver for tests. POST /v1/traces takes application/json (gzip allowed),
// decodes it with the official OpenTelemetry protobuf definitions and accepts it only if it survives an
// encode/decode round trip unchanged (so unknown keys, wrong types or enum names are rejected: 400).
// GET /spans returns every accepted span with its resource; GET /rejected the rejections;
// POST /status {"status": 503, "delayMs": 0} makes /v1/traces answer that status (after that delay) until
// set back.
// Usage: node receiver.js PORT
'use strict';
const http = require('http');
const zlib = require('zlib');
const root = require('@opentelemetry/otlp-transformer/build/src/generated/root');

const Request = root.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
const ID_FIELDS = new Set(['traceId', 'spanId', 'parentSpanId']);
let status = 200;
let delayMs = 0;
const spans = [];
const rejected = [];

// OTLP JSON ids are hex; protobufjs wants bytes.
function idsToBytes(value, key) {
  if (Array.isArray(value)) return value.map((v) => idsToBytes(v, key));
  if (value && typeof value === 'object') {
    const out = {};
    for (const [k, v] of Object.entries(value)) {
      if (ID_FIELDS.has(k)) {
        if (typeof v !== 'string' || !/^([0-9a-f]{2})*$/.test(v)) throw new Error(`${k} is not lowercase hex: ${v}`);
        out[k] = Buffer.from(v, 'hex');
      } else {
        out[k] = idsToBytes(v, k);
      }
    }
    return out;
  }
  return value;
}

function bytesToIds(value) {
  if (Array.isArray(value)) return value.map(bytesToIds);
  if (value && typeof value === 'object') {
    const out = {};
    for (const [k, v] of Object.entries(value)) {
      out[k] = ID_FIELDS.has(k) ? Buffer.from(v, 'base64').toString('hex') : bytesToIds(v);
    }
    return out;
  }
  return value;
}

function canonical(value) {
  if (Array.isArray(value)) return value.map(canonical);
  if (value && typeof value === 'object') {
    return Object.keys(value).sort().reduce((o, k) => ((o[k] = canonical(value[k])), o), {});
  }
  return value;
}

function validate(json) {
  const decoded = Request.decode(Request.encode(Request.fromObject(idsToBytes(json))).finish());
  const back = bytesToIds(Request.toObject(decoded, { longs: String, enums: Number, bytes: String }));
  const a = JSON.stringify(canonical(json));
  const b = JSON.stringify(canonical(back));
  if (a !== b) throw new Error(`not a faithful OTLP JSON encoding:\n sent ${a}\n read ${b}`);
  for (const rs of json.resourceSpans) {
    const resource = {};
    for (const a of rs.resource.attributes) resource[a.key] = a.value;
    for (const ss of rs.scopeSpans) {
      for (const s of ss.spans) {
        if (s.traceId.length !== 32 || s.spanId.length !== 16) throw new Error('ids of the wrong length');
        if (s.parentSpanId !== undefined && s.parentSpanId.length !== 16) throw new Error('parentSpanId length');
        if (BigInt(s.endTimeUnixNano) < BigInt(s.startTimeUnixNano)) throw new Error(`${s.name} ends before it starts`);
      }
    }
  }
}

function accept(json) {
  for (const rs of json.resourceSpans) {
    for (const ss of rs.scopeSpans) {
      for (const s of ss.spans) spans.push({ resource: rs.resource, scope: ss.scope, span: s });
    }
  }
}

function reply(res, code, body) {
  res.writeHead(code, { 'Content-Type': 'application/json' });
  res.end(JSON.stringify(body));
}

http
  .createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      let body = Buffer.concat(chunks);
      if (req.method === 'GET' && req.url === '/spans') return reply(res, 200, spans);
      if (req.method === 'GET' && req.url === '/rejected') return reply(res, 200, rejected);
      if (req.method === 'POST' && req.url === '/status') {
        const control = JSON.parse(body.toString());
        status = control.status;
        delayMs = control.delayMs || 0;
        return reply(res, 200, {});
      }
      if (req.method !== 'POST' || req.url !== '/v1/traces') return reply(res, 404, {});
      if (delayMs > 0) return setTimeout(() => reply(res, status, {}), delayMs);
      if (status !== 200) return reply(res, status, {});
      if (req.headers['content-type'] !== 'application/json') {
        rejected.push(`content type ${req.headers['content-type']}`);
        return reply(res, 415, {});
      }
      try {
        if (req.headers['content-encoding'] === 'gzip') body = zlib.gunzipSync(body);
        const json = JSON.parse(body.toString());
        validate(json);
        accept(json);
        return reply(res, 200, { partialSuccess: {} });
      } catch (e) {
        rejected.push(String(e.message));
        return reply(res, 400, { error: String(e.message) });
      }
    });
  })
  .listen(Number(process.argv[2]), '127.0.0.1', () => console.log('listening'));
