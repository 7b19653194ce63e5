// Fills in the expected events of conformance cases from Strudel, the oracle where it
// agrees with Tidal. Usage (from a scratch folder holding node_modules with
// @strudel/core@1.1.0 and @strudel/mini@1.1.0; never commit node_modules):
//
//   NODE_PATH=/path/to/scratch/node_modules node strudel.mjs ../cases/*.txt
//
// Each case is a block of `key: value` lines and event lines, blocks separated by blank
// lines (see ../cases/README.md). Blocks with `from: strudel` are queried as mini-notation;
// blocks with `from: strudel-js: EXPR` evaluate EXPR with Strudel's pattern functions and
// the Tidal-exact helpers below (used where Tidal's randomness or Euclid rotation differs
// from Strudel's); other blocks (`from: hand: …`, `from: tidal: …`) are left as written.

import { createRequire } from 'node:module';
import fs from 'node:fs';
import path from 'node:path';

const require = createRequire(path.join(process.env.NODE_PATH || process.cwd(), 'x.js'));
const resolve = (name) => require.resolve(name);
const log = console.log;
console.log = () => {}; // Strudel greets on load.
const core = await import(resolve('@strudel/core'));
const { mini } = await import(resolve('@strudel/mini'));
console.log = log;
const { Fraction, fastcat, silence, stack, slowcat, reify, pure } = core;

// Tidal's timeToRand, exactly (UI.hs): 64-bit xorshift on the scaled fractional part of
// t/300, computed on the rational time with BigInt.
const M = 1n << 29n;
const w64 = (v) => BigInt.asIntN(64, v);
const xorwise = (x) => {
  const a = w64((x << 13n) ^ x);
  const b = w64((a >> 17n) ^ a);
  return w64((b << 5n) ^ b);
};
const tidalTimeToRand = (t) => {
  const f = Fraction(t);
  if (Number(f.n) === 0) return 0.5;
  const n = BigInt(f.s) * BigInt(f.n);
  const d = BigInt(f.d) * 300n;
  const seed = xorwise(((n % d) * M) / d);
  return Number(((seed % M) + M) % M) / Number(M);
};
// Tidal's `sig` reads the function at the query's begin; Strudel 1.1.0's `signal` reads
// the midpoint, so the oracle builds its own.
const tsignal = (f) => new core.Pattern((state) => [new core.Hap(undefined, state.span, f(state.span.begin))]);
const trand = tsignal(tidalTimeToRand);
const seedShift = (seed) => Fraction(seed).div(10000);
// Tidal's `x?p` with its seed.
// Tidal keeps events where the number is >= p (Strudel: > p), so filter here.
const tdegrade = (pat, seed, amount = 0.5) =>
  reify(pat)
    .fmap((a) => (_) => a)
    .appLeft(trand.early(seedShift(seed)).filterValues((v) => v >= amount));
// Tidal's `a | b` with its seed: unwrap $ segment 1 $ chooseBy (rotL (seed/10000) rand).
const tchoose = (seed, ...pats) =>
  trand
    .early(seedShift(seed))
    .segment(1)
    .fmap((r) => reify(pats[Math.floor(r * pats.length) % pats.length]))
    .bind((x) => x);
// Tidal's `_euclidOff k n r`: fastcat of the pulses, rotated left by r/n.
const tbjork = (k, n) => {
  if (n - Math.abs(k) < 0) return Array(Math.abs(k)).fill(k >= 0 ? 1 : 0);
  return core.bjork ? core.bjork(k, n) : null;
};
const teuclid = (pat, k, n, r = 0) => {
  if (n === 0) return silence;
  const bools = tbjork(k, n);
  if (bools.length === 0) return silence;
  return fastcat(...bools.map((b) => (b ? reify(pat) : silence))).early(Fraction(r).div(n));
};
const trandPat = trand;
// Tidal's `when`: f applied in the cycles whose number passes test.
const twhen = (test, f, p) =>
  new core.Pattern((state) =>
    state.span.spanCycles.flatMap((span) =>
      (test(Math.floor(Number(Fraction(span.begin).valueOf()))) ? f(p) : p).query(state.setSpan(span)),
    ),
  );
// Tidal's sometimesBy x f p: degradeBy x p overlaid with f (unDegradeBy x p), rand unshifted.
const tsometimes = (x, f, p) =>
  stack(
    p.fmap((a) => (_) => a).appLeft(trand.filterValues((v) => v >= x)),
    f(p.fmap((a) => (_) => a).appLeft(trand.filterValues((v) => v < x))),
  );
// Tidal's gain multiplication (`|* gain g`): a missing gain becomes g.
const tgain = (p, g) => p.fmap((v) => ({ ...v, gain: (v.gain ?? 1) * g }));
const scope = { core, ...core, mini, m: mini, twhen, tsometimes, tgain, tidalTimeToRand, trand, trandPat, tsignal, tdegrade, tchoose, teuclid, Fraction, fastcat, silence, stack, slowcat, reify, pure };

const fmt = (f) => Fraction(f).toFraction();
const fmtValue = (v) => {
  if (Array.isArray(v)) return v.map(fmtValue).join(':');
  if (typeof v === 'number') return Object.is(v, -0) ? '0' : String(v);
  if (typeof v === 'object' && v !== null) {
    return Object.keys(v).sort().map((k) => `${k}=${fmtValue(v[k])}`).join(' ');
  }
  return String(v);
};

function events(pat, from, to) {
  const haps = pat.queryArc(Fraction(from), Fraction(to)).filter((h) => h.hasOnset());
  const rows = haps.map((h) => [Fraction(h.whole.begin), Fraction(h.whole.end), fmtValue(h.value)]);
  rows.sort((a, b) => a[0].compare(b[0]) || a[1].compare(b[1]));
  return rows.map(([b, e, v]) => `${fmt(b)} ${fmt(e)} ${v}`);
}

function evalJs(expr) {
  const f = new Function(...Object.keys(scope), `return (${expr});`);
  return f(...Object.values(scope));
}

for (const file of process.argv.slice(2)) {
  const text = fs.readFileSync(file, 'utf8');
  const blocks = text.split(/\n\s*\n/);
  const out = [];
  for (const block of blocks) {
    const lines = block.split('\n').filter((l) => l.length > 0);
    const keys = lines.filter((l) => /^[#a-z-]+:|^#/.test(l));
    const get = (k) => keys.find((l) => l.startsWith(k + ':'))?.slice(k.length + 1).trim();
    const from = get('from');
    if (!from || !(from === 'strudel' || from.startsWith('strudel-js:'))) {
      out.push(lines.join('\n'));
      continue;
    }
    const [a, b] = get('cycles').split('..');
    try {
      const pat = from === 'strudel' ? mini(get('mini')) : evalJs(from.slice('strudel-js:'.length).trim());
      out.push([...keys, ...events(pat, a, b)].join('\n'));
    } catch (e) {
      process.stderr.write(`${file}: ${get('mini') ?? get('expr')}: ${e.message}\n`);
      out.push(lines.join('\n'));
    }
  }
  fs.writeFileSync(file, out.filter((b) => b.length > 0).join('\n\n') + '\n');
}
