import { ChildProcess, spawn } from 'node:child_process';
import { openSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';

/** Clock ticks per second for /proc/<pid>/stat times (USER_HZ; 100 on Linux/x86-64). */
const CLOCK_TICKS = 100;

/** CPU time (user + system, all threads) a process has used so far, in milliseconds. */
export function cpuMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after the parenthesised command name; utime and stime are fields 14 and 15 of the whole line.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS;
}

/** A line of /proc/<pid>/status in MB (VmRSS, VmHWM). */
export function statusMb(pid: number, field: 'VmRSS' | 'VmHWM'): number {
  const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return match ? Number(match[1]) / 1024 : NaN;
}

/** Host CPU counters from /proc/stat: busy and total jiffies over all cores. */
export function hostCpu(): { busy: number; total: number } {
  const line = readFileSync('/proc/stat', 'utf8').split('\n')[0];
  const v = line.trim().split(/\s+/).slice(1).map(Number);
  const idle = v[3] + (v[4] ?? 0);
  const total = v.slice(0, 8).reduce((a, b) => a + b, 0);
  return { busy: total - idle, total };
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

export interface ServerProcess {
  name: string;
  pid: number;
  port: number;
  /** Peak VmRSS seen by `sampleRss`, in MB. */
  peakRssMb: number;
  sampleRss(): void;
  /** The last lines the process wrote to stderr (for errors). */
  stderrTail(): string;
  stop(): Promise<void>;
}

/** Every server this process started, so they can be stopped on any exit path. */
const started = new Set<ServerProcess>();

/** Puts a process started elsewhere (e.g. forked) on the list that `stopAll` and `killAllSync` stop. */
export function adopt(server: ServerProcess): void {
  started.add(server);
}

/** Takes a process off that list once it has been stopped. */
export function release(server: ServerProcess): void {
  started.delete(server);
}

export async function stopAll(): Promise<void> {
  await Promise.all([...started].map((s) => s.stop()));
}

/** Kills by pid, synchronously: for exit handlers. */
export function killAllSync(): void {
  for (const s of started) {
    try {
      process.kill(s.pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
}

/**
 * Starts `node <script>` with the given environment, stdout to /dev/null, and waits until GET /health answers.
 */
export async function startServer(options: {
  name: string;
  script: string;
  /** Extra node flags, e.g. --cpu-prof. */
  nodeArgs?: string[];
  /** The signal `stop` sends first (SIGUSR2 with exit-on-sigusr2 preloaded, for --cpu-prof). */
  stopSignal?: NodeJS.Signals;
  env: Record<string, string>;
  port: number;
  timeoutMs?: number;
}): Promise<ServerProcess> {
  const devNull = openSync('/dev/null', 'w');
  const child: ChildProcess = spawn(process.execPath, [...(options.nodeArgs ?? []), options.script], {
    env: { PATH: process.env.PATH ?? '', ...options.env },
    stdio: ['ignore', devNull, 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString('utf8')).slice(-8_000);
  });
  let exited: string | null = null;
  const exit = new Promise<void>((resolve) =>
    child.once('exit', (code, signal) => {
      exited = `exited with ${signal ?? code}`;
      resolve();
    }),
  );
  const pid = child.pid!;
  const server: ServerProcess = {
    name: options.name,
    pid,
    port: options.port,
    peakRssMb: 0,
    sampleRss() {
      if (exited) return;
      const rss = statusMb(pid, 'VmRSS');
      if (rss > server.peakRssMb) server.peakRssMb = rss;
    },
    stderrTail: () => stderr,
    async stop() {
      started.delete(server);
      if (exited) return;
      child.kill(options.stopSignal ?? 'SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exit;
      clearTimeout(timer);
    },
  };
  started.add(server);

  const deadline = Date.now() + (options.timeoutMs ?? 60_000);
  for (;;) {
    if (exited) throw new Error(`${options.name} ${exited} while starting:\n${stderr}`);
    try {
      const res = await fetch(`http://127.0.0.1:${options.port}/health`);
      if (res.ok) return server;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await server.stop();
      throw new Error(`${options.name} did not answer /health within the timeout:\n${stderr}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
