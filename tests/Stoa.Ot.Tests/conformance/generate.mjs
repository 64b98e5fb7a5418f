// Writes conformance cases for Stoa.Ot computed by the reference implementation, ot-text-unicode.
//
//   node generate.mjs <out.json> [--seed N] [--count N]
//
// Like ot-text-unicode's own scripts/genTestData.js (which the npm package does not ship), it records what the
// reference's apply / transform / compose return (same field names: {str, op, result}, {op, otherOp, side, result},
// {op1, op2, result}), plus invert, makeInvertible, transformPosition and normalize. Unlike it, the randomness is
// seeded, so the same seed and package version always write the same file, and the text mixes ASCII, astral emoji
// (incl. ZWJ sequences, skin tones, flags), combining marks and CJK, so positions land inside grapheme clusters.
import { writeFileSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import otText from 'ot-text-unicode'

const { type } = otText
const require = createRequire(import.meta.url)
const version = JSON.parse(readFileSync(require.resolve('ot-text-unicode/package.json'), 'utf8')).version

const args = process.argv.slice(2)
const out = args.find(a => !a.startsWith('--') && !/^\d+$/.test(a))
const option = (name, fallback) => {
  const i = args.indexOf(`--${name}`)
  return i >= 0 ? Number(args[i + 1]) : fallback
}
if (!out) {
  console.error('usage: node generate.mjs <out.json> [--seed N] [--count N]')
  process.exit(2)
}
const seed = option('seed', 20261121)
const count = option('count', 500)

// mulberry32: tiny, seedable, good enough for test data.
let state = seed >>> 0
const random = () => {
  state = (state + 0x6d2b79f5) >>> 0
  let t = state
  t = Math.imul(t ^ (t >>> 15), t | 1)
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296
}
const randomInt = n => Math.floor(random() * n) // 0 .. n-1
const pick = list => list[randomInt(list.length)]

const pieces = [
  'a', 'b', 'c', 'x', 'y', 'z', ' ', ' ', '\n', 'hello ', 'world', 'Stoa',
  '😅', '🤖', '👻', '🤟', '💃', '𝐀', '👍🏽', '👩‍👩‍👧', '🇫🇷', '🇯🇵',
  'e\u0301', 'a\u0308', 'n\u0303', '\u0301', 'o\u0302\u0323',
  '漢', '字', '日本語', '한국어', 'ﬀ',
]
const randomText = maxPieces => {
  let s = ''
  const n = 1 + randomInt(maxPieces)
  for (let i = 0; i < n; i++) s += pick(pieces)
  return s
}
const codePoints = s => Array.from(s)

// A random op that fits doc (in code points); deletes carry their text half the time.
const randomOp = doc => {
  const chars = codePoints(doc)
  const op = []
  let pos = 0
  const steps = 1 + randomInt(4)
  for (let i = 0; i < steps; i++) {
    const skip = randomInt(Math.min(chars.length - pos, 8) + 1)
    if (skip > 0) op.push(skip)
    pos += skip
    const remaining = chars.length - pos
    if (remaining > 0 && randomInt(2) === 0) {
      const len = 1 + randomInt(Math.min(remaining, 6))
      const text = chars.slice(pos, pos + len).join('')
      op.push(randomInt(2) === 0 ? { d: len } : { d: text })
      pos += len
    }
    if (randomInt(3) !== 0) op.push(randomText(3))
  }
  if (chars.length > pos && randomInt(6) === 0) {
    // Sometimes insert at the very end, which the loop above rarely does.
    op.push(chars.length - pos, randomText(2))
  }
  return type.normalize(op)
}

const randomDoc = () => (randomInt(8) === 0 ? '' : randomText(12))

// Splits a normalized op into an equivalent unnormalized one: adjacent pieces of one kind, a trailing skip.
const denormalize = op => {
  const raw = []
  for (const c of op) {
    if (typeof c === 'number' && c > 1 && randomInt(2)) {
      const a = 1 + randomInt(c - 1)
      raw.push(a, c - a)
    } else if (typeof c === 'string' && codePoints(c).length > 1 && randomInt(2)) {
      const cps = codePoints(c)
      const a = 1 + randomInt(cps.length - 1)
      raw.push(cps.slice(0, a).join(''), cps.slice(a).join(''))
    } else if (typeof c === 'object' && typeof c.d === 'number' && c.d > 1 && randomInt(2)) {
      const a = 1 + randomInt(c.d - 1)
      raw.push({ d: a }, { d: c.d - a })
    } else {
      raw.push(typeof c === 'object' ? { d: c.d } : c)
    }
  }
  if (randomInt(2)) raw.push(1 + randomInt(5))
  return raw
}

const cases = { apply: [], transform: [], compose: [], invert: [], makeInvertible: [], transformPosition: [], normalize: [] }
for (let i = 0; i < count; i++) {
  const doc = randomDoc()
  const op = randomOp(doc)
  cases.apply.push({ str: doc, op, result: type.apply(doc, op) })

  const other = randomOp(doc)
  const side = randomInt(2) ? 'left' : 'right'
  cases.transform.push({ doc, op, otherOp: other, side, result: type.transform(op, other, side) })

  const op2 = randomOp(type.apply(doc, op))
  cases.compose.push({ doc, op1: op, op2, result: type.compose(op, op2) })

  cases.makeInvertible.push({ doc, op, result: type.makeInvertible(op, doc) })
  const invertible = type.makeInvertible(op, doc)
  cases.invert.push({ doc, op: invertible, result: type.invert(invertible) })

  const cursor = randomInt(codePoints(doc).length + 3)
  cases.transformPosition.push({ op, cursor, result: type.transformPosition(cursor, op) })

  cases.normalize.push({ op: denormalize(op), result: op })
}

const lines = [`{"generator":"generate.mjs","package":"ot-text-unicode@${version}","seed":${seed},"count":${count}`]
for (const [name, list] of Object.entries(cases)) {
  lines.push(`,"${name}":[`)
  lines.push(list.map(c => JSON.stringify(c)).join(',\n'))
  lines.push(']')
}
lines.push('}\n')
writeFileSync(out, lines.join('\n'))
console.log(`wrote ${out}: ${Object.values(cases).reduce((n, l) => n + l.length, 0)} cases (ot-text-unicode@${version}, seed ${seed})`)
