// The outcome contract: `JSON.stringify(outcome)` validates against
// docs/schema/outcome.schema.json and is, member for member, what `notaverify verify -o json`
// prints for the same input; a request that cannot be evaluated throws the code the CLI's
// document names. Also: the non-enumerable `skipped` / `loggedFailures` / `policy.custom`,
// `allSignatures`, and the deprecated names.
//
// The CLI is the binary cargo built: $NOTAVERIFY_CLI (run-tests.sh builds it and sets it), else
// target/debug/notaverify.
import { test, describe } from 'node:test'
import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, writeFileSync, copyFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { createRequire } from 'node:module'
import { nv, fixture, FIXTURES, REFERENCE, REPO } from './helpers.mjs'

const require = createRequire(import.meta.url)
const Ajv2020 = require('ajv/dist/2020').default

const schema = JSON.parse(readFileSync(path.join(REPO, 'docs', 'schema', 'outcome.schema.json'), 'utf8'))
const validate = new Ajv2020({ allErrors: true, strict: false }).compile(schema)
const assertValid = (document) => assert.ok(validate(document), JSON.stringify(validate.errors, null, 1))

const CLI = process.env.NOTAVERIFY_CLI || path.join(REPO, 'target', 'debug', 'notaverify')
const noCli = !existsSync(CLI) && `no CLI binary at ${CLI} (cargo build -p notaverify-cli)`

const cli = (...args) => {
  const env = { ...process.env }
  delete env.NOTATION_CONFIG
  const r = spawnSync(CLI, [...args, '-o', 'json'], { encoding: 'utf8', env })
  return { status: r.status, document: JSON.parse(r.stdout) }
}

const envelopePath = (name) => path.join(FIXTURES, 'envelopes', name)
const cliVerify = (reference, names, policy) =>
  cli('verify', '--config-dir', FIXTURES, ...(policy ? ['--trust-policy', policy] : []),
    ...names.flatMap((n) => ['--signature', envelopePath(n)]), reference)

const scratch = mkdtempSync(path.join(tmpdir(), 'notaverify-contract-'))
const policyFile = (level, override) => {
  const verification = override ? { level, override } : { level }
  const statement = { name: 'contract', registryScopes: ['*'], signatureVerification: verification }
  if (level !== 'skip') Object.assign(statement, { trustStores: ['ca:test-roots', 'signingAuthority:test-sa'], trustedIdentities: ['*'] })
  const file = path.join(scratch, `${level}-${override ? 'custom' : 'plain'}.json`)
  writeFileSync(file, JSON.stringify({ version: '1.0', trustPolicies: [statement] }))
  return file
}
const verifierFor = (policy) =>
  policy ? new nv.Verifier(nv.TrustPolicy.fromFile(policy), nv.TrustStore.fromConfigDir(FIXTURES)) : nv.Verifier.fromConfigDir(FIXTURES)

const CASES = {
  verified: [['p256.jws']],
  failed: [['untrusted.jws']],
  'two signatures': [['untrusted.jws', 'p256.cose']],
  'logged failure': [['expired.jws'], ['strict', { expiry: 'log' }]],
  skipped: [['p256.jws'], ['skip']],
}

describe('JSON.stringify(outcome) is the CLI document', { skip: noCli }, () => {
  for (const [name, [names, level]] of Object.entries(CASES)) {
    test(name, async () => {
      const policy = level && policyFile(...level)
      const { document: expected } = cliVerify(REFERENCE, names, policy)
      const verifier = verifierFor(policy)
      const envelopes = names.map((n) => readFileSync(envelopePath(n)))
      for (const outcome of [verifier.verifyArtifact(REFERENCE, envelopes), await verifier.verifyArtifactAsync(REFERENCE, envelopes)]) {
        const document = JSON.parse(JSON.stringify(outcome))
        assertValid(document)
        assertValid(expected)
        assert.deepEqual(document, expected)
        assert.deepEqual(Object.keys(outcome).sort(), Object.keys(expected).sort(), 'the same members')
        // The conveniences agree with the document and are not part of it.
        assert.equal(outcome.skipped, expected.policy.level === 'skip')
        const logged = expected.signatures.flatMap((s) => s.checks.filter((c) => c.action === 'log' && !c.passed))
        assert.deepEqual(outcome.signatures.flatMap((s) => s.loggedFailures), logged)
        assert.equal(name === 'logged failure', logged.length > 0)
        assert.deepEqual(outcome.loggedFailures, logged)
        assert.equal(outcome.policy.custom, name === 'logged failure')
      }
    })
  }

  test('blob', () => {
    const signature = path.join(scratch, 'example.txt.jws.sig')
    copyFileSync(envelopePath('blob.jws'), signature)
    const blob = path.join(FIXTURES, 'blob', 'example.txt')
    const { status, document: expected } = cli('blob', 'verify', '--config-dir', FIXTURES, '--signature', signature, blob)
    assert.equal(status, 0)
    const outcome = nv.Verifier.fromConfigDir(FIXTURES).verifyBlob(readFileSync(blob), readFileSync(signature), { name: blob })
    assertValid(JSON.parse(JSON.stringify(outcome)))
    assert.deepEqual(JSON.parse(JSON.stringify(outcome)), expected)
  })

  test('a request that cannot be evaluated throws the code of the CLI document', () => {
    const cases = [
      [['verify', '--config-dir', FIXTURES, '--signature', envelopePath('p256.jws'), 'registry.example/app:v1'],
        () => nv.Verifier.fromConfigDir(FIXTURES).verify('registry.example/app:v1', fixture('envelopes/p256.jws'))],
      [['verify', '--config-dir', path.join(FIXTURES, 'missing'), '--signature', envelopePath('p256.jws'), REFERENCE],
        () => nv.Verifier.fromConfigDir(path.join(FIXTURES, 'missing'))],
    ]
    for (const [args, call] of cases) {
      const { status, document } = cli(...args)
      assert.equal(status, 2)
      assertValid(document)
      assert.throws(call, (e) => e.code === document.error.code && e.legacyCode === `NOTAVERIFY_${document.error.code}`)
    }
  })
})

test('the conveniences are read-only and not part of the document', () => {
  const outcome = verifierFor(policyFile('strict', { expiry: 'log' })).verify(REFERENCE, fixture('envelopes/expired.jws'))
  // The outcome's are getters of its class; the plain objects' are non-enumerable members.
  for (const key of ['skipped', 'loggedFailures', 'exitStatus', 'classification']) {
    assert.equal(Object.getOwnPropertyDescriptor(outcome, key), undefined, key)
    assert.ok(key in outcome, key)
    assert.throws(() => { outcome[key] = 1 }, TypeError, key)
  }
  for (const [object, key] of [[outcome.signatures[0], 'loggedFailures'], [outcome.policy, 'custom']]) {
    const descriptor = Object.getOwnPropertyDescriptor(object, key)
    assert.ok(descriptor, key)
    assert.equal(descriptor.enumerable, false, key)
    assert.equal(descriptor.writable, false, key)
  }
  assert.deepEqual(outcome.loggedFailures.map((c) => [c.type, c.action, c.passed]), [['expiry', 'log', false]])
  assert.equal(outcome.loggedFailures, outcome.loggedFailures, 'the same array each read')
  assert.equal(structuredClone(outcome).skipped, undefined, 'a copy is the document')
  assert.deepEqual({ ...outcome }, JSON.parse(JSON.stringify(outcome)), 'a copy is the document')
  assert.equal(verifierFor(policyFile('skip')).verify(REFERENCE, fixture('envelopes/p256.jws')).skipped, true)
})

// src/outcome.rs sends an outcome as fields separated by NUL, a string field holding NUL or
// starting with a quotation mark as JSON: every string must come back as it was.
test('names with NUL, quotation marks or non-ASCII cross unchanged', () => {
  const blob = fixture('blob/example.txt')
  const awkward = ['"quoted', 'nul\0inside', '\0', 'ünïcodé ✓', '"\0"', '', 'plain']
  for (const name of awkward) {
    const blobPolicy = nv.BlobTrustPolicy.fromJson({
      version: '1.0',
      trustPolicies: [{ name: name || 'x', globalPolicy: true, signatureVerification: { level: 'strict' }, trustStores: ['ca:test-roots'], trustedIdentities: ['*'] }],
    })
    const verifier = new nv.Verifier(null, nv.TrustStore.fromConfigDir(FIXTURES), { blobPolicy })
    const outcome = verifier.verifyBlob(blob, fixture('envelopes', 'blob.jws'), { name })
    assert.equal(outcome.reference, name, JSON.stringify(name))
    assert.equal(outcome.policy.name, name || 'x', JSON.stringify(name))
    assert.equal(outcome.verified, true, JSON.stringify(name))
    assert.equal(outcome.policy.level, 'strict')
    assert.deepEqual(JSON.parse(JSON.stringify(outcome)).reference, name)
  }
})

test('allSignatures lists every signature; the verdict is the same', async () => {
  const verifier = nv.Verifier.fromConfigDir(FIXTURES)
  const envelopes = [fixture('envelopes/p256.jws'), fixture('envelopes/untrusted.jws')]
  const first = verifier.verifyArtifact(REFERENCE, envelopes)
  const every = verifier.verifyArtifact(REFERENCE, envelopes, { allSignatures: true })
  assert.equal(first.verified, true)
  assert.equal(every.verified, true)
  assert.deepEqual(first.signatures.map((s) => s.verified), [true])
  assert.deepEqual(every.signatures.map((s) => s.verified), [true, false])
  assert.equal(every.signatures[1].failure, 'authenticity')
  assert.ok(every.signatures[1].checks.length > 0)
  assert.deepEqual(every.signatures[0], first.signatures[0])
  assertValid(JSON.parse(JSON.stringify(every)))
  assert.deepEqual(await verifier.verifyArtifactAsync(REFERENCE, envelopes, { allSignatures: true }), every)
  const [batched] = verifier.verifyMany([{ reference: REFERENCE, envelopes }], { allSignatures: true })
  assert.deepEqual(batched.outcome, every)
})

test('TrustStore.fromDir is a deprecated alias of fromConfigDir', () => {
  const policy = nv.TrustPolicy.fromFile(path.join(FIXTURES, 'trustpolicy.json'))
  const outcome = new nv.Verifier(policy, nv.TrustStore.fromDir(FIXTURES)).verify(REFERENCE, fixture('envelopes/p256.jws'))
  assert.equal(outcome.verified, true)
})

test('signatures is built on first read, then a data member; a frozen outcome still reads it', () => {
  const verifier = nv.Verifier.fromConfigDir(FIXTURES)
  const read = verifier.verify(REFERENCE, fixture('envelopes/p256.jws'))
  assert.deepEqual(Object.keys(read), ['reference', 'verified', 'policy', 'signatures', 'error'])
  assert.equal(Object.getOwnPropertyDescriptor(read, 'signatures').enumerable, true)
  const first = read.signatures
  assert.equal(first[0].verified, true)
  assert.deepEqual(Object.getOwnPropertyDescriptor(read, 'signatures'), { value: first, writable: true, enumerable: true, configurable: true })
  assert.equal(read.signatures, first, 'built once')

  const frozen = Object.freeze(verifier.verify(REFERENCE, fixture('envelopes/p256.jws')))
  assert.equal(frozen.signatures, frozen.signatures, 'the same array each time')
  assert.deepEqual(frozen.signatures, first)
  assert.throws(() => { frozen.verified = false }, TypeError) // (modules are strict)

  const replaced = verifier.verify(REFERENCE, fixture('envelopes/p256.jws'))
  replaced.signatures = []
  assert.deepEqual(replaced.signatures, [])
  assert.equal(JSON.parse(JSON.stringify(replaced)).signatures.length, 0)
  assert.deepEqual(JSON.parse(JSON.stringify(verifier.verify(REFERENCE, fixture('envelopes/p256.jws')))), JSON.parse(JSON.stringify(read)))
})

test('verify takes each option as verifyArtifact does (its options cross as positional arguments)', () => {
  const verifier = nv.Verifier.fromConfigDir(FIXTURES)
  const envelope = fixture('envelopes/p256.jws')
  const scan = path.join(REPO, 'cli', 'tests', 'fixtures', 'scan')
  const exceptions = nv.Exceptions.fromFile(path.join(scan, 'exceptions.json'))
  const retired = nv.RetiredMaterial.fromFile(path.join(scan, 'retired.json'), path.join(scan, 'config'))
  const descriptor = { mediaType: 'application/vnd.oci.image.manifest.v1+json', digest: REFERENCE.split('@')[1], size: 562 }
  // What a call gives: the document and the conveniences, or the error's code and message.
  const result = (call) => {
    try {
      const o = call()
      return { document: JSON.parse(JSON.stringify(o)), classification: o.classification, exitStatus: o.exitStatus, skipped: o.skipped }
    } catch (e) {
      return { code: e.code, message: e.message }
    }
  }
  const cases = [
    {},
    { descriptor },
    { descriptor: { ...descriptor, size: 1 } },
    { mediaType: 'jws' },
    { mediaType: 'cose' },
    { userMetadata: { team: 'payments' } },
    { at: '2030-01-01T00:00:00Z' },
    { at: new Date(0) },
    { at: 'yesterday' },
    { revocation: new nv.RevocationEvidence() },
    { revocation: {} },
    { allSignatures: true },
    { exceptions },
    { exceptions: retired },
    { retired },
    { warnOnly: true },
    { exceptions, retired, warnOnly: true, at: '2030-01-01T00:00:00Z' },
  ]
  const outcomes = new Set()
  for (const options of cases) {
    const one = result(() => verifier.verify(REFERENCE, envelope, options))
    assert.deepEqual(one, result(() => verifier.verifyArtifact(REFERENCE, [envelope], options)), JSON.stringify(options))
    outcomes.add(JSON.stringify(one))
  }
  assert.ok(outcomes.size >= 8, 'the options make a difference')
  assert.throws(() => verifier.verify(REFERENCE, envelope, 'at'), { name: 'TypeError', code: 'InvalidArg' })
})
