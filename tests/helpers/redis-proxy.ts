import { createServer, type Server, type Socket, connect } from 'node:net';

/** A command a client sent, as the proxy saw it pass. */
export interface SeenCommand {
  /** performance.now() when its last byte passed. */
  readonly at: number;
  /** Upper-cased: GET, MGET, EVALSHA, PING … */
  readonly name: string;
}

/**
 * A TCP proxy in front of a redis-server that records every command clients
 * send through it (RESP arrays of bulk strings: what ioredis writes), whether
 * Redis answers or not: how a test counts the commands an API sends to a
 * stalled Redis, which would otherwise only read them after SIGCONT.
 */
export class RedisProxy {
  readonly commands: SeenCommand[] = [];
  private readonly sockets = new Set<Socket>();

  private constructor(
    private readonly server: Server,
    readonly port: number,
  ) {}

  static async start(targetPort: number): Promise<RedisProxy> {
    let proxy!: RedisProxy;
    const server = createServer((client) => {
      const upstream = connect(targetPort, '127.0.0.1');
      proxy.sockets.add(client).add(upstream);
      const parser = new RespCommandParser((name) => proxy.commands.push({ at: performance.now(), name }));
      client.on('data', (chunk) => parser.push(chunk));
      client.pipe(upstream).pipe(client);
      const end = () => {
        client.destroy();
        upstream.destroy();
      };
      client.on('error', end).on('close', end);
      upstream.on('error', end).on('close', end);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    proxy = new RedisProxy(server, (server.address() as { port: number }).port);
    return proxy;
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  /** The commands that passed between `from` and `to` (performance.now()). */
  between(from: number, to: number): SeenCommand[] {
    return this.commands.filter((command) => command.at >= from && command.at <= to);
  }

  async stop(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

/** Reads `*<n>\r\n` then n `$<len>\r\n<bytes>\r\n`, and names each command once it is whole. */
class RespCommandParser {
  private buffer = Buffer.alloc(0);

  constructor(private readonly onCommand: (name: string) => void) {}

  push(chunk: Buffer): void {
    this.buffer = Buffer.concat([this.buffer, chunk]);
    for (let parsed = this.next(); parsed !== null; parsed = this.next()) {
      this.buffer = this.buffer.subarray(parsed.length);
      this.onCommand(parsed.name);
    }
  }

  private next(): { name: string; length: number } | null {
    const header = this.line(0);
    if (!header) return null;
    const count = Number(header.text.slice(1));
    let offset = header.end;
    let name = '';
    for (let i = 0; i < count; i += 1) {
      const size = this.line(offset);
      if (!size) return null;
      const length = Number(size.text.slice(1));
      if (this.buffer.length < size.end + length + 2) return null;
      if (i === 0) name = this.buffer.subarray(size.end, size.end + length).toString().toUpperCase();
      offset = size.end + length + 2;
    }
    return { name, length: offset };
  }

  private line(from: number): { text: string; end: number } | null {
    const at = this.buffer.indexOf('\r\n', from);
    return at < 0 ? null : { text: this.buffer.subarray(from, at).toString(), end: at + 2 };
  }
}
