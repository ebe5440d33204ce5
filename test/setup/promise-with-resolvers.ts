/**
 * nock 15 (through @mswjs/interceptors) calls Promise.withResolvers, which Node 20 lacks
 * (it arrived in Node 22). Import this module before nock in tests that run on Node 20.
 */
const PromiseCtor = Promise as PromiseConstructor & { withResolvers?: unknown };
if (typeof PromiseCtor.withResolvers !== "function") {
  Object.defineProperty(Promise, "withResolvers", {
    configurable: true,
    writable: true,
    value<T>() {
      let resolve!: (value: T | PromiseLike<T>) => void;
      let reject!: (reason?: unknown) => void;
      const promise = new Promise<T>((res, rej) => {
        resolve = res;
        reject = rej;
      });
      return { promise, resolve, reject };
    },
  });
}
export {};
