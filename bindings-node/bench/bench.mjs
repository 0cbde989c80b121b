#!/usr/bin/env node
// Verify cost from Node versus Rust, in one run:
//   native  `benchVerifyNative(n)`: n verifications in a Rust loop (the core's cost: the request
//           built from the envelope bytes, whose digest the outcome reports, and verified)
//   sync    n calls of `verifier.verify` (conversions + outcome objects on top), reading `verified`
//   +sigs   the same, also reading `signatures` (built on first read)
//   async   n `verifyAsync` calls, 64 in flight (libuv pool; wall time per verification)
// native, sync and +sigs run in alternating blocks of n/rounds calls, so all three see the same
// machine load; each time is the median over the blocks, and sync/native the median of the
// ratios of adjacent blocks (as bindings-python/bench/bench_verify.py: robust against other
// processes on a shared machine). Then async throughput with UV_THREADPOOL_SIZE=1 and 2 (child
// processes: the pool size is fixed at the first use of the pool).
//
// With `--against OTHER.node` (another build of the addon, e.g. of an earlier commit), its
// native and sync blocks run in the same alternation, and a second line per envelope gives its
// sync/native and the median ratio of this build's sync blocks to its adjacent ones.
//
//   node bench/bench.mjs [--n 2000] [--rounds 41] [--envelope p256.jws] [--against OTHER.node]
//
// Build with `npm run build` (release) first: a debug build measures the debug core.
import { createRequire } from 'node:module'
import { readFileSync } from 'node:fs'
import { spawnSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import path from 'node:path'

const require = createRequire(import.meta.url)
const nv = require('../index.js')
const here = path.dirname(fileURLToPath(import.meta.url))
const FIXTURES = path.resolve(here, '..', '..', 'core', 'tests', 'fixtures')
const REFERENCE = 'registry.example/app@sha256:4be9476c654deb6accec91e0cbe4b076a38fbf23db4abb0904f02e43c1432921'
const AT = '2030-01-01T00:00:00Z'

const { values } = parseArgs({
  options: {
    n: { type: 'string', default: '2000' },
    rounds: { type: 'string', default: '41' },
    envelope: { type: 'string', multiple: true },
    against: { type: 'string' },
    child: { type: 'string' }, // internal: async throughput only, printed as JSON
  },
})
const n = Number(values.n)
const rounds = Number(values.rounds)
const envelopes = values.envelope ?? ['p256.jws', 'rsa2048.cose', 'p384.jws']
const verifier = nv.Verifier.fromConfigDir(FIXTURES)
const other = values.against && require(path.resolve(values.against))
const otherVerifier = other && other.Verifier.fromConfigDir(FIXTURES)
const load = (name) => readFileSync(path.join(FIXTURES, 'envelopes', name))

async function asyncRun(envelope, count, inFlight = 64) {
  let next = 0
  const worker = async () => {
    while (next < count) {
      next++
      const o = await verifier.verifyAsync(REFERENCE, envelope, { at: AT })
      if (!o.verified) throw new Error('did not verify')
    }
  }
  const start = process.hrtime.bigint()
  await Promise.all(Array.from({ length: inFlight }, worker))
  return Number(process.hrtime.bigint() - start) / 1e9
}

if (values.child) {
  const envelope = load(values.child)
  await asyncRun(envelope, Math.min(n, 200)) // warm-up
  const secs = await asyncRun(envelope, n)
  console.log(JSON.stringify({ opsPerSec: n / secs }))
  process.exit(0)
}

const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1]
const us = (secs, count = 1) => ((secs / count) * 1e6).toFixed(1).padStart(8)
console.log(`notaverify ${nv.VERSION} (${nv.cryptoBackend()}), node ${process.version}, n=${n} per row (${rounds} rounds)`)
console.log('envelope          native µs    sync µs   +sigs µs   async µs   sync/native   async ops/s @ UV_THREADPOOL_SIZE=1    =2')
for (const name of envelopes) {
  const envelope = load(name)
  // Warm-up, and a check that it verifies at all.
  if (!verifier.verify(REFERENCE, envelope, { at: AT }).verified) throw new Error(`${name} does not verify`)
  nv.benchVerifyNative(verifier, REFERENCE, envelope, Math.min(n, 200), AT)

  // Seconds per call in each block.
  const per = Math.max(1, Math.round(n / rounds))
  const timed = (loop) => {
    const start = process.hrtime.bigint()
    loop()
    return Number(process.hrtime.bigint() - start) / 1e9 / per
  }
  const blocks = { native: [], sync: [], withSignatures: [], otherNative: [], otherSync: [] }
  for (let r = 0; r < rounds; r++) {
    if (other) {
      blocks.otherNative.push(other.benchVerifyNative(otherVerifier, REFERENCE, envelope, per, AT) / per)
      blocks.otherSync.push(
        timed(() => {
          for (let i = 0; i < per; i++) if (!otherVerifier.verify(REFERENCE, envelope, { at: AT }).verified) throw new Error('did not verify')
        }),
      )
    }
    blocks.native.push(nv.benchVerifyNative(verifier, REFERENCE, envelope, per, AT) / per)
    blocks.sync.push(
      timed(() => {
        for (let i = 0; i < per; i++) if (!verifier.verify(REFERENCE, envelope, { at: AT }).verified) throw new Error('did not verify')
      }),
    )
    blocks.withSignatures.push(
      timed(() => {
        for (let i = 0; i < per; i++) if (verifier.verify(REFERENCE, envelope, { at: AT }).signatures.length !== 1) throw new Error('no signature')
      }),
    )
  }
  const [native, sync, withSignatures] = [blocks.native, blocks.sync, blocks.withSignatures].map(median)
  const ratio = median(blocks.sync.map((t, r) => t / blocks.native[r]))
  const asyncSecs = await asyncRun(envelope, n)

  const pool = [1, 2].map((size) => {
    const r = spawnSync(process.execPath, [fileURLToPath(import.meta.url), '--child', name, '--n', String(n)], {
      env: { ...process.env, UV_THREADPOOL_SIZE: String(size) },
      encoding: 'utf8',
    })
    if (r.status !== 0) throw new Error(r.stderr)
    return JSON.parse(r.stdout).opsPerSec
  })
  console.log(
    `${name.padEnd(16)}${us(native)}   ${us(sync)}   ${us(withSignatures)}   ${us(asyncSecs, n)}   ${ratio.toFixed(2).padStart(11)}` +
      `   ${pool[0].toFixed(0).padStart(35)}  ${pool[1].toFixed(0).padStart(5)}`,
  )
  if (other) {
    const otherRatio = median(blocks.otherSync.map((t, r) => t / blocks.otherNative[r]))
    const thisOverOther = median(blocks.sync.map((t, r) => t / blocks.otherSync[r]))
    console.log(
      `  against ${values.against}: native ${us(median(blocks.otherNative))}, sync ${us(median(blocks.otherSync))}, ` +
        `sync/native ${otherRatio.toFixed(2)}; this build's sync / its sync ${thisOverOther.toFixed(3)}`,
    )
  }
}
