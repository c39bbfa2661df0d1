import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import type { TestServer } from './server.js';

/** A concrete request as it goes on the wire. */
export interface FuzzRequest {
  method: string;
  /** The request target (path and query), sent exactly as written. */
  target: string;
  /** Header lines in order; a name may repeat. Values go out as latin1 bytes. */
  headers: [string, string][];
  body?: Buffer;
}

/** A response as the fuzz checks read it. */
export interface FuzzResponse {
  status: number;
  headers: IncomingHttpHeaders;
  /** The body decoded as UTF-8. */
  text: string;
  /** The parsed body when the response says it is JSON and parses; otherwise undefined. */
  json: unknown;
  /** Which client sent the request. */
  transport: 'supertest' | 'node:http';
}

/** Node refuses other bytes in a header value (RFC 9110 §5.5 field-value, obs-text included). */
const HEADER_VALUE = /^[\t\x20-\x7e\x80-\xff]*$/;
/** RFC 9110 §5.6.2 token. */
const HEADER_NAME = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
/** Node refuses other bytes in a request target. */
const TARGET = /^[\x21-\xff]+$/;

function validate(request: FuzzRequest): void {
  if (!TARGET.test(request.target)) {
    throw new Error(`fuzz generator bug: unsendable target ${JSON.stringify(request.target)}`);
  }
  for (const [name, value] of request.headers) {
    if (!HEADER_NAME.test(name) || !HEADER_VALUE.test(value)) {
      throw new Error(`fuzz generator bug: unsendable header ${JSON.stringify([name, value])}`);
    }
  }
}

/**
 * Whether supertest sends the request byte for byte: it rebuilds the target through `new URL`
 * (which re-encodes some characters), sets each header name once, and a body needs a type.
 */
function supertestCanSend(request: FuzzRequest): boolean {
  const names = request.headers.map(([name]) => name.toLowerCase());
  if (new Set(names).size !== names.length) return false;
  if (request.body !== undefined && !names.includes('content-type')) return false;
  if (request.headers.some(([, value]) => /[^\x20-\x7e]/.test(value))) return false;
  if (!/^\/[\x21-\x7e]*$/.test(request.target) || /\/\.{1,2}(\/|$|\?)/.test(request.target)) {
    return false;
  }
  const url = new URL(request.target, 'http://127.0.0.1');
  return `${url.pathname}${url.search}` === request.target;
}

function parseJson(headers: IncomingHttpHeaders, text: string): unknown {
  if (!/json/i.test(String(headers['content-type'] ?? ''))) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function response(
  status: number,
  headers: IncomingHttpHeaders,
  body: Buffer,
  transport: FuzzResponse['transport'],
): FuzzResponse {
  const text = body.toString('utf8');
  return { status, headers, text, json: parseJson(headers, text), transport };
}

async function viaSupertest(server: TestServer, request: FuzzRequest): Promise<FuzzResponse> {
  const method = request.method.toLowerCase() as 'get' | 'post' | 'patch' | 'delete' | 'put';
  let test = server.http()[method](request.target);
  for (const [name, value] of request.headers) test = test.set(name, value);
  test = test
    .ok(() => true)
    .buffer(true)
    .parse((incoming, done) => {
      const chunks: Buffer[] = [];
      incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
      incoming.on('end', () => done(null, Buffer.concat(chunks)));
    });
  // The body goes out as given: no serializer may turn the Buffer into JSON or a form.
  if (request.body !== undefined) test = test.serialize((body: unknown) => body as string);
  const result = request.body === undefined ? await test : await test.send(request.body);
  const body = Buffer.isBuffer(result.body) ? result.body : Buffer.alloc(0);
  return response(result.status, result.headers as IncomingHttpHeaders, body, 'supertest');
}

function viaNodeHttp(server: TestServer, request: FuzzRequest): Promise<FuzzResponse> {
  const url = new URL(server.url);
  const lines: string[] = ['Host', url.host];
  for (const [name, value] of request.headers) lines.push(name, value);
  if (request.body !== undefined) lines.push('Content-Length', String(request.body.length));
  return new Promise((resolve, reject) => {
    const outgoing = httpRequest(
      {
        host: url.hostname,
        port: url.port,
        method: request.method,
        path: request.target,
        headers: lines,
        setHost: false,
        agent: false,
      },
      (incoming) => {
        const chunks: Buffer[] = [];
        incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
        incoming.on('error', reject);
        incoming.on('end', () =>
          resolve(
            response(
              incoming.statusCode ?? 0,
              incoming.headers,
              Buffer.concat(chunks),
              'node:http',
            ),
          ),
        );
      },
    );
    outgoing.on('error', reject);
    outgoing.end(request.body);
  });
}

/** Node's server answers 431 by itself past 16 KB of request line and headers. */
const HEADER_BYTES_MAX = 14 * 1024;

/** Whether the request line and headers stay below Node's header limit. */
export function withinHeaderLimit(request: FuzzRequest): boolean {
  const bytes = request.headers.reduce(
    (sum, [name, value]) => sum + name.length + value.length + 4,
    request.method.length + request.target.length + 64,
  );
  return bytes <= HEADER_BYTES_MAX;
}

/** Sends through supertest when it can express the request exactly, else through node:http. */
export async function sendFuzz(server: TestServer, request: FuzzRequest): Promise<FuzzResponse> {
  validate(request);
  return supertestCanSend(request) ? viaSupertest(server, request) : viaNodeHttp(server, request);
}

function clip(text: string, max = 600): string {
  return text.length <= max ? text : `${text.slice(0, max)}… (${text.length} characters)`;
}

/**
 * The request and the response, for a failure message; `redact` replaces what must not be
 * printed (secrets and tokens of the fixtures) by its name.
 */
export function describeExchange(
  request: FuzzRequest,
  answer?: FuzzResponse,
  redact: (text: string) => string = (text) => text,
): string {
  const show = (text: string, max = 600) => clip(redact(text), max);
  const lines = [`${request.method} ${show(request.target, 300)}`];
  for (const [name, value] of request.headers) lines.push(`${name}: ${show(value, 300)}`);
  if (request.body !== undefined) {
    const utf8 = request.body.toString('utf8');
    const exact = Buffer.from(utf8, 'utf8').equals(request.body);
    lines.push(
      `body (${request.body.length} bytes${exact ? '' : ', not UTF-8, shown as latin1'}): ` +
        show(JSON.stringify(exact ? utf8 : request.body.toString('latin1'))),
    );
  }
  if (answer !== undefined) {
    lines.push(`=> ${answer.status} (via ${answer.transport})`);
    for (const [name, value] of Object.entries(answer.headers)) {
      if (['date', 'connection', 'keep-alive', 'etag', 'x-request-id'].includes(name)) continue;
      lines.push(`${name}: ${show(String(value), 300)}`);
    }
    lines.push(`body: ${show(JSON.stringify(answer.text))}`);
  }
  return lines.join('\n  ');
}
