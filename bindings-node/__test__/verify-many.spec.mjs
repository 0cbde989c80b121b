// verifyMany / verifyManyAsync: verifyArtifact for many artifacts at once, in parallel. Each
// result is `{ outcome }` or `{ error }` (the error verifyArtifact throws for that item).
import { test, describe } from 'node:test'
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { nv, fixture, fixtureVerifier, REFERENCE, REPO, MANIFEST_DESCRIPTOR } from './helpers.mjs'

const verifier = fixtureVerifier()
const AT = '2030-01-01T00:00:00Z'

/** [item, verified]: every optional key, several envelopes per item. */
const ITEMS = [
  [{ reference: REFERENCE, envelopes: [fixture('envelopes/p256.jws')] }, true],
  [{ reference: REFERENCE, envelopes: [fixture('envelopes/untrusted.jws'), fixture('envelopes/p256.cose')] }, true],
  [{ reference: REFERENCE, envelopes: [fixture('envelopes/expired.jws')] }, false],
  [{ reference: REFERENCE, envelopes: [fixture('envelopes/rsa2048.cose')], descriptor: MANIFEST_DESCRIPTOR }, true],
  [{ reference: REFERENCE, envelopes: [fixture('envelopes/p384.jws')], mediaType: 'jws' }, true],
  [{ reference: REFERENCE, envelopes: [fixture('envelopes/metadata.jws')], userMetadata: { buildId: '101' } }, true],
  [{ reference: REFERENCE, envelopes: [fixture('envelopes/metadata.cose')], userMetadata: { buildId: '102' } }, false],
  [{ reference: REFERENCE, envelopes: [fixture('envelopes/untrusted.jws'), fixture('envelopes/p256.jws')], maxSignatures: 1 }, false],
  [{ reference: REFERENCE, envelopes: [] }, false],
  [{ reference: REFERENCE, envelopes: [fixture('envelopes/tampered/p256-signature.jws')] }, false],
]
const items = ITEMS.map(([item]) => item)

/** What verifyArtifact gives for `item`, in the shape of a verifyMany result. */
function alone(v, item, options) {
  const { reference, envelopes, ...rest } = item
  try {
    return { outcome: v.verifyArtifact(reference, envelopes, { ...rest, ...options }) }
  } catch (error) {
    return { error }
  }
}

/** A result with its error as plain fields (deepEqual compares Errors by message and name only). */
const comparable = (r) => ('error' in r ? { error: { name: r.error.name, code: r.error.code, message: r.error.message } } : r)

describe('results equal verifyArtifact per item, in order', () => {
  test('verifyMany', () => {
    const results = verifier.verifyMany(items, { at: AT })
    assert.equal(results.length, items.length)
    results.forEach((r, i) => assert.deepEqual(r, alone(verifier, items[i], { at: AT })))
    assert.deepEqual(results.map((r) => r.outcome.verified), ITEMS.map(([, verified]) => verified))
  })
  test('verifyManyAsync', async () => {
    const results = await verifier.verifyManyAsync(items, { at: AT })
    assert.deepEqual(results, verifier.verifyMany(items, { at: AT }))
  })
  test('an empty batch', async () => {
    assert.deepEqual(verifier.verifyMany([]), [])
    assert.deepEqual(await verifier.verifyManyAsync([]), [])
  })
})

describe('an item that cannot be evaluated fails alone', () => {
  const mixed = [
    { reference: REFERENCE, envelopes: [fixture('envelopes/p256.jws')] },
    { reference: 'registry.example/app:v1', envelopes: [fixture('envelopes/p256.jws')] }, // no digest
    { reference: REFERENCE, envelopes: [fixture('envelopes/p256.cose')] },
    { reference: REFERENCE, envelopes: [Buffer.from('garbage')] }, // no media type to infer
    { reference: REFERENCE, envelopes: [fixture('envelopes/p256.jws')], maxSignatures: 0 },
    { reference: REFERENCE, envelopes: [fixture('envelopes/rsa2048.jws')] },
  ]
  const check = (results) => {
    assert.deepEqual(results.map((r) => Object.keys(r)), [['outcome'], ['error'], ['outcome'], ['error'], ['error'], ['outcome']])
    assert.deepEqual(results.filter((r) => 'outcome' in r).map((r) => r.outcome.verified), [true, true, true])
    const codes = results.filter((r) => 'error' in r).map((r) => r.error.code)
    assert.deepEqual(codes, ['INVALID_INPUT', 'ENVELOPE', 'INVALID_INPUT'])
    results.forEach((r, i) => {
      if ('error' in r) assert.ok(r.error instanceof Error)
      assert.deepEqual(comparable(r), comparable(alone(verifier, mixed[i])))
    })
  }
  test('verifyMany', () => check(verifier.verifyMany(mixed)))
  test('verifyManyAsync', async () => check(await verifier.verifyManyAsync(mixed)))
})

test('1, 2 and the default number of threads give equal results', async () => {
  const many = Array.from({ length: 8 }, () => items).flat()
  const byDefault = verifier.verifyMany(many)
  assert.equal(byDefault.length, many.length)
  for (const threads of [1, 2]) {
    assert.deepEqual(verifier.verifyMany(many, { threads }), byDefault)
    assert.deepEqual(await verifier.verifyManyAsync(many, { threads }), byDefault)
  }
})

test('at and revocation apply to every item', () => {
  const expired = { reference: REFERENCE, envelopes: [fixture('envelopes/expired.jws')] }
  const verdicts = (results) => results.map((r) => r.outcome.verified)
  assert.deepEqual(verdicts(verifier.verifyMany([expired, expired])), [false, false])
  assert.deepEqual(verdicts(verifier.verifyMany([expired, expired], { at: '2025-06-01T13:00:00Z' })), [true, true])

  const revocation = path.join(REPO, 'core', 'tests', 'revocation')
  const store = new nv.TrustStore()
  store.add('ca', 'revocation', readFileSync(path.join(revocation, 'pki', 'root.pem')))
  const policy = nv.TrustPolicy.fromJson({
    version: '1.0',
    trustPolicies: [{ name: 'revocation', registryScopes: ['*'], signatureVerification: { level: 'strict' }, trustStores: ['ca:revocation'], trustedIdentities: ['*'] }],
  })
  const evidence = (name) => {
    const e = new nv.RevocationEvidence()
    e.addCrl(readFileSync(path.join(revocation, 'crl', `${name}.crl`)))
    return e
  }
  const withRootCrl = new nv.Verifier(policy, store, { revocation: evidence('root-good') })
  const leafCrl = { reference: REFERENCE, envelopes: [readFileSync(path.join(revocation, 'envelopes', 'leaf-crl.jws'))] }
  const at = '2026-01-01T00:00:00Z'
  assert.deepEqual(verdicts(withRootCrl.verifyMany([leafCrl, leafCrl], { at })), [false, false])
  assert.deepEqual(verdicts(withRootCrl.verifyMany([leafCrl, leafCrl], { at, revocation: evidence('inter-good') })), [true, true])
})

describe('bad arguments throw before anything is verified', () => {
  const good = { reference: REFERENCE, envelopes: [fixture('envelopes/p256.jws')] }
  const notOurs = (e) => e instanceof Error && typeof e.code === 'string' && !('legacyCode' in e)
  const malformed = [
    { envelopes: [] }, // no reference
    { reference: REFERENCE }, // no envelopes
    { reference: 42, envelopes: [] },
    { reference: REFERENCE, envelopes: fixture('envelopes/p256.jws') }, // one envelope, not an array
    { reference: REFERENCE, envelopes: ['sig.jws'] },
    { reference: REFERENCE, envelopes: [], maxSignatures: 'all' },
    'registry.example/app@sha256:…',
  ]
  test('a malformed item: napi’s own error, also from verifyManyAsync', () => {
    for (const item of malformed) {
      assert.throws(() => verifier.verifyMany([good, item]), notOurs, JSON.stringify(item))
      assert.throws(() => verifier.verifyManyAsync([good, item]), notOurs, JSON.stringify(item))
    }
    assert.throws(() => verifier.verifyMany(good), notOurs)
  })
  test('bad batch options: thrown by verifyMany, rejected by verifyManyAsync', async () => {
    for (const [options, code, message] of [
      [{ threads: 0 }, 'INVALID_INPUT', /threads/],
      [{ threads: -1 }, 'INVALID_INPUT', /threads/],
      [{ at: 'yesterday' }, 'INVALID_INPUT', /at/],
      [{ revocation: {} }, 'INVALID_INPUT', /revocation/],
    ]) {
      const matches = (e) => e instanceof Error && e.code === code && message.test(e.message)
      assert.throws(() => verifier.verifyMany([good], options), matches)
      await assert.rejects(verifier.verifyManyAsync([good], options), matches)
    }
  })
})
