// A fault-injecting proxy in front of the real collector, for delivery tests. POSTs to
// /v1/events take the next planned fault (500, 429 + Retry-After in seconds or, with
// `retryAfterDateMs`, as the HTTP date that far ahead, dropped connection, slow answer) or, while `dead`, a 503; everything else is forwarded. It remembers which event ids
// it acknowledged, so a test can prove that no acknowledged event is ever sent again.
import { createServer } from 'node:http';
import { gunzipSync } from 'node:zlib';

const CORS = { 'Access-Control-Allow-Origin': '*', 'Access-Control-Expose-Headers': 'Retry-After' };

export async function startFaultProxy(targetUrl) {
  const proxy = {
    plan: [],
    dead: false,
    acknowledged: new Set(),
    resentAfterAck: [],
    bodySizes: [],
    /** When each POST to /v1/events arrived (Date.now()). */
    ingestTimes: [],
    faultsServed: 0,
  };
  const server = createServer(async (request, response) => {
    const chunks = [];
    for await (const chunk of request) chunks.push(chunk);
    const body = Buffer.concat(chunks);
    let ids = [];
    const ingest = request.method === 'POST' && request.url.startsWith('/v1/events');
    if (ingest) {
      proxy.bodySizes.push(body.length);
      proxy.ingestTimes.push(Date.now());
      try {
        const text = (request.headers['content-encoding'] === 'gzip' ? gunzipSync(body) : body).toString('utf8');
        ids = JSON.parse(text).events.map((event) => event.id);
      } catch {
        ids = [];
      }
      proxy.resentAfterAck.push(...ids.filter((id) => proxy.acknowledged.has(id)));
      const fault = proxy.dead ? { status: 503 } : proxy.plan.shift();
      if (fault) proxy.faultsServed += 1;
      if (fault?.drop) {
        request.socket.destroy();
        return;
      }
      if (fault?.delayMs) await new Promise((done) => setTimeout(done, fault.delayMs));
      if (fault?.status) {
        const date = fault.retryAfterDateMs && new Date(Date.now() + fault.retryAfterDateMs).toUTCString();
        const value = date ?? (fault.retryAfter === undefined ? undefined : String(fault.retryAfter));
        const retryAfter = value === undefined ? {} : { 'Retry-After': value };
        response.writeHead(fault.status, { ...CORS, ...retryAfter, 'Content-Type': 'application/json' });
        response.end('{"success":false}');
        return;
      }
    }
    try {
      const headers = {};
      for (const name of ['content-type', 'content-encoding', 'authorization', 'origin',
        'access-control-request-method', 'access-control-request-headers']) {
        if (request.headers[name]) headers[name] = request.headers[name];
      }
      const upstream = await fetch(targetUrl + request.url, {
        method: request.method,
        headers,
        body: ['GET', 'HEAD', 'OPTIONS'].includes(request.method) ? undefined : body,
      });
      const answer = Buffer.from(await upstream.arrayBuffer());
      const passed = {};
      upstream.headers.forEach((value, name) => {
        if (!['content-length', 'transfer-encoding', 'connection', 'content-encoding'].includes(name)) passed[name] = value;
      });
      response.writeHead(upstream.status, passed);
      response.end(answer, () => {
        if (ingest && upstream.ok) for (const id of ids) proxy.acknowledged.add(id);
      });
    } catch {
      request.socket.destroy(); // the collector is down (e.g. restarting): the client sees a network error
    }
  });
  await new Promise((done) => server.listen(0, '127.0.0.1', done));
  proxy.url = `http://127.0.0.1:${server.address().port}`;
  proxy.endpoint = `${proxy.url}/v1/events`;
  proxy.close = () => new Promise((done) => server.close(() => done()));
  return proxy;
}
