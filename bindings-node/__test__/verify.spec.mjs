// Verification outcomes over the core fixtures: every case of cases.json, each failing check,
// options (descriptor, user metadata, time), several signatures, blobs, and the CLI JSON shape.
import { test, describe } from 'node:test'
import assert from 'node:assert/strict'
import {
  nv, fixture, cases, fixtureVerifier, expectedFailure, REFERENCE, MANIFEST_DESCRIPTOR, STRICT_POLICY, FIXTURES,
} from './helpers.mjs'
import path from 'node:path'

const verifier = fixtureVerifier()

describe('every OCI case of cases.json gets notation-go’s verdict', () => {
  for (const c of cases.filter((c) => c.kind === 'oci')) {
    test(`${c.file} → ${c.expect}`, () => {
      const outcome = verifier.verify(REFERENCE, fixture(c.file), { mediaType: c.mediaType })
      assert.equal(outcome.reference, REFERENCE)
      assert.deepEqual(outcome.policy, { name: 'test-strict', level: 'strict' })
      assert.equal(outcome.policy.custom, false)
      assert.equal(outcome.signatures.length, 1)
      const sig = outcome.signatures[0]
      assert.equal(sig.mediaType, c.mediaType)
      // Where the spec and notation-go disagree (extended-critical), either verdict is accepted
      // here; the core's interop tests pin which one it gives.
      const expect = c.expectSpec && outcome.verified === false ? c.expectSpec : c.expect
      if (expect === 'valid') {
        assert.equal(outcome.verified, true, sig.error ?? '')
        assert.equal(outcome.error, null)
        assert.equal(sig.failure, null)
        assert.ok(sig.checks.every((r) => r.passed))
        assert.match(sig.signer.sha256Fingerprint, /^[0-9a-f]{64}$/)
      } else {
        assert.equal(outcome.verified, false)
        assert.equal(outcome.error.code, 'VERIFICATION_FAILED')
        assert.equal(sig.failure, expectedFailure(expect))
        assert.equal(typeof sig.error, 'string')
        const failed = sig.checks.find((r) => !r.passed)
        if (failed) assert.equal(failed.action, 'enforce')
      }
    })
  }
})

describe('each failing check is reported with its message', () => {
  const one = (file) => verifier.verify(REFERENCE, fixture(file)).signatures[0]
  test('integrity: tampered signature', () => {
    const s = one('envelopes/tampered/p256-signature.jws')
    assert.deepEqual(s.checks.map((c) => [c.type, c.passed]), [['integrity', false]])
    assert.equal(s.failure, 'integrity')
    assert.match(s.error, /signature/)
  })
  test('authenticity: untrusted root', () => {
    const s = one('envelopes/untrusted.cose')
    assert.equal(s.failure, 'authenticity')
    assert.equal(s.checks.find((c) => c.type === 'authenticity').passed, false)
    assert.match(s.signer.subject, /p256 leaf/)
  })
  test('expiry: expired signature', () => {
    const s = one('envelopes/expired.jws')
    assert.equal(s.failure, 'expiry')
    assert.match(s.checks.find((c) => c.type === 'expiry').error, /expired/)
  })
  test('authenticTimestamp: expired leaf certificate', () => {
    assert.equal(one('envelopes/expired-leaf.cose').failure, 'authenticTimestamp')
  })
  test('verification plugin required', () => {
    assert.equal(one('envelopes/plugin.jws').failure, 'verificationPlugin')
  })
  test('user metadata: present passes, different fails', () => {
    const env = fixture('envelopes/metadata.jws')
    const ok = verifier.verify(REFERENCE, env, { userMetadata: { buildId: '101' } })
    assert.equal(ok.verified, true)
    assert.deepEqual(ok.signatures[0].userMetadata, { buildId: '101', commit: 'abc' })
    const bad = verifier.verify(REFERENCE, env, { userMetadata: { buildId: '102' } })
    assert.equal(bad.verified, false)
    assert.equal(bad.signatures[0].failure, 'userMetadata')
  })
  test('target mismatch: the envelope signs another digest', () => {
    const s = one('envelopes/tampered/rsa2048-target-digest.cose')
    assert.equal(s.failure, 'integrity')
    assert.match(s.error, /content descriptor/)
  })
})

describe('options', () => {
  const env = fixture('envelopes/p256.cose')
  test('a descriptor is compared in full', () => {
    assert.equal(verifier.verify(REFERENCE, env, { descriptor: MANIFEST_DESCRIPTOR }).verified, true)
    const wrongSize = { ...MANIFEST_DESCRIPTOR, size: 563 }
    assert.equal(verifier.verify(REFERENCE, env, { descriptor: wrongSize }).verified, false)
  })
  test('the time is a Date or an RFC 3339 string', () => {
    const expired = fixture('envelopes/expired.jws')
    assert.equal(verifier.verify(REFERENCE, expired, { at: '2025-06-01T13:00:00Z' }).verified, true)
    assert.equal(verifier.verify(REFERENCE, expired, { at: new Date('2025-06-01T13:00:00Z') }).verified, true)
    assert.equal(verifier.verify(REFERENCE, expired, { at: new Date('2025-06-02T00:00:01Z') }).verified, false)
    // The leaf of expired-leaf.jws was valid 2020-01-01 .. 2021-01-01.
    const old = fixture('envelopes/expired-leaf.jws')
    assert.equal(verifier.verify(REFERENCE, old, { at: new Date(Date.UTC(2020, 5, 2)) }).verified, true)
  })
  test('the envelope media type is inferred, or given by alias', () => {
    const jws = fixture('envelopes/p256.jws')
    assert.equal(verifier.verify(REFERENCE, jws).signatures[0].mediaType, 'application/jose+json')
    assert.equal(verifier.verify(REFERENCE, env).signatures[0].mediaType, 'application/cose')
    assert.equal(verifier.verify(REFERENCE, env, { mediaType: 'cose' }).verified, true)
    // A wrong explicit media type is the caller's word: the envelope then fails integrity.
    assert.equal(verifier.verify(REFERENCE, env, { mediaType: 'jws' }).signatures[0].failure, 'integrity')
  })
  test('the signature digest is the sha256 of the envelope', async () => {
    const { createHash } = await import('node:crypto')
    const digest = 'sha256:' + createHash('sha256').update(env).digest('hex')
    assert.equal(verifier.verify(REFERENCE, env).signatures[0].digest, digest)
  })
  test('Buffer, Uint8Array and a subarray view all work', () => {
    const buf = fixture('envelopes/p384.jws')
    const padded = new Uint8Array(buf.length + 8)
    padded.set(buf, 4)
    for (const input of [buf, new Uint8Array(buf), padded.subarray(4, 4 + buf.length)]) {
      assert.equal(verifier.verify(REFERENCE, input).verified, true)
    }
  })
})

describe('verifyArtifact: several signatures, as notation verify', () => {
  const bad = fixture('envelopes/untrusted.jws')
  const good = fixture('envelopes/rsa3072.cose')
  test('tries in order and stops at the first that verifies', () => {
    const o = verifier.verifyArtifact(REFERENCE, [bad, good, bad])
    assert.equal(o.verified, true)
    assert.deepEqual(o.signatures.map((s) => s.verified), [false, true])
  })
  test('all failing', () => {
    const o = verifier.verifyArtifact(REFERENCE, [bad, bad])
    assert.equal(o.verified, false)
    assert.equal(o.error.code, 'VERIFICATION_FAILED')
    assert.equal(o.signatures.length, 2)
  })
  test('maxSignatures stops evaluation', () => {
    const o = verifier.verifyArtifact(REFERENCE, [bad, good], { maxSignatures: 1 })
    assert.equal(o.verified, false)
    assert.equal(o.error.code, 'MAX_SIGNATURES_EXCEEDED')
  })
  test('no signature', () => {
    const o = verifier.verifyArtifact(REFERENCE, [])
    assert.equal(o.verified, false)
    assert.equal(o.error.code, 'NO_SIGNATURE')
  })
})

describe('built by hand: TrustPolicy + TrustStore + Verifier', () => {
  const store = new nv.TrustStore()
  for (const kt of ['rsa2048', 'rsa3072', 'rsa4096', 'p256', 'p384', 'p521']) {
    assert.equal(store.add('ca', 'test-roots', fixture('truststore/x509/ca/test-roots', `${kt}-root.pem`)), 1)
  }
  store.add('signingAuthority', 'test-sa', fixture('truststore/x509/signingAuthority/test-sa/sa-root.pem'))

  test('from a parsed object, JSON text and bytes', () => {
    for (const doc of [STRICT_POLICY, JSON.stringify(STRICT_POLICY), Buffer.from(JSON.stringify(STRICT_POLICY))]) {
      const v = new nv.Verifier(nv.TrustPolicy.fromJson(doc), store)
      assert.equal(v.verify(REFERENCE, fixture('envelopes/p521.jws')).verified, true)
      assert.equal(v.verify(REFERENCE, fixture('envelopes/sa.cose')).verified, true)
    }
  })
  test('from files', () => {
    const v = new nv.Verifier(nv.TrustPolicy.fromFile(path.join(FIXTURES, 'trustpolicy.oci.json')), nv.TrustStore.fromConfigDir(FIXTURES))
    assert.equal(v.verify(REFERENCE, fixture('envelopes/rsa4096.cose')).verified, true)
  })
  test('a store that misses the signing-authority root fails authenticity', () => {
    const only = new nv.TrustStore()
    only.add('ca', 'test-roots', fixture('truststore/x509/ca/test-roots/p256-root.pem'))
    only.add('signingAuthority', 'test-sa', fixture('pki/other/root.pem'))
    const v = new nv.Verifier(nv.TrustPolicy.fromJson(STRICT_POLICY), only)
    assert.equal(v.verify(REFERENCE, fixture('envelopes/sa.jws')).signatures[0].failure, 'authenticity')
  })
  test('levels: audit logs the failure and passes; skip verifies nothing', () => {
    const withLevel = (level) => {
      const p = structuredClone(STRICT_POLICY)
      p.trustPolicies[0].signatureVerification.level = level
      if (level === 'skip') {
        delete p.trustPolicies[0].trustStores
        delete p.trustPolicies[0].trustedIdentities
      }
      return new nv.Verifier(nv.TrustPolicy.fromJson(p), store)
    }
    const audit = withLevel('audit').verify(REFERENCE, fixture('envelopes/untrusted.jws'))
    assert.equal(audit.verified, true)
    assert.deepEqual(audit.policy, { name: 'test-strict', level: 'audit' })
    assert.equal(audit.policy.custom, false)
    const logged = audit.signatures[0].checks.filter((c) => !c.passed)
    assert.deepEqual(logged.map((c) => [c.type, c.action]), [['authenticity', 'log']])
    assert.deepEqual(audit.loggedFailures, logged)
    assert.deepEqual(audit.signatures[0].loggedFailures, logged)
    assert.equal(audit.skipped, false)
    const skip = withLevel('skip').verify(REFERENCE, fixture('envelopes/tampered/p256-signature.jws'))
    assert.equal(skip.verified, true)
    assert.equal(skip.policy.level, 'skip')
    assert.equal(skip.skipped, true)
    assert.deepEqual(skip.signatures, [])
    assert.deepEqual(skip.loggedFailures, [])
  })
})

describe('verifyBlob', () => {
  const blob = fixture('blob/example.txt')
  const blobVerifier = new nv.Verifier(null, nv.TrustStore.fromConfigDir(FIXTURES), {
    blobPolicy: nv.BlobTrustPolicy.fromFile(path.join(FIXTURES, 'trustpolicy.blob.json')),
  })
  for (const v of [verifier, blobVerifier]) {
    test('valid JWS and COSE blob signatures (sha256 and sha384)', () => {
      for (const f of ['blob.jws', 'blob.cose', 'blob-p384.jws', 'blob-p384.cose']) {
        const o = v.verifyBlob(blob, fixture('envelopes', f), { name: 'example.txt' })
        assert.equal(o.verified, true, f)
        assert.equal(o.reference, 'example.txt')
      }
    })
  }
  test('a changed blob fails integrity', () => {
    const o = verifier.verifyBlob(Buffer.concat([blob, Buffer.from('!')]), fixture('envelopes/blob.jws'))
    assert.equal(o.verified, false)
    assert.equal(o.reference, 'blob')
    assert.equal(o.signatures[0].failure, 'integrity')
  })
  test('blobMediaType must match what was signed', () => {
    assert.equal(verifier.verifyBlob(blob, fixture('envelopes/blob.cose'), { blobMediaType: 'text/plain' }).verified, true)
    assert.equal(verifier.verifyBlob(blob, fixture('envelopes/blob.cose'), { blobMediaType: 'application/json' }).verified, false)
  })
  test('policyName picks the statement', () => {
    assert.equal(verifier.verifyBlob(blob, fixture('envelopes/blob.jws'), { policyName: 'test-strict' }).verified, true)
  })
})

describe('outcomes are the CLI JSON', () => {
  for (const file of ['envelopes/p256.jws', 'envelopes/expired.cose', 'envelopes/metadata.jws', 'envelopes/tampered/p256-payload.jws']) {
    test(file, () => {
      const opts = { at: '2030-01-01T00:00:00Z', userMetadata: { commit: 'abc' } }
      const outcome = verifier.verify(REFERENCE, fixture(file), opts)
      const core = JSON.parse(nv.verifyCoreJson(verifier, REFERENCE, fixture(file), opts))
      assert.deepEqual(JSON.parse(JSON.stringify(outcome)), core)
    })
  }
})

test('version and crypto backend', () => {
  assert.match(nv.VERSION, /^\d+\.\d+\.\d+/)
  assert.equal(typeof nv.cryptoBackend(), 'string')
})
