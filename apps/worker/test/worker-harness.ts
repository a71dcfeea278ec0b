import { ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createConnection, createServer } from 'node:net';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import request from 'supertest';
import { AppConfig } from '@rt/config';
import { createWorkerApp } from '../src/worker-app';

/** A port nobody listens on right now. */
export async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  server.close();
  await once(server, 'close');
  return port;
}

/** Polls `probe` until it answers something truthy, or fails naming what never happened. */
export async function waitFor<T>(
  what: string,
  probe: () => Promise<T | null | undefined | false>,
  { timeoutMs = 30_000, intervalMs = 50 } = {},
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value) return value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) {
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last ? `: ${String(last)}` : ''}`);
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

function pong(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ port, host: '127.0.0.1' });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(500, () => done(false));
    socket.once('error', () => done(false));
    socket.once('data', (data) => done(data.toString().startsWith('+PONG')));
    socket.once('connect', () => socket.write('PING\r\n'));
  });
}

/**
 * A redis-server of the test's own, on its own port, so stopping it never touches the machine's shared Redis.
 * Nothing is persisted: a restart comes back empty, as a Redis that lost its data would.
 */
export class RedisServer {
  private process?: ChildProcess;
  private output = '';

  private constructor(
    readonly port: number,
    private maxmemoryPolicy: string,
  ) {}

  static async start(options: { maxmemoryPolicy?: string } = {}): Promise<RedisServer> {
    const server = new RedisServer(await freePort(), options.maxmemoryPolicy ?? 'noeviction');
    await server.start();
    return server;
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  get running(): boolean {
    return this.process !== undefined;
  }

  /** Starts (or restarts, on the same port) and resolves once it answers PING. */
  async start(options: { maxmemoryPolicy?: string } = {}): Promise<void> {
    if (this.process) throw new Error('redis-server is already running');
    this.maxmemoryPolicy = options.maxmemoryPolicy ?? this.maxmemoryPolicy;
    this.output = '';
    // Redis 7 takes `--save ""` as "never snapshot"; the empty argument is passed as-is, without a shell.
    const child = spawn(
      'redis-server',
      [
        '--port',
        String(this.port),
        '--bind',
        '127.0.0.1',
        '--save',
        '',
        '--appendonly',
        'no',
        '--daemonize',
        'no',
        '--maxmemory-policy',
        this.maxmemoryPolicy,
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    this.process = child;
    child.stdout!.on('data', (chunk) => (this.output += chunk));
    child.stderr!.on('data', (chunk) => (this.output += chunk));
    child.once('error', (error) => (this.output += String(error)));
    child.once('exit', () => {
      if (this.process === child) this.process = undefined;
    });
    const deadline = Date.now() + 10_000;
    while (!(await pong(this.port))) {
      if (child.exitCode !== null || child.signalCode !== null || Date.now() > deadline) {
        await this.stop();
        throw new Error(`redis-server on port ${this.port} did not start: ${this.output}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  /** Kills the server by its pid (SIGKILL: a crash, nothing saved) and waits until it has gone. */
  async stop(signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    const child = this.process;
    this.process = undefined;
    if (!child?.pid || child.exitCode !== null || child.signalCode !== null) return;
    const exited = once(child, 'exit');
    process.kill(child.pid, signal);
    await exited;
  }
}

export interface WorkerHarness {
  app: NestFastifyApplication;
  config: AppConfig;
  http: () => ReturnType<typeof request>;
  close(): Promise<void>;
}

/** The worker process as main.ts starts it, with its health server on a free port. */
export async function startWorker(config: AppConfig): Promise<WorkerHarness> {
  const app = await createWorkerApp(config);
  await app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = app.getHttpServer().address() as { port: number };
  return {
    app,
    config,
    http: () => request(`http://127.0.0.1:${port}`),
    close: () => app.close(),
  };
}
