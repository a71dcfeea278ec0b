import { Socket } from 'node:net';

// Preloaded (node --require) into the worker by `bench:reminders --no-nagle`, as a diagnosis only: turns Nagle's
// algorithm off on every TCP socket the process opens, as nodemailer 10 does for its SMTP sockets. nodemailer 8
// leaves it on, so the end of each message waits for the server's delayed ACK (about 40 ms on Linux).
const connect = Socket.prototype.connect;
Socket.prototype.connect = function (this: Socket, ...args: unknown[]) {
  this.setNoDelay(true);
  return (connect as (...a: unknown[]) => Socket).apply(this, args);
} as typeof connect;
