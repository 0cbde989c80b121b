// Every error code, thrown by the sync methods and rejected by the async ones, with `code`,
// a message, and `instanceof Error`.
import { test, describe } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtempSync, writeFileSync, mkdirSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { nv, fixture, fixtureVerifier, REFERENCE, STRICT_POLICY, FIXTURES, MANIFEST_DESCRIPTOR } from './helpers.mjs'

const verifier = fixtureVerifier()
const envelope = fixture('envelopes/p256.jws')

/** Asserts that `fn` throws an Error with `code`. */
/** Asserts that `e` is one of ours: an Error whose `code` is the shared code (the CLI's, Python's,
 * C's) and whose deprecated `legacyCode` is the 0.1 spelling. */
const isCoded = (e, code, message) => {
  assert.ok(e instanceof Error)
  assert.equal(e.code, code)
  assert.equal(e.legacyCode, `NOTAVERIFY_${code}`)
  if (message) assert.match(e.message, message)
  return true
}

const throwsCode = (fn, code, message) => assert.throws(fn, (e) => isCoded(e, code, message))

const rejectsCode = (promise, code, message) => assert.rejects(promise, (e) => isCoded(e, code, message))

describe('POLICY', () => {
  test('an invalid trust policy document', () => {
    throwsCode(() => nv.TrustPolicy.fromJson('{"version":"1.0","trustPolicies":[]}'), 'POLICY')
    throwsCode(() => nv.TrustPolicy.fromJson('not json'), 'POLICY')
    const badLevel = structuredClone(STRICT_POLICY)
    badLevel.trustPolicies[0].signatureVerification.level = 'lenient'
    throwsCode(() => nv.TrustPolicy.fromJson(badLevel), 'POLICY', /lenient/)
    throwsCode(() => nv.BlobTrustPolicy.fromJson({ version: '1.0' }), 'POLICY')
  })
})

describe('NO_APPLICABLE_POLICY', () => {
  test('an unknown blob policy statement name', async () => {
    const blob = fixture('blob/example.txt')
    throwsCode(() => verifier.verifyBlob(blob, fixture('envelopes/blob.jws'), { policyName: 'nope' }), 'NO_APPLICABLE_POLICY', /nope/)
    await rejectsCode(verifier.verifyBlobAsync(blob, fixture('envelopes/blob.jws'), { policyName: 'nope' }), 'NO_APPLICABLE_POLICY')
  })
})

test('NO_APPLICABLE_POLICY: no statement covers the repository', async () => {
  const scoped = structuredClone(STRICT_POLICY)
  scoped.trustPolicies[0].registryScopes = ['registry.example/other']
  const v = new nv.Verifier(nv.TrustPolicy.fromJson(scoped), nv.TrustStore.fromConfigDir(FIXTURES))
  throwsCode(() => v.verify(REFERENCE, envelope), 'NO_APPLICABLE_POLICY')
  await rejectsCode(v.verifyAsync(REFERENCE, envelope), 'NO_APPLICABLE_POLICY')
})

describe('TRUST_STORE', () => {
  test('an unknown store type', () => {
    const store = new nv.TrustStore()
    throwsCode(() => store.add('root', 'x', fixture('pki/p256/root.pem')), 'TRUST_STORE', /unknown trust store type/)
  })
  test('bytes that hold no certificate', () => {
    throwsCode(() => new nv.TrustStore().add('ca', 'x', Buffer.from('not a certificate')), 'TRUST_STORE')
  })
  test('an invalid store name', () => {
    throwsCode(() => new nv.TrustStore().add('ca', 'a/b', fixture('pki/p256/root.pem')), 'TRUST_STORE')
  })
})

describe('ENVELOPE', () => {
  test('bytes that are neither a JWS nor a COSE_Sign1, without mediaType', async () => {
    throwsCode(() => verifier.verify(REFERENCE, Buffer.from('garbage')), 'ENVELOPE', /mediaType/)
    await rejectsCode(verifier.verifyAsync(REFERENCE, Buffer.from('garbage')), 'ENVELOPE')
  })
})

describe('INVALID_INPUT', () => {
  test('a reference without a digest', async () => {
    throwsCode(() => verifier.verify('registry.example/app:v1', envelope), 'INVALID_INPUT', /digest/)
    await rejectsCode(verifier.verifyAsync('registry.example/app:v1', envelope), 'INVALID_INPUT')
    await rejectsCode(verifier.verifyArtifactAsync('registry.example/app@sha256:00', [envelope]), 'INVALID_INPUT')
  })
  test('a descriptor that contradicts the reference', () => {
    const descriptor = { mediaType: 'application/vnd.oci.image.manifest.v1+json', digest: `sha256:${'0'.repeat(64)}`, size: 1 }
    throwsCode(() => verifier.verify(REFERENCE, envelope, { descriptor }), 'INVALID_INPUT')
  })
  test('a bad time', () => {
    throwsCode(() => verifier.verify(REFERENCE, envelope, { at: 'yesterday' }), 'INVALID_INPUT', /at/)
    throwsCode(() => verifier.verify(REFERENCE, envelope, { at: new Date('nope') }), 'INVALID_INPUT')
    throwsCode(() => verifier.verify(REFERENCE, envelope, { at: 5 }), 'INVALID_INPUT')
  })
  test('maxSignatures 0', () => {
    throwsCode(() => verifier.verifyArtifact(REFERENCE, [envelope], { maxSignatures: 0 }), 'INVALID_INPUT')
  })
  test('a verifier without the policy the method needs', () => {
    const store = nv.TrustStore.fromConfigDir(FIXTURES)
    throwsCode(() => new nv.Verifier(null, store).verify(REFERENCE, envelope), 'INVALID_INPUT', /no OCI trust policy/)
    const ociOnly = new nv.Verifier(nv.TrustPolicy.fromJson(STRICT_POLICY), store)
    throwsCode(() => ociOnly.verifyBlob(fixture('blob/example.txt'), fixture('envelopes/blob.jws')), 'INVALID_INPUT', /blob trust policy/)
  })
  test('options.blobPolicy of the wrong class', () => {
    throwsCode(() => new nv.Verifier(null, new nv.TrustStore(), { blobPolicy: {} }), 'INVALID_INPUT')
  })
})

// napi would read these as an empty map (a string as its characters): user metadata given by
// mistake would require nothing, and the signature verify.
test('userMetadata and annotations that are not plain objects are refused', () => {
  const envelope = fixture('envelopes/metadata.jws')
  for (const wrong of [3, true, 'buildId', [], [['buildId', '101']], new Map([['buildId', '101']]), new Date(0), new String('x')]) {
    const refused = (e) => e.code === 'ObjectExpected' && /plain object/.test(e.message)
    assert.throws(() => verifier.verify(REFERENCE, envelope, { userMetadata: wrong }), refused, String(wrong))
    // As every argument of the wrong type, before any work: thrown, not a rejected promise.
    assert.throws(() => verifier.verifyAsync(REFERENCE, envelope, { userMetadata: wrong }), refused, String(wrong))
    assert.throws(() => verifier.verifyArtifact(REFERENCE, [envelope], { userMetadata: wrong }), refused, String(wrong))
    assert.throws(() => verifier.verifyBlob(fixture('blob/example.txt'), fixture('envelopes/blob.jws'), { userMetadata: wrong }), refused, String(wrong))
    const descriptor = { ...MANIFEST_DESCRIPTOR, annotations: wrong }
    assert.throws(() => verifier.verify(REFERENCE, envelope, { descriptor }), refused, String(wrong))
  }
  // A plain object, also without a prototype, is a requirement: buildId 102 is not what was signed.
  for (const metadata of [{ buildId: '102' }, Object.assign(Object.create(null), { buildId: '102' })]) {
    assert.equal(verifier.verify(REFERENCE, envelope, { userMetadata: metadata }).signatures[0].failure, 'userMetadata')
  }
})

// The reference is read as UTF-16 (src/convert.rs, `Text`): what is not ASCII reaches the core
// as it was given, a lone surrogate as U+FFFD (as napi's own reading of strings).
test('a reference that is not ASCII reaches the core as given', async () => {
  const digest = REFERENCE.slice(REFERENCE.indexOf('@'))
  for (const [given, named] of [['régistry.example/app', 'régistry.example/app'], ['registry.example/ap\u{1d11e}p', 'registry.example/ap\u{1d11e}p'], ['registry.example/a\ud800p', 'registry.example/a\ufffdp']]) {
    const refused = (e) => e.code === 'POLICY' && e.message.includes(JSON.stringify(named + digest))
    assert.throws(() => verifier.verify(given + digest, envelope), refused, given)
    await assert.rejects(verifier.verifyAsync(given + digest, envelope), refused, given)
  }
})

describe('LOAD', () => {
  test('a missing policy file, a directory with no policy, a missing trust-store directory', async () => {
    const empty = mkdtempSync(path.join(tmpdir(), 'notaverify-node-'))
    throwsCode(() => nv.TrustPolicy.fromFile(path.join(empty, 'trustpolicy.json')), 'LOAD')
    throwsCode(() => nv.BlobTrustPolicy.fromFile(empty), 'LOAD')
    throwsCode(() => nv.Verifier.fromConfigDir(empty), 'LOAD', /no trust policy/)
    throwsCode(() => nv.TrustStore.fromConfigDir(path.join(empty, 'missing')), 'LOAD')
    await rejectsCode(verifier.verifyOciLayoutAsync(empty, { reference: 'v1', scope: 'registry.example/app' }), 'LOAD')
  })
  test('a policy file that is a directory', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'notaverify-node-'))
    mkdirSync(path.join(dir, 'trustpolicy.oci.json'))
    throwsCode(() => nv.Verifier.fromConfigDir(dir), 'LOAD')
  })
  test('a config dir whose policy names a store that is not there loads, and fails authenticity', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'notaverify-node-'))
    writeFileSync(path.join(dir, 'trustpolicy.oci.json'), JSON.stringify(STRICT_POLICY))
    mkdirSync(path.join(dir, 'truststore', 'x509', 'ca'), { recursive: true })
    const o = nv.Verifier.fromConfigDir(dir).verify(REFERENCE, envelope)
    assert.equal(o.verified, false)
    assert.equal(o.signatures[0].failure, 'authenticity')
  })
})

test('LIMIT_EXCEEDED: maxSignatures above the hard limit', async () => {
  throwsCode(() => verifier.verifyArtifact(REFERENCE, [envelope], { maxSignatures: 1_000_000 }), 'LIMIT_EXCEEDED')
  await rejectsCode(verifier.verifyArtifactAsync(REFERENCE, [envelope], { maxSignatures: 1_000_000 }), 'LIMIT_EXCEEDED')
})

test('INTERNAL: a panic becomes an error, never a pass', () => {
  throwsCode(() => nv.faultInjectionPanic(), 'INTERNAL', /fault injection/)
})

test('wrong argument types are napi’s own errors, thrown before any work (also by ...Async)', () => {
  const notOurs = (e) => e instanceof Error && typeof e.code === 'string' && !('legacyCode' in e)
  assert.throws(() => verifier.verify(REFERENCE, 'a string'), notOurs)
  assert.throws(() => verifier.verify(42, envelope), notOurs)
  assert.throws(() => verifier.verifyAsync(REFERENCE, [1, 2, 3]), notOurs)
})

test('...Async methods reject (never throw) for a request that cannot be evaluated', () => {
  const p = verifier.verifyAsync('no-digest', Buffer.from('garbage'))
  assert.ok(p instanceof Promise)
  return rejectsCode(p, 'ENVELOPE')
})
