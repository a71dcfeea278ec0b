export * from './mailer';
export * from './templates/reminder-email';
export * from './templates/words';
