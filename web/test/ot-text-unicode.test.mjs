// The JavaScript port of text-unicode checked against the cases the reference (npm ot-text-unicode) generated, the
// same file the C# conformance tests run: tests/Stoa.Ot.Tests/conformance/sample-cases.json.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as ot from '../js/ot-text-unicode.js';

const casesPath = process.env.STOA_OT_CASES
  ?? fileURLToPath(new URL('../../tests/Stoa.Ot.Tests/conformance/sample-cases.json', import.meta.url));
const cases = JSON.parse(readFileSync(casesPath, 'utf8'));

test('apply matches the reference', () => {
  for (const c of cases.apply) assert.equal(ot.apply(c.str, c.op), c.result, JSON.stringify(c));
});

test('transform matches the reference', () => {
  for (const c of cases.transform) assert.deepEqual(ot.transform(c.op, c.otherOp, c.side), c.result, JSON.stringify(c));
});

test('compose matches the reference', () => {
  for (const c of cases.compose) assert.deepEqual(ot.compose(c.op1, c.op2), c.result, JSON.stringify(c));
});

test('invert and makeInvertible match the reference', () => {
  for (const c of cases.invert) assert.deepEqual(ot.invert(ot.makeInvertible(c.op, c.doc)), c.result, JSON.stringify(c));
  for (const c of cases.makeInvertible) assert.deepEqual(ot.makeInvertible(c.op, c.doc), c.result, JSON.stringify(c));
});

test('transformPosition matches the reference', () => {
  for (const c of cases.transformPosition) assert.equal(ot.transformPosition(c.cursor, c.op), c.result, JSON.stringify(c));
});

test('normalize matches the reference', () => {
  for (const c of cases.normalize) assert.deepEqual(ot.normalize(c.op), c.result, JSON.stringify(c));
});

test('transform converges (TP1) on the sample documents', () => {
  for (const c of cases.transform) {
    if (c.side !== 'left') continue;
    const left = ot.apply(ot.apply(c.doc, c.otherOp), ot.transform(c.op, c.otherOp, 'left'));
    const right = ot.apply(ot.apply(c.doc, c.op), ot.transform(c.otherOp, c.op, 'right'));
    assert.equal(left, right, JSON.stringify(c));
  }
});

test('diff turns one text into the other without splitting surrogate pairs', () => {
  const pairs = [['', 'abc'], ['abc', ''], ['a👍🏽b', 'a👍🏿b'], ['aa', 'aaa'], ['héllo', 'hello wörld'], ['🇫🇷', '🇯🇵']];
  for (const [before, after] of pairs) assert.equal(ot.apply(before, ot.diff(before, after)), after);
});

test('apply rejects ops that do not fit', () => {
  assert.throws(() => ot.apply('ab', [3, 'x']), RangeError);
  assert.throws(() => ot.apply('ab', [{ d: 'xy' }]), RangeError);
  assert.throws(() => ot.apply('ab', [0, 'x']), TypeError);
});
