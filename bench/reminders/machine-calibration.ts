import { createHash } from 'node:crypto';
import { connect, Socket } from 'node:net';

export interface MachineCalibration {
  /** One request and its answer between two processes over loopback TCP (an SMTP NOOP to the sink), µs. */
  roundTripUs: { p50: number; p90: number };
  /** JSON.stringify then JSON.parse of a 1 KB object: JavaScript speed, µs each. */
  jsonRoundTripUs: number;
  /** sha256 over 64 MB: native speed, MB/s. */
  sha256MBps: number;
}

/**
 * Readings that say how fast this machine is at what delivery is made of, printed beside the figures so runs on
 * different machines (or on one machine at a busy moment) can be compared: delivery is mostly system calls and
 * process wake-ups on loopback (SQL, Redis and SMTP round trips), which some virtual machines make several times
 * dearer than others while their plain CPU speed is alike.
 */
export async function calibrateMachine(smtpPort: number): Promise<MachineCalibration> {
  return {
    roundTripUs: await smtpRoundTrips(smtpPort, 2_000),
    jsonRoundTripUs: jsonRoundTrip(50_000),
    sha256MBps: sha256Speed(64),
  };
}

/** Sequential NOOPs on one SMTP connection to `port`, after the greeting and EHLO; p50 and p90 in µs. */
async function smtpRoundTrips(port: number, count: number): Promise<{ p50: number; p90: number }> {
  const socket = connect({ host: '127.0.0.1', port, noDelay: true });
  const replies = replyReader(socket);
  try {
    await replies.next('220');
    socket.write('EHLO calibration\r\n');
    await replies.next('250');
    const times: number[] = [];
    for (let i = 0; i < count; i++) {
      const t0 = performance.now();
      socket.write('NOOP\r\n');
      await replies.next('250');
      times.push((performance.now() - t0) * 1000);
    }
    socket.write('QUIT\r\n');
    times.sort((a, b) => a - b);
    return { p50: times[Math.floor(count * 0.5)], p90: times[Math.floor(count * 0.9)] };
  } finally {
    socket.destroy();
  }
}

/** The final line of each SMTP reply ("250 ok", not "250-…"), in order; fails on another code or a closed socket. */
function replyReader(socket: Socket): { next(code: string): Promise<void> } {
  let buffered = '';
  const lines: string[] = [];
  let waiting: { resolve: (line: string) => void; reject: (error: Error) => void } | null = null;
  let failure: Error | null = null;
  const fail = (error: Error) => {
    failure = error;
    waiting?.reject(error);
    waiting = null;
  };
  socket.setEncoding('utf8');
  socket.on('data', (chunk: string) => {
    buffered += chunk;
    let end: number;
    while ((end = buffered.indexOf('\r\n')) >= 0) {
      const line = buffered.slice(0, end);
      buffered = buffered.slice(end + 2);
      if (line[3] === '-') continue;
      if (waiting) {
        waiting.resolve(line);
        waiting = null;
      } else lines.push(line);
    }
  });
  socket.on('error', fail);
  socket.on('close', () => fail(new Error('the SMTP sink closed the calibration connection')));
  return {
    async next(code) {
      if (failure) throw failure;
      const line = lines.shift() ?? (await new Promise<string>((resolve, reject) => (waiting = { resolve, reject })));
      if (!line.startsWith(code)) throw new Error(`calibration: expected ${code} from the SMTP sink, got "${line}"`);
    },
  };
}

function jsonRoundTrip(count: number): number {
  const value = {
    id: '01a252b5-ad16-7764-b21d-936ec02f08a4',
    items: Array.from({ length: 8 }, (_, i) => ({
      title: `Improve the management of risk of harm to others (${i})`,
      dueDate: '2026-03-16',
      overdue: i,
    })),
  };
  let keep = 0;
  const t0 = performance.now();
  for (let i = 0; i < count; i++) keep += (JSON.parse(JSON.stringify(value)) as typeof value).items.length;
  const us = ((performance.now() - t0) * 1000) / count;
  return keep > 0 ? us : Number.NaN;
}

function sha256Speed(megabytes: number): number {
  const block = Buffer.alloc(1024 * 1024, 7);
  const hash = createHash('sha256');
  const t0 = performance.now();
  for (let i = 0; i < megabytes; i++) hash.update(block);
  hash.digest();
  return megabytes / ((performance.now() - t0) / 1000);
}
