export * from './mailer';
export * from './templates/digest-email';
export * from './templates/reminder-email';
export * from './templates/words';
