// The ...Async methods: same outcomes as the sync ones, many in flight at once on the libuv
// pool, the event loop kept free meanwhile, cancellation through an AbortSignal.
import { test, describe } from 'node:test'
import assert from 'node:assert/strict'
import { nv, fixture, cases, fixtureVerifier, REFERENCE, FIXTURES } from './helpers.mjs'

const verifier = fixtureVerifier()
const ociCases = cases.filter((c) => c.kind === 'oci')

describe('async outcomes equal sync outcomes', () => {
  test('every OCI case, all in flight at once', async () => {
    const envelopes = ociCases.map((c) => fixture(c.file))
    const expected = envelopes.map((e) => verifier.verify(REFERENCE, e))
    const got = await Promise.all(envelopes.map((e) => verifier.verifyAsync(REFERENCE, e)))
    assert.deepEqual(got, expected)
  })
  test('verifyArtifactAsync and verifyBlobAsync', async () => {
    const envs = [fixture('envelopes/untrusted.jws'), fixture('envelopes/p256.cose')]
    assert.deepEqual(await verifier.verifyArtifactAsync(REFERENCE, envs), verifier.verifyArtifact(REFERENCE, envs))
    const blob = fixture('blob/example.txt')
    const sig = fixture('envelopes/blob-p384.cose')
    const o = await verifier.verifyBlobAsync(blob, sig, { name: 'example.txt' })
    assert.equal(o.verified, true)
    assert.deepEqual(o, verifier.verifyBlob(blob, sig, { name: 'example.txt' }))
  })
  test('the verifier and inputs can be dropped while tasks run', async () => {
    const promises = []
    {
      const v = nv.Verifier.fromConfigDir(FIXTURES)
      for (let i = 0; i < 32; i++) promises.push(v.verifyAsync(REFERENCE, new Uint8Array(fixture('envelopes/rsa2048.jws'))))
    }
    globalThis.gc?.()
    const outcomes = await Promise.all(promises)
    assert.ok(outcomes.every((o) => o.verified))
  })
})

describe('concurrency', () => {
  test('500 mixed verifications in flight: each gets its own verdict', async () => {
    const picks = Array.from({ length: 500 }, (_, i) => ociCases[(i * 7) % ociCases.length])
    const expected = new Map(ociCases.map((c) => [c.file, verifier.verify(REFERENCE, fixture(c.file))]))
    const got = await Promise.all(picks.map((c) => verifier.verifyAsync(REFERENCE, fixture(c.file))))
    got.forEach((o, i) => assert.deepEqual(o, expected.get(picks[i].file)))
  })

  test('the event loop keeps ticking while verifications run', async () => {
    const envelope = fixture('envelopes/p521.cose') // the slowest algorithm
    let ticks = 0
    let maxGap = 0
    let last = performance.now()
    const timer = setInterval(() => {
      const now = performance.now()
      maxGap = Math.max(maxGap, now - last)
      last = now
      ticks++
    }, 2)
    const start = performance.now()
    let done = 0
    let waves = 0
    // Waves of 128 in flight, for at least 300 ms.
    while (performance.now() - start < 300) {
      const wave = await Promise.all(Array.from({ length: 128 }, () => verifier.verifyAsync(REFERENCE, envelope)))
      done += wave.filter((o) => o.verified).length
      waves++
    }
    const elapsed = performance.now() - start
    clearInterval(timer)
    assert.equal(done, waves * 128)
    // A blocked loop could tick at most about once between waves; a free one ticks all along.
    const detail = `${ticks} ticks, ${waves} waves, ${done} verifications in ${elapsed.toFixed(0)} ms, longest gap ${maxGap.toFixed(0)} ms`
    assert.ok(ticks > 3 * waves + 5, detail)
  })

  test('by contrast, the sync method blocks the loop (the test above is meaningful)', async () => {
    const envelope = fixture('envelopes/p521.cose')
    let ticks = 0
    const timer = setInterval(() => ticks++, 1)
    const start = performance.now()
    while (performance.now() - start < 100) verifier.verify(REFERENCE, envelope)
    const during = ticks
    clearInterval(timer)
    assert.equal(during, 0)
  })
})

describe('AbortSignal', () => {
  test('queued verifications are cancelled with an AbortError; started ones finish', async () => {
    const controller = new AbortController()
    const envelope = fixture('envelopes/p521.jws')
    const promises = Array.from({ length: 200 }, () => verifier.verifyAsync(REFERENCE, envelope, undefined, controller.signal))
    controller.abort()
    const results = await Promise.allSettled(promises)
    const aborted = results.filter((r) => r.status === 'rejected')
    for (const r of aborted) assert.equal(r.reason.name, 'AbortError')
    for (const r of results.filter((r) => r.status === 'fulfilled')) assert.equal(r.value.verified, true)
    assert.ok(aborted.length > 0, 'nothing was cancelled')
  })
})
