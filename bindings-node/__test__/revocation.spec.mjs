// Revocation evidence over the generated fixtures of core/tests/revocation (certificates that
// name CRL distribution points / an OCSP responder), as core/tests/revocation.rs and
// cli/tests/revocation_evidence.rs verify them.
import { test, describe } from 'node:test'
import assert from 'node:assert/strict'
import { createHash } from 'node:crypto'
import { mkdtempSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { nv, REPO, REFERENCE } from './helpers.mjs'

const DIR = path.join(REPO, 'core', 'tests', 'revocation')
const read = (...p) => readFileSync(path.join(DIR, ...p))
const crl = (name) => read('crl', `${name}.crl`)
const AT = '2026-01-01T00:00:00Z'
const ROOT_CRL = 'http://crl.test/root.crl'
const INTER_CRL = 'http://crl.test/inter.crl'
const SUBJECT = 'CN=Revocation leaf-crl,O=Notaverify Revocation Test,C=US'
const UNKNOWN = `signing certificate with subject ${JSON.stringify(SUBJECT)} revocation status is unknown`
const REVOKED = `signing certificate with subject ${JSON.stringify(SUBJECT)} is revoked`

const POLICY = {
  version: '1.0',
  trustPolicies: [
    {
      name: 'revocation',
      registryScopes: ['*'],
      signatureVerification: { level: 'strict' },
      trustStores: ['ca:revocation'],
      trustedIdentities: ['*'],
    },
  ],
}

function store() {
  const s = new nv.TrustStore()
  s.add('ca', 'revocation', read('pki', 'root.pem'))
  return s
}

function evidence(...names) {
  const e = new nv.RevocationEvidence()
  for (const name of names) e.addCrl(crl(name))
  return e
}

const verifierWith = (revocation) => new nv.Verifier(nv.TrustPolicy.fromJson(POLICY), store(), revocation ? { revocation } : undefined)
const envelope = (name = 'leaf-crl') => read('envelopes', `${name}.jws`)
const revocationError = (outcome) => outcome.signatures[0].checks.find((c) => c.type === 'revocation').error

describe('revocation evidence', () => {
  test('without evidence the status is unknown and strict fails', () => {
    const outcome = verifierWith().verify(REFERENCE, envelope(), { at: AT })
    assert.equal(outcome.verified, false)
    assert.equal(revocationError(outcome), UNKNOWN)
  })

  test('good CRLs for every certificate verify', () => {
    const outcome = verifierWith(evidence('root-good', 'inter-good')).verify(REFERENCE, envelope(), { at: AT })
    assert.equal(outcome.verified, true, JSON.stringify(outcome))
    assert.equal(revocationError(outcome), null)
  })

  test('a CRL that revokes the leaf fails', async () => {
    const verifier = verifierWith(evidence('root-good', 'inter-revokes-leaves'))
    const outcome = verifier.verify(REFERENCE, envelope(), { at: AT })
    assert.equal(outcome.verified, false)
    assert.equal(revocationError(outcome), REVOKED)
    const async = await verifier.verifyAsync(REFERENCE, envelope(), { at: AT })
    assert.deepEqual(async, outcome)
  })

  test('CRLs keyed by URL; the verifier keeps its own copy', () => {
    const e = new nv.RevocationEvidence()
    e.addCrl(crl('root-good'), ROOT_CRL)
    e.addCrl(crl('inter-good'), INTER_CRL)
    assert.equal(e.size, 2)
    assert.equal(verifierWith(e).verify(REFERENCE, envelope(), { at: AT }).verified, true)

    const partial = evidence('root-good')
    const verifier = verifierWith(partial)
    partial.addCrl(crl('inter-good'))
    assert.equal(verifier.verify(REFERENCE, envelope(), { at: AT }).verified, false)
  })

  test('per-call evidence is added to the verifier\'s, sync and async', async () => {
    const verifier = verifierWith(evidence('root-good'))
    const revocation = evidence('inter-good')
    assert.equal(verifier.verify(REFERENCE, envelope(), { at: AT }).verified, false)
    assert.equal(verifier.verify(REFERENCE, envelope(), { at: AT, revocation }).verified, true)
    assert.equal((await verifier.verifyAsync(REFERENCE, envelope(), { at: AT, revocation })).verified, true)
    assert.equal(verifier.verifyArtifact(REFERENCE, [envelope()], { at: AT, revocation }).verified, true)
    assert.equal((await verifier.verifyArtifactAsync(REFERENCE, [envelope()], { at: AT, revocation })).verified, true)
  })

  test('OCSP responses', () => {
    const good = evidence('root-good')
    good.addOcspResponse(read('ocsp', 'leaf-ocsp-good.der'))
    assert.equal(verifierWith(good).verify(REFERENCE, envelope('leaf-ocsp'), { at: AT }).verified, true)
    const revoked = evidence('root-good')
    revoked.addOcspResponse(read('ocsp', 'leaf-ocsp-revoked.der'))
    const outcome = verifierWith(revoked).verify(REFERENCE, envelope('leaf-ocsp'), { at: AT })
    assert.equal(outcome.verified, false)
    assert.match(revocationError(outcome), /is revoked/)
  })

  test('garbage evidence throws INVALID_INPUT', () => {
    const e = new nv.RevocationEvidence()
    for (const add of [
      () => e.addCrl(Buffer.from('not a CRL')),
      () => e.addCrl(Buffer.from('not a CRL'), INTER_CRL),
      () => e.addOcspResponse(Buffer.from([0x30, 0x03, 0x02, 0x01, 0x00])),
    ]) {
      assert.throws(add, (err) => err instanceof Error && err.code === 'INVALID_INPUT')
    }
    assert.equal(e.size, 0)
  })

  test('something else as revocation is refused', async () => {
    const verifier = verifierWith()
    const invalid = (err) => err instanceof Error && err.code === 'INVALID_INPUT' && /RevocationEvidence/.test(err.message)
    assert.throws(() => verifier.verify(REFERENCE, envelope(), { at: AT, revocation: {} }), invalid)
    assert.throws(() => verifier.verify(REFERENCE, envelope(), { at: AT, revocation: 'crl' }), invalid)
    assert.throws(() => verifier.verify(REFERENCE, envelope(), { at: AT, revocation: new nv.TrustStore() }), invalid)
    await assert.rejects(verifier.verifyAsync(REFERENCE, envelope(), { at: AT, revocation: {} }), invalid)
    assert.throws(() => new nv.Verifier(null, store(), { revocation: {} }), invalid)
  })

  test('notation CRL cache directory', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'notaverify-crl-cache-'))
    for (const [url, name] of [[ROOT_CRL, 'root-good'], [INTER_CRL, 'inter-good']]) {
      const key = createHash('sha256').update(url).digest('hex')
      writeFileSync(path.join(dir, key), JSON.stringify({ baseCRL: crl(name).toString('base64') }))
    }
    writeFileSync(path.join(dir, 'not-a-cache-entry.tmp'), 'ignored')
    const e = nv.RevocationEvidence.fromCrlCache(dir)
    assert.equal(e.size, 2)
    assert.equal(verifierWith(e).verify(REFERENCE, envelope(), { at: AT }).verified, true)
    assert.throws(() => nv.RevocationEvidence.fromCrlCache(path.join(dir, 'missing')), (err) => err.code === 'LOAD')
  })

  test('fromConfigDir with evidence', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'notaverify-config-'))
    mkdirSync(path.join(dir, 'truststore/x509/ca/revocation'), { recursive: true })
    writeFileSync(path.join(dir, 'truststore/x509/ca/revocation/root.pem'), read('pki', 'root.pem'))
    writeFileSync(path.join(dir, 'trustpolicy.json'), JSON.stringify(POLICY))
    assert.equal(nv.Verifier.fromConfigDir(dir).verify(REFERENCE, envelope(), { at: AT }).verified, false)
    const verifier = nv.Verifier.fromConfigDir(dir, { revocation: evidence('root-good', 'inter-good') })
    assert.equal(verifier.verify(REFERENCE, envelope(), { at: AT }).verified, true)
  })
})
