import { AddressInfo } from 'node:net';
import { ParsedMail, simpleParser } from 'mailparser';
import { SMTPServer, SMTPServerAddress } from 'smtp-server';

export interface ReceivedEmail {
  to: string[];
  from: string;
  subject: string;
  text: string;
  html: string;
  messageId: string | undefined;
  parsed: ParsedMail;
}

export interface SmtpSinkOptions {
  /** Refuse these recipients with a permanent 550 (a mailbox that does not exist). */
  rejectRecipients?: (address: string) => boolean;
  /** Hold each message this long before accepting it (to kill a sender mid-send). */
  acceptDelayMs?: number;
  port?: number;
}

/**
 * A real SMTP server for tests (smtp-server), keeping every message it accepted, parsed with mailparser.
 * A message counts as received only once the server has said 250 to it.
 */
export class SmtpSink {
  readonly received: ReceivedEmail[] = [];
  /** Messages whose data has arrived and that have not been answered yet (held by `acceptDelayMs`). */
  holding = 0;
  /** Connections accepted so far (a pooled sender reuses a few; one per message means no pool). */
  connections = 0;
  private server!: SMTPServer;
  port = 0;

  constructor(private readonly options: SmtpSinkOptions = {}) {}

  get url(): string {
    return `smtp://127.0.0.1:${this.port}`;
  }

  async start(): Promise<this> {
    this.server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      logger: false,
      onConnect: (_session, callback) => {
        this.connections++;
        callback();
      },
      onRcptTo: (address: SMTPServerAddress, _session, callback) => {
        if (this.options.rejectRecipients?.(address.address)) {
          const error = new Error(`5.1.1 <${address.address}>: mailbox unavailable`) as Error & {
            responseCode: number;
          };
          error.responseCode = 550;
          return callback(error);
        }
        callback();
      },
      onData: (stream, session, callback) => {
        simpleParser(stream)
          .then(async (parsed) => {
            if (this.options.acceptDelayMs) {
              this.holding++;
              await new Promise((r) => setTimeout(r, this.options.acceptDelayMs));
              this.holding--;
            }
            // A sender that went away while we held the message never got our 250: it was not delivered.
            if ((session as unknown as { closed?: boolean }).closed) return callback(new Error('connection closed'));
            this.received.push({
              to: session.envelope.rcptTo.map((r) => r.address),
              from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
              subject: parsed.subject ?? '',
              text: parsed.text ?? '',
              html: typeof parsed.html === 'string' ? parsed.html : '',
              messageId: parsed.messageId,
              parsed,
            });
            callback();
          })
          .catch(callback);
      },
      onClose: (session) => {
        (session as unknown as { closed?: boolean }).closed = true;
      },
    });
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(this.options.port ?? 0, '127.0.0.1', () => resolve());
    });
    this.port = (this.server.server.address() as AddressInfo).port;
    return this;
  }

  /** Messages to this address. */
  to(address: string): ReceivedEmail[] {
    return this.received.filter((m) => m.to.includes(address));
  }

  /** Waits until `count` messages (in all) have arrived, or fails after `timeoutMs`. */
  async waitFor(count: number, timeoutMs = 10_000): Promise<ReceivedEmail[]> {
    const deadline = Date.now() + timeoutMs;
    while (this.received.length < count) {
      if (Date.now() > deadline) {
        throw new Error(`expected ${count} emails, got ${this.received.length} within ${timeoutMs} ms`);
      }
      await new Promise((r) => setTimeout(r, 25));
    }
    return this.received;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
