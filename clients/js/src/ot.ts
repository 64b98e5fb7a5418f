// The text-unicode OT type (the one the server runs, src/Stoa.Ot, checked against this same package), plus the
// string helpers an editor needs around it: positions in ops are Unicode code points, while DOM text fields and JS
// string indexes count UTF-16 units.
import { type as textUnicode } from 'ot-text-unicode';
import type { TextOp, TextOpComponent } from 'ot-text-unicode';

export type { TextOp, TextOpComponent };

export const apply = (text: string, op: TextOp): string => textUnicode.apply(text, op);
export const transform = (op: TextOp, other: TextOp, side: 'left' | 'right'): TextOp => textUnicode.transform(op, other, side);
export const compose = (first: TextOp, second: TextOp): TextOp => textUnicode.compose(first, second);
export const normalize = (op: TextOp): TextOp => textUnicode.normalize(op);
export const transformPosition = (cursor: number, op: TextOp): number => textUnicode.transformPosition(cursor, op);
export const isNoop = (op: TextOp): boolean => textUnicode.normalize(op).length === 0;

const isHigh = (c: number) => c >= 0xd800 && c <= 0xdbff;
const isLow = (c: number) => c >= 0xdc00 && c <= 0xdfff;

/** The length of `text` in code points (what op positions count). */
export function cpLength(text: string): number {
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    if (isHigh(text.charCodeAt(i)) && i + 1 < text.length && isLow(text.charCodeAt(i + 1))) i++;
    n++;
  }
  return n;
}

/** The UTF-16 index of code point `position` in `text` (its length when past the end). */
export function toUtf16Index(text: string, position: number): number {
  let index = 0;
  for (let n = 0; n < position && index < text.length; n++) {
    index += isHigh(text.charCodeAt(index)) && index + 1 < text.length && isLow(text.charCodeAt(index + 1)) ? 2 : 1;
  }
  return index;
}

/** The code point position of UTF-16 `index` in `text`, never inside a surrogate pair. */
export function fromUtf16Index(text: string, index: number): number {
  let end = Math.min(index, text.length);
  if (end > 0 && end < text.length && isHigh(text.charCodeAt(end - 1)) && isLow(text.charCodeAt(end))) end++;
  return cpLength(text.slice(0, end));
}

/**
 * The smallest op (one delete and one insert at most) that turns `before` into `after`: what a text field's input
 * event amounts to. The common prefix and suffix never end inside a surrogate pair.
 */
export function diff(before: string, after: string): TextOp {
  if (before === after) return [];
  const max = Math.min(before.length, after.length);
  let prefix = 0;
  while (prefix < max && before.charCodeAt(prefix) === after.charCodeAt(prefix)) prefix++;
  if (prefix > 0 && isHigh(before.charCodeAt(prefix - 1))) prefix--;
  let suffix = 0;
  while (suffix < max - prefix && before.charCodeAt(before.length - 1 - suffix) === after.charCodeAt(after.length - 1 - suffix)) suffix++;
  if (suffix > 0 && isLow(before.charCodeAt(before.length - suffix))) suffix--;
  const op: TextOp = [];
  const skip = cpLength(before.slice(0, prefix));
  if (skip > 0) op.push(skip);
  const deleted = before.slice(prefix, before.length - suffix);
  if (deleted) op.push({ d: deleted });
  const inserted = after.slice(prefix, after.length - suffix);
  if (inserted) op.push(inserted);
  return op;
}
