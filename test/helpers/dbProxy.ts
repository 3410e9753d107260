import { createServer, connect, type Server, type Socket } from 'node:net';

/**
 * A TCP proxy in front of PostgreSQL that can cut the database away: `cut()` drops every open
 * connection and resets new ones until `restore()`, as a network blip or a restarting server does.
 * Written with node:net (a few lines; toxiproxy would be a separate binary to run).
 */
export class DbProxy {
  private server?: Server;
  private readonly sockets = new Set<Socket>();
  private down = false;
  port = 0;

  constructor(private readonly target: { host: string; port: number }) {}

  /** A proxy in front of the server of `url`; `url()` then gives the same URL through the proxy. */
  static of(url: string): DbProxy {
    const u = new URL(url);
    return new DbProxy({ host: u.hostname, port: Number(u.port || 5432) });
  }

  async start(): Promise<void> {
    this.server = createServer((client) => {
      if (this.down) return void client.resetAndDestroy();
      const upstream = connect(this.target.port, this.target.host);
      for (const s of [client, upstream]) {
        this.sockets.add(s);
        s.on('close', () => this.sockets.delete(s));
        s.on('error', () => undefined);
      }
      client.on('close', () => upstream.destroy());
      upstream.on('close', () => client.destroy());
      client.pipe(upstream);
      upstream.pipe(client);
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as { port: number }).port;
  }

  /** `url` with its host and port replaced by the proxy's. */
  url(url: string): string {
    const u = new URL(url);
    u.hostname = '127.0.0.1';
    u.port = String(this.port);
    return u.toString();
  }

  /** The database is unreachable: open connections are reset, new ones refused. */
  cut(): void {
    this.down = true;
    for (const s of this.sockets) s.resetAndDestroy();
    this.sockets.clear();
  }

  restore(): void {
    this.down = false;
  }

  async stop(): Promise<void> {
    this.cut();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}
