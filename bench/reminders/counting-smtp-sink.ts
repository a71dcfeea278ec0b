import { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

/*
 * A throughput sink for the reminders bench, run as its own process (forked with an IPC channel) so accepting
 * mail does not share an event loop with anything measured. It speaks real SMTP (smtp-server), reads each
 * message to its end, discards it, counts it and says 250. It parses nothing: the test sink in libs/testing
 * parses every message and would be the bottleneck here.
 *
 * Parent → sink: 'count' (answered with the running totals) and 'stop'. Sink → parent: 'listening' with its port.
 */

interface Totals {
  type: 'count';
  messages: number;
  bytes: number;
  connections: number;
}

const totals: Totals = { type: 'count', messages: 0, bytes: 0, connections: 0 };

const server = new SMTPServer({
  authOptional: true,
  disabledCommands: ['STARTTLS', 'AUTH'],
  disableReverseLookup: true,
  logger: false,
  onConnect: (_session, callback) => {
    totals.connections += 1;
    callback();
  },
  onData: (stream, _session, callback) => {
    let bytes = 0;
    stream.on('data', (chunk: Buffer) => {
      bytes += chunk.length;
    });
    stream.on('end', () => {
      totals.messages += 1;
      totals.bytes += bytes;
      callback();
    });
  },
});

const send = (message: unknown) => process.send?.(message);

process.on('message', (message) => {
  if (message === 'count') send(totals);
  if (message === 'stop') server.close(() => process.exit(0));
});
process.on('disconnect', () => process.exit(0));

server.listen(Number(process.env.SINK_PORT ?? 0), '127.0.0.1', () => {
  send({ type: 'listening', port: (server.server.address() as AddressInfo).port });
});
