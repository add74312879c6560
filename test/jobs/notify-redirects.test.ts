import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { isPrivateAddress, NotifyRefused, notifyJobEnd } from '../../src/jobs/notify.ts';

/** A local HTTP server that records what reached it and answers with `handle`. */
async function listen(handle: (req: IncomingMessage, res: ServerResponse) => void) {
  const seen: { url: string; host: string }[] = [];
  const sockets = new Set<Socket>();
  const server: Server = createServer((req, res) => {
    seen.push({ url: req.url ?? '', host: req.headers.host ?? '' });
    handle(req, res);
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  return {
    seen,
    port,
    base: `http://127.0.0.1:${port}`,
    /** Connections still open now. */
    open: () => sockets.size,
    async close() {
      for (const s of sockets) s.destroy();
      await new Promise((r) => server.close(r));
    },
  };
}

type Local = Awaited<ReturnType<typeof listen>>;

/** A resolver standing in for DNS: fixed answers per name, counting the lookups. */
function resolver(answers: Record<string, string[]>) {
  const asked: string[] = [];
  return {
    asked,
    resolve: async (host: string) => {
      asked.push(host);
      return (answers[host] ?? []).map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
    },
  };
}

const quick = { backoffMs: [0, 0], timeoutMs: 2000 };
const refusedFor = (address: string) => (e: unknown) =>
  e instanceof NotifyRefused && e.message.includes(`(${address})`);

describe('notifyUrl redirects: a 3xx is the answer, its Location is never called', () => {
  let internal: Local;
  let first: Local;
  let location = '';
  let code = 302;
  before(async () => {
    internal = await listen((_req, res) => res.end('internal data'));
    first = await listen((_req, res) => {
      res.writeHead(code, { location });
      res.end();
    });
  });
  after(async () => {
    await first.close();
    await internal.close();
  });

  for (const status of [301, 302, 303, 307, 308]) {
    it(`${status} to a loopback address: not followed, counted as delivered after one try`, async () => {
      code = status;
      location = `${internal.base}/admin?job=x`;
      first.seen.length = 0;
      const out = await notifyJobEnd(`${first.base}/hook`, 'j1', 'completed', {
        allowPrivate: true,
        ...quick,
      });
      assert.deepEqual(out, { delivered: true, tries: 1, statusCode: status });
      assert.deepEqual(
        first.seen.map((s) => s.url),
        ['/hook'],
      );
      assert.deepEqual(internal.seen, []);
    });
  }

  it('a redirect to the metadata address or to a private name is not followed either', async () => {
    for (const target of [
      'http://169.254.169.254/latest/meta-data/',
      'http://[fd00:ec2::254]/latest/meta-data/',
      `http://localhost:${internal.port}/`,
    ]) {
      code = 307;
      location = target;
      const out = await notifyJobEnd(`${first.base}/hook`, 'j2', 'aborted', { allowPrivate: true, ...quick });
      assert.deepEqual(out, { delivered: true, tries: 1, statusCode: 307 }, target);
    }
    assert.deepEqual(internal.seen, []);
  });

  it('without the operator allowing it, a first hop whose name resolves to loopback is not called at all', async () => {
    code = 302;
    location = `${internal.base}/`;
    first.seen.length = 0;
    const dns = resolver({ 'hooks.example.com': ['127.0.0.1'] });
    await assert.rejects(
      notifyJobEnd(`http://hooks.example.com:${first.port}/hook`, 'j3', 'completed', {
        allowPrivate: false,
        resolve: dns.resolve,
        ...quick,
      }),
      refusedFor('127.0.0.1'),
    );
    assert.deepEqual(dns.asked, ['hooks.example.com']);
    assert.deepEqual(first.seen, []);
    assert.deepEqual(internal.seen, []);
  });
});

describe('notifyUrl targets: checked after DNS resolution, and the call goes to the checked address', () => {
  let hook: Local;
  before(async () => {
    hook = await listen((_req, res) => res.end());
  });
  after(() => hook.close());

  for (const [name, addresses, bad] of [
    ['a private address', ['10.0.0.7'], '10.0.0.7'],
    ['the metadata address', ['169.254.169.254'], '169.254.169.254'],
    ['the IPv6 metadata address', ['fd00:ec2::254'], 'fd00:ec2::254'],
    ['one public and one loopback address', ['93.184.216.34', '127.0.0.1'], '127.0.0.1'],
    ['an IPv4-mapped loopback address', ['::ffff:127.0.0.1'], '::ffff:127.0.0.1'],
    ['a NAT64 form of the metadata address', ['64:ff9b::a9fe:a9fe'], '64:ff9b::a9fe:a9fe'],
    ['a 6to4 form of a private address', ['2002:c0a8:101::1'], '2002:c0a8:101::1'],
  ] as const) {
    it(`refuses a name that resolves to ${name}`, async () => {
      const dns = resolver({ 'hooks.example.com': [...addresses] });
      await assert.rejects(
        notifyJobEnd(`http://hooks.example.com:${hook.port}/n`, 'j', 'completed', {
          allowPrivate: false,
          resolve: dns.resolve,
          ...quick,
        }),
        refusedFor(bad),
      );
      assert.deepEqual(hook.seen, []);
    });
  }

  it('refuses loopback written in any literal form, before connecting', async () => {
    for (const host of [
      '127.0.0.1',
      '127.1.2.3',
      '2130706433',
      '0x7f.0.0.1',
      '0177.0.0.1',
      '[::1]',
      '[::ffff:127.0.0.1]',
      '[0:0:0:0:0:ffff:7f00:1]',
      '0.0.0.0',
    ]) {
      await assert.rejects(
        notifyJobEnd(`http://${host}:${hook.port}/n`, 'j', 'completed', { allowPrivate: false, ...quick }),
        (e: unknown) => e instanceof NotifyRefused,
        host,
      );
    }
    assert.deepEqual(hook.seen, []);
  });

  it('with private targets allowed, connects to the resolved address once resolved, for every try', async () => {
    hook.seen.length = 0;
    let answers = [503, 503, 200];
    const flaky = await listen((req, res) => {
      res.statusCode = answers.shift() ?? 200;
      res.end(req.headers.host);
    });
    try {
      answers = [503, 503, 200];
      const dns = resolver({ 'hooks.example.com': ['127.0.0.1'] });
      const out = await notifyJobEnd(
        `http://hooks.example.com:${flaky.port}/n?id=\${JOBID}`,
        'abc',
        'completed',
        {
          allowPrivate: true,
          resolve: dns.resolve,
          ...quick,
        },
      );
      assert.deepEqual(out, { delivered: true, tries: 3, statusCode: 200 });
      // One lookup for all three tries: a name cannot answer public first and private later.
      assert.deepEqual(dns.asked, ['hooks.example.com']);
      assert.deepEqual(
        flaky.seen.map((s) => [s.url, s.host]),
        Array(3).fill(['/n?id=abc', `hooks.example.com:${flaky.port}`]),
      );
    } finally {
      await flaky.close();
    }
  });

  it('a name that resolves to nothing is an error, not a call', async () => {
    const dns = resolver({});
    await assert.rejects(
      notifyJobEnd('http://nowhere.example.com/n', 'j', 'completed', {
        allowPrivate: false,
        resolve: dns.resolve,
        ...quick,
      }),
      /does not resolve/,
    );
  });

  it('classifies IPv6 forms that carry an IPv4 address by that address', () => {
    for (const a of [
      '::ffff:7f00:1',
      '::7f00:1',
      '::127.0.0.1',
      '::ffff:0:7f00:1',
      '64:ff9b::a9fe:a9fe',
      '64:ff9b::10.0.0.1',
      '64:ff9b:1::a00:1',
      '2002:7f00:1::',
      '2002:a9fe:a9fe::1',
      'fec0::1',
      '2001:db8::1',
      '100::1',
      'not an address',
    ]) {
      assert.equal(isPrivateAddress(a), true, a);
    }
    for (const a of ['64:ff9b::808:808', '2002:808:808::1', '2606:4700:4700::1111', '2a00:1450::1']) {
      assert.equal(isPrivateAddress(a), false, a);
    }
  });
});

describe('notifyUrl time is bounded: per try, for slow answers and endless bodies, and for DNS', () => {
  const bounded = { allowPrivate: true, backoffMs: [0, 0], timeoutMs: 300 };

  it('a server that never answers: three tries, each ended by the timeout', { timeout: 20_000 }, async () => {
    const silent = await listen(() => {});
    try {
      const out = await notifyJobEnd(`${silent.base}/n`, 'j', 'completed', bounded);
      assert.equal(out.delivered, false);
      assert.equal(out.tries, 3);
      assert.match(out.error ?? '', /no answer within 300 ms/);
      assert.equal(silent.seen.length, 3);
    } finally {
      await silent.close();
    }
  });

  it('a server that trickles its headers byte by byte is cut off too', { timeout: 20_000 }, async () => {
    const timers = new Set<NodeJS.Timeout>();
    const trickle = await listen((req) => {
      const socket = req.socket;
      socket.write('HTTP/1.1 200 OK\r\nX-Slow: ');
      const t = setInterval(() => {
        if (socket.destroyed) clearInterval(t);
        else socket.write('a');
      }, 50);
      timers.add(t);
    });
    try {
      const out = await notifyJobEnd(`${trickle.base}/n`, 'j', 'completed', bounded);
      assert.equal(out.delivered, false);
      assert.equal(out.tries, 3);
      assert.match(out.error ?? '', /no answer within 300 ms/);
    } finally {
      for (const t of timers) clearInterval(t);
      await trickle.close();
    }
  });

  it('an endless body is not read: the status counts and the connection is closed', {
    timeout: 20_000,
  }, async () => {
    let closed!: () => void;
    const closedNow = new Promise<void>((r) => {
      closed = r;
    });
    const endless = await listen((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/plain' });
      const chunk = Buffer.alloc(64 * 1024, 97);
      const pump = () => {
        while (!res.destroyed && res.write(chunk));
      };
      res.on('drain', pump);
      res.on('close', closed);
      pump();
    });
    try {
      const out = await notifyJobEnd(`${endless.base}/n`, 'j', 'completed', bounded);
      assert.deepEqual(out, { delivered: true, tries: 1, statusCode: 200 });
      await closedNow;
    } finally {
      await endless.close();
    }
  });

  it('a resolver that never answers ends in an error within the timeout', { timeout: 20_000 }, async () => {
    await assert.rejects(
      notifyJobEnd('http://hooks.example.com/n', 'j', 'completed', {
        ...bounded,
        allowPrivate: false,
        resolve: () => new Promise(() => {}),
      }),
      /hooks\.example\.com.*no answer within 300 ms/,
    );
  });
});
