import { Injectable, OnApplicationShutdown } from '@nestjs/common';
import nodemailer, { Transporter } from 'nodemailer';
import SMTPPool from 'nodemailer/lib/smtp-pool';
import { AppConfig } from '@rt/config';

export interface OutgoingEmail {
  to: string;
  subject: string;
  text: string;
  html: string;
  /** Our id for the message, repeated on a retry so a receiving system can recognise it. */
  messageId?: string;
}

/** An SMTP answer that will not change on a retry (a 5xx such as "mailbox unavailable"). */
export function isPermanentFailure(error: unknown): boolean {
  const code = (error as { responseCode?: number }).responseCode;
  return typeof code === 'number' && code >= 500 && code < 600;
}

/** Sends through one pooled SMTP transport (SMTP_URL, MAIL_FROM); connections are reused across messages. */
@Injectable()
export class Mailer implements OnApplicationShutdown {
  private readonly transport: Transporter;

  constructor(private readonly config: AppConfig) {
    // The pool itself, not createTransport({ url, pool }): given a url, createTransport drops every other option.
    this.transport = nodemailer.createTransport(
      new SMTPPool({
        url: config.smtpUrl,
        pool: true,
        maxConnections: config.smtpMaxConnections,
        maxMessages: Infinity,
        connectionTimeout: 10_000,
        greetingTimeout: 10_000,
        socketTimeout: 30_000,
      }),
    );
  }

  async send(email: OutgoingEmail): Promise<string> {
    const info = await this.transport.sendMail({
      from: this.config.mailFrom,
      to: email.to,
      subject: email.subject,
      text: email.text,
      html: email.html,
      messageId: email.messageId,
      // Base64 rather than quoted-printable: the same to every mail client, and encoded natively (quoted-printable
      // was a seventh of the worker's CPU per email in bench:reminders).
      textEncoding: 'base64',
    });
    return info.messageId;
  }

  /** After the workers have finished their jobs (closing the pool fails the messages still waiting in it). */
  onApplicationShutdown(): void {
    this.transport.close();
  }
}
