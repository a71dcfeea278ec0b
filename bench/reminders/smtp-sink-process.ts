import { ChildProcess, fork } from 'node:child_process';
import { join } from 'node:path';
import { adopt, release, ServerProcess, statusMb } from '../shared/processes';

export interface SinkTotals {
  messages: number;
  bytes: number;
  connections: number;
}

export interface SmtpSinkProcess extends ServerProcess {
  url: string;
  totals(): Promise<SinkTotals>;
}

/** Forks the counting SMTP sink and waits until it listens. Stopped by `stopAll`/`killAllSync` like the servers. */
export async function startSmtpSink(): Promise<SmtpSinkProcess> {
  const child: ChildProcess = fork(join(__dirname, 'counting-smtp-sink.js'), [], {
    execArgv: [],
    env: { PATH: process.env.PATH ?? '' },
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
  });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString('utf8')).slice(-8_000);
  });
  let exited = false;
  const exit = new Promise<void>((resolve) =>
    child.once('exit', () => {
      exited = true;
      resolve();
    }),
  );
  const pending: ((totals: SinkTotals) => void)[] = [];
  const port = await new Promise<number>((resolve, reject) => {
    child.once('exit', (code, signal) => reject(new Error(`the SMTP sink exited with ${signal ?? code}:\n${stderr}`)));
    child.on('message', (message: { type: string; port?: number } & SinkTotals) => {
      if (message.type === 'listening') resolve(message.port!);
      if (message.type === 'count') pending.shift()?.(message);
    });
  });
  const pid = child.pid!;
  const sink: SmtpSinkProcess = {
    name: 'smtp-sink',
    pid,
    port,
    url: `smtp://127.0.0.1:${port}`,
    peakRssMb: 0,
    sampleRss() {
      if (!exited) sink.peakRssMb = Math.max(sink.peakRssMb, statusMb(pid, 'VmRSS'));
    },
    stderrTail: () => stderr,
    totals: () =>
      new Promise<SinkTotals>((resolve, reject) => {
        if (exited) return reject(new Error(`the SMTP sink has exited:\n${stderr}`));
        pending.push(resolve);
        child.send('count');
      }),
    async stop() {
      release(sink);
      if (exited) return;
      child.send('stop');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exit;
      clearTimeout(timer);
    },
  };
  adopt(sink);
  return sink;
}
