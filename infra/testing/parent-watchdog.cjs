// Preloaded into the dynalite process (node -r): the JVM that started it holds our stdin open, so when
// that JVM ends for any reason, even SIGKILL, stdin reaches end-of-file and this process exits too.
process.stdin.on('end', () => process.exit(0));
process.stdin.on('error', () => process.exit(0));
process.stdin.resume();
