#!/usr/bin/env node
// Exit 0 when SMTP_URL points at this machine and nothing listens there (so `npm start` may run its mail catcher).
const net = require('node:net');
const url = new URL(process.env.SMTP_URL ?? 'smtp://127.0.0.1:1025');
if (!['127.0.0.1', 'localhost', '::1'].includes(url.hostname)) process.exit(1);
const socket = net.connect({ host: url.hostname, port: Number(url.port || 25) });
socket.setTimeout(1000);
socket.on('connect', () => {
  socket.destroy();
  process.exit(1);
});
socket.on('error', () => process.exit(0));
socket.on('timeout', () => {
  socket.destroy();
  process.exit(0);
});
