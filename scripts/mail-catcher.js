#!/usr/bin/env node
// A development mail catcher for `npm start` when no SMTP server is running: accepts every message on the
// SMTP_URL port, prints who it was for and its subject, and keeps it as an .eml file under artifacts/mail/.
// (With Docker, docker/compose.yml runs Mailpit instead, with a web inbox on :8025.)
const fs = require('node:fs');
const path = require('node:path');
const { SMTPServer } = require('smtp-server');

const url = new URL(process.env.SMTP_URL ?? 'smtp://127.0.0.1:1025');
const dir = path.join(__dirname, '..', 'artifacts', 'mail');
fs.mkdirSync(dir, { recursive: true });
let count = 0;

const server = new SMTPServer({
  authOptional: true,
  disabledCommands: ['STARTTLS'],
  logger: false,
  onData(stream, session, callback) {
    const chunks = [];
    stream.on('data', (c) => chunks.push(c));
    stream.on('end', () => {
      const raw = Buffer.concat(chunks);
      const subject = /^Subject: (.*)$/m.exec(raw.toString('utf8'))?.[1] ?? '(no subject)';
      const file = path.join(dir, `${new Date().toISOString().replace(/[:.]/g, '-')}-${++count}.eml`);
      fs.writeFileSync(file, raw);
      console.log(
        `mail to ${session.envelope.rcptTo.map((r) => r.address).join(', ')}: ${subject} (${path.relative(process.cwd(), file)})`,
      );
      callback();
    });
  },
});
server.on('error', (error) => {
  console.error(`mail catcher: ${error.message}`);
  process.exit(1);
});
server.listen(Number(url.port || 25), url.hostname, () =>
  console.log(`mail catcher on ${url.host}; messages are kept in ${path.relative(process.cwd(), dir)}/`),
);
