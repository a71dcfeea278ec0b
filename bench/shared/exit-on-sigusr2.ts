// Preloaded (node --require) into servers run under --cpu-prof: the API's shutdown hooks end it by re-raising
// SIGTERM, which kills the process before the profile is written, while process.exit() writes it.
process.on('SIGUSR2', () => process.exit(0));
