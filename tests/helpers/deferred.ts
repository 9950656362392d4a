// A promise and the function that settles it, for tests that hold one party (a transaction holding a row lock) until
// another has done its part. (Promise.withResolvers needs Node.js 22.)
export function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}
