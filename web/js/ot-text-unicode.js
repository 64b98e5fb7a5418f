// The text-unicode OT type (ShareDB's `text-unicode`, the npm package ot-text-unicode) as the browser needs it:
// apply, transform, compose, invert, transformPosition, normalize and diff. A small port of src/Stoa.Ot, checked
// against the same conformance cases (web/test/ot-text-unicode.test.mjs). Positions and lengths count Unicode code
// points, never UTF-16 units, so an op means the same thing in JavaScript and C#.
//
// An op is an array of components: a positive number skips, a non-empty string inserts, {d: n} or {d: "text"}
// deletes (with the text, the op can be inverted).

/** Number of code points in `s` (a surrogate pair counts once). */
export function cpLength(s) {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) i++;
    }
    n++;
  }
  return n;
}

/** The UTF-16 index `count` code points after `start`, or -1 when the string ends first. */
export function cpAdvance(s, start, count) {
  let i = start;
  while (count > 0) {
    if (i >= s.length) return -1;
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      const d = s.charCodeAt(i + 1);
      i += d >= 0xdc00 && d <= 0xdfff ? 2 : 1;
    } else {
      i++;
    }
    count--;
  }
  return i;
}

/** Converts a code point position to a UTF-16 index (what textarea.selectionStart uses). */
export function toUtf16Index(s, position) {
  const i = cpAdvance(s, 0, position);
  return i < 0 ? s.length : i;
}

/** Converts a UTF-16 index to a code point position, never splitting a surrogate pair. */
export function fromUtf16Index(s, index) {
  let end = Math.min(index, s.length);
  if (end > 0 && end < s.length && isHigh(s.charCodeAt(end - 1)) && isLow(s.charCodeAt(end))) end++;
  return cpLength(s.slice(0, end));
}

const isHigh = (c) => c >= 0xd800 && c <= 0xdbff;
const isLow = (c) => c >= 0xdc00 && c <= 0xdfff;

// Internal form: {k: 's' | 'i' | 'd', n: code points, t: text or null}.
function parse(op) {
  if (!Array.isArray(op)) throw new TypeError('A text op is an array');
  return op.map((c) => {
    if (typeof c === 'number') {
      if (!Number.isSafeInteger(c) || c <= 0) throw new TypeError(`Invalid skip ${c}`);
      return { k: 's', n: c, t: null };
    }
    if (typeof c === 'string') {
      if (c.length === 0) throw new TypeError('Empty insert');
      return { k: 'i', n: cpLength(c), t: c };
    }
    if (c && typeof c === 'object' && 'd' in c) {
      if (typeof c.d === 'number') {
        if (!Number.isSafeInteger(c.d) || c.d <= 0) throw new TypeError(`Invalid delete ${c.d}`);
        return { k: 'd', n: c.d, t: null };
      }
      if (typeof c.d === 'string' && c.d.length > 0) return { k: 'd', n: cpLength(c.d), t: c.d };
    }
    throw new TypeError(`Invalid component ${JSON.stringify(c)}`);
  });
}

function toJson(c) {
  if (c.k === 's') return c.n;
  if (c.k === 'i') return c.t;
  return { d: c.t ?? c.n };
}

// Appends with ot-text-unicode's rules: empty pieces vanish, neighbours of one kind merge (two deletes keep their
// text only if both have it), and build() drops the trailing skip.
class Builder {
  constructor() {
    this.out = [];
  }

  push(c) {
    if (!c || c.n === 0) return;
    const last = this.out[this.out.length - 1];
    if (last && last.k === c.k) {
      last.n += c.n;
      if (c.k !== 's') last.t = last.t !== null && c.t !== null ? last.t + c.t : null;
    } else {
      this.out.push({ ...c });
    }
  }

  skip(n) {
    if (n > 0) this.push({ k: 's', n, t: null });
  }

  build() {
    if (this.out.length && this.out[this.out.length - 1].k === 's') this.out.pop();
    return this.out.map(toJson);
  }
}

// Takes an op apart piece by piece (ot-text-unicode's makeTake). Past the end, the op skips forever.
class Cursor {
  constructor(components) {
    this.cs = components;
    this.i = 0;
    this.offset = 0;
    this.charOffset = 0;
  }

  peek() {
    return this.i < this.cs.length ? this.cs[this.i].k : null;
  }

  takeAll() {
    return this.i < this.cs.length ? this.rest(this.cs[this.i]) : null;
  }

  take(n, indivisible) {
    if (this.i === this.cs.length) return { k: 's', n, t: null };
    const c = this.cs[this.i];
    if (c.n - this.offset <= n || c.k === indivisible) return this.rest(c);
    let part;
    if (c.t === null) {
      part = { k: c.k, n, t: null };
    } else {
      const end = cpAdvance(c.t, this.charOffset, n);
      part = { k: c.k, n, t: c.t.slice(this.charOffset, end) };
      this.charOffset = end;
    }
    this.offset += n;
    return part;
  }

  rest(c) {
    const part = this.offset === 0 ? c : { k: c.k, n: c.n - this.offset, t: c.t === null ? null : c.t.slice(this.charOffset) };
    this.i++;
    this.offset = 0;
    this.charOffset = 0;
    return part;
  }
}

/** The op in canonical form: merged neighbours, no empty components, no trailing skip. */
export function normalize(op) {
  const b = new Builder();
  for (const c of parse(op)) b.push(c);
  return b.build();
}

/** Applies `op` to `doc`. Throws when the op skips or deletes past the end, or its delete text differs. */
export function apply(doc, op) {
  const parts = [];
  let index = 0;
  for (const c of parse(op)) {
    if (c.k === 'i') {
      parts.push(c.t);
      continue;
    }
    const end = cpAdvance(doc, index, c.n);
    if (end < 0) throw new RangeError('The op goes past the end of the document');
    if (c.k === 's') {
      parts.push(doc.slice(index, end));
    } else if (c.t !== null && doc.slice(index, end) !== c.t) {
      throw new RangeError('The deleted text is not the document text');
    }
    index = end;
  }
  parts.push(doc.slice(index));
  return parts.join('');
}

/** Transforms `op` to apply after `other` (both made on one document); side 'left' wins insert ties. */
export function transform(op, other, side) {
  if (side !== 'left' && side !== 'right') throw new TypeError("side must be 'left' or 'right'");
  const b = new Builder();
  const cursor = new Cursor(parse(op));
  for (const theirs of parse(other)) {
    if (theirs.k === 's') {
      let n = theirs.n;
      while (n > 0) {
        const mine = cursor.take(n, 'i');
        b.push(mine);
        if (mine.k !== 'i') n -= mine.n;
      }
    } else if (theirs.k === 'i') {
      if (side === 'left' && cursor.peek() === 'i') b.push(cursor.takeAll());
      b.skip(theirs.n);
    } else {
      let n = theirs.n;
      while (n > 0) {
        const mine = cursor.take(n, 'i');
        if (mine.k === 'i') b.push(mine);
        else n -= mine.n; // skipped text is gone; text deleted by both is deleted once
      }
    }
  }
  while (cursor.peek() !== null) b.push(cursor.takeAll());
  return b.build();
}

/** One op doing `first` then `second`. */
export function compose(first, second) {
  const b = new Builder();
  const cursor = new Cursor(parse(first));
  for (const next of parse(second)) {
    if (next.k === 's') {
      let n = next.n;
      while (n > 0) {
        const chunk = cursor.take(n, 'd');
        b.push(chunk);
        if (chunk.k !== 'd') n -= chunk.n;
      }
    } else if (next.k === 'i') {
      b.push(next);
    } else {
      let offset = 0;
      let charOffset = 0;
      while (offset < next.n) {
        const chunk = cursor.take(next.n - offset, 'd');
        if (chunk.k === 's') {
          if (next.t === null) {
            b.push({ k: 'd', n: chunk.n, t: null });
          } else {
            const end = cpAdvance(next.t, charOffset, chunk.n);
            b.push({ k: 'd', n: chunk.n, t: next.t.slice(charOffset, end) });
            charOffset = end;
          }
          offset += chunk.n;
        } else if (chunk.k === 'i') {
          if (next.t !== null) charOffset = cpAdvance(next.t, charOffset, chunk.n);
          offset += chunk.n; // inserted then deleted: both vanish
        } else {
          b.push(chunk);
        }
      }
    }
  }
  while (cursor.peek() !== null) b.push(cursor.takeAll());
  return b.build();
}

/** The op undoing `op` (every delete must carry its text). */
export function invert(op) {
  const b = new Builder();
  for (const c of parse(op)) {
    if (c.k === 's') b.push(c);
    else if (c.k === 'i') b.push({ k: 'd', n: c.n, t: c.t });
    else if (c.t === null) throw new TypeError('Cannot invert a delete without its text');
    else b.push({ k: 'i', n: c.n, t: c.t });
  }
  return b.build();
}

/** Fills in the text of count-only deletes from `doc`, the document the op applies to. */
export function makeInvertible(op, doc) {
  const b = new Builder();
  let index = 0;
  for (const c of parse(op)) {
    if (c.k === 'i') {
      b.push(c);
      continue;
    }
    const end = cpAdvance(doc, index, c.n);
    if (end < 0) throw new RangeError('The op goes past the end of the document');
    b.push(c.k === 'd' && c.t === null ? { k: 'd', n: c.n, t: doc.slice(index, end) } : c);
    index = end;
  }
  return b.build();
}

/** Moves a cursor (code points) past someone else's op: inserts at the cursor go before it, deletes pull it back. */
export function transformPosition(cursor, op) {
  let moved = cursor;
  let position = 0;
  for (const c of parse(op)) {
    if (moved <= position) break;
    if (c.k === 's') {
      position += c.n;
    } else if (c.k === 'i') {
      position += c.n;
      moved += c.n;
    } else {
      moved -= Math.min(c.n, moved - position);
    }
  }
  return moved;
}

/** The smallest single-region op turning `before` into `after` (a textarea change), never splitting a pair. */
export function diff(before, after) {
  if (before === after) return [];
  let prefix = 0;
  const max = Math.min(before.length, after.length);
  while (prefix < max && before.charCodeAt(prefix) === after.charCodeAt(prefix)) prefix++;
  if (prefix > 0 && isHigh(before.charCodeAt(prefix - 1))) prefix--;
  let suffix = 0;
  const limit = max - prefix;
  while (suffix < limit && before.charCodeAt(before.length - 1 - suffix) === after.charCodeAt(after.length - 1 - suffix)) suffix++;
  if (suffix > 0 && isLow(before.charCodeAt(before.length - suffix))) suffix--;
  const b = new Builder();
  b.skip(cpLength(before.slice(0, prefix)));
  const deleted = before.slice(prefix, before.length - suffix);
  if (deleted) b.push({ k: 'd', n: cpLength(deleted), t: deleted });
  const inserted = after.slice(prefix, after.length - suffix);
  if (inserted) b.push({ k: 'i', n: cpLength(inserted), t: inserted });
  return b.build();
}

/** True when the op is the no-op `[]`. */
export const isNoop = (op) => normalize(op).length === 0;
