// A memo kept ON the object it is about (a non-enumerable symbol-keyed property), for the per-object memos every save
// consults over every object of every cluster (stored-memo.ts, kubeadm/system.ts).
//
// Why not a WeakMap: each WeakMap entry is an ephemeron, and V8 marks ephemerons in its atomic pause — with a class
// of 2,000 hydrated clusters the two module WeakMaps held ~400,000 of them (alive, and dead ones left by replaced
// objects until the next full GC), and a mark-compact of the server spent 42–212 ms of its pause in ephemeron
// marking alone (`--trace-gc-nvp`: mark.ephemeron.marking), the class's largest single stall (bench/README.md,
// "gc16"). A property is an ordinary strong edge: it dies with its object and costs the marker nothing extra.
//
// A symbol-keyed non-enumerable property is invisible to everything that reads the state as data: Object.keys,
// for…in, JSON.stringify, spread and Object.assign, and so to every copy the engine makes (a copy has no memo, as a
// WeakMap would have no entry for it). An object that cannot take a property (frozen, sealed) keeps its entry in a
// WeakMap instead, as before.
export class ObjectMemo<E> {
  private readonly key: symbol;
  private readonly fallback = new WeakMap<object, E>();
  /** Whether any entry went to the WeakMap (only then is it read). */
  private fallbackUsed = false;

  constructor(name: string) {
    this.key = Symbol(name);
  }

  get(obj: object): E | undefined {
    // an object frozen after it got its property keeps that (older) entry: the WeakMap holds its newer ones
    if (this.fallbackUsed) {
      const f = this.fallback.get(obj);
      if (f !== undefined) return f;
    }
    return (obj as Record<symbol, E | undefined>)[this.key];
  }

  set(obj: object, entry: E): void {
    if (!Object.isExtensible(obj)) {
      this.fallbackUsed = true;
      this.fallback.set(obj, entry);
    } else if (Object.prototype.hasOwnProperty.call(obj, this.key)) (obj as Record<symbol, E>)[this.key] = entry;
    else Object.defineProperty(obj, this.key, { value: entry, writable: true, configurable: true, enumerable: false });
  }
}
