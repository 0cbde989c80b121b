// inspectOciLayout / inspect and their ...Async forms: what signatures claim, read with no policy
// or trust store. `JSON.stringify(inspection)` is the core's document, and, member for member,
// what `notaverify inspect -o json` prints less its `error`.
//
// The CLI is the binary cargo built: $NOTAVERIFY_CLI (run-tests.sh builds it and sets it), else
// target/debug/notaverify.
import { test, describe } from 'node:test'
import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { nv, fixture, FIXTURES, CLI_FIXTURES, REPO } from './helpers.mjs'

const LAYOUTS = path.join(CLI_FIXTURES, 'scan', 'layouts')
const APP = path.join(LAYOUTS, 'app')
const CLI = process.env.NOTAVERIFY_CLI || path.join(REPO, 'target', 'debug', 'notaverify')
const noCli = !existsSync(CLI) && `no CLI binary at ${CLI} (cargo build -p notaverify-cli)`
// An envelope countersigned by the test TSA of core/tests/revocation/generate.py.
const TIMESTAMPED = path.join(REPO, 'core', 'tests', 'revocation', 'ts', 'good.cose')

const cliInspect = (...args) => {
  const env = { ...process.env }
  delete env.NOTATION_CONFIG
  const r = spawnSync(CLI, ['inspect', ...args, '-o', 'json'], { encoding: 'utf8', env })
  assert.equal(r.status, 0, r.stderr)
  return JSON.parse(r.stdout)
}

const assertCoded = (code) => (e) => {
  assert.ok(e instanceof Error, String(e))
  assert.equal(e.code, code, e.message)
  return true
}

// Each case runs through the synchronous form and the ...Async one.
const forms = {
  sync: { layout: (dir, ref) => nv.inspectOciLayout(dir, ref), envelopes: (e, o) => nv.inspect(e, o) },
  async: { layout: (dir, ref) => nv.inspectOciLayoutAsync(dir, ref), envelopes: (e, o) => nv.inspectAsync(e, o) },
}

for (const [name, form] of Object.entries(forms)) {
  describe(`inspect (${name})`, () => {
    test('a multi-signed layout lists each signer', async () => {
      const inspection = await form.layout(APP, 'dual')
      assert.ok(inspection.reference.startsWith(`${APP}@sha256:`))
      assert.equal(inspection.signatures.length, 2)
      for (const s of inspection.signatures) {
        assert.equal(s.error, null)
        assert.equal(s.mediaType, 'application/jose+json')
        assert.equal(s.signingScheme, 'notary.x509')
        assert.equal(s.signingTime, '2025-06-01T12:00:00Z')
        assert.equal(s.certificateChain.length, 3)
        assert.deepEqual(s.certificateChain[0], s.signer)
        assert.ok(inspection.reference.endsWith(`@${s.target.digest}`))
      }
      const fingerprints = new Set(inspection.signatures.map((s) => s.signer.sha256Fingerprint))
      assert.equal(fingerprints.size, 2)
      const digest = inspection.reference.split('@').pop()
      assert.deepEqual(await form.layout(APP, digest), inspection)
    })

    test('JSON.stringify is the core document and the CLI document', { skip: noCli }, async () => {
      const inspection = await form.layout(APP, 'dual')
      assert.equal(JSON.stringify(inspection), nv.inspectCoreJson(APP, 'dual'))
      const document = cliInspect('--oci-layout', `${APP}:dual`)
      assert.equal(document.error, null)
      delete document.error
      assert.deepEqual(JSON.parse(JSON.stringify(inspection)), document)
    })

    test('envelopes are listed as the CLI lists the files', { skip: noCli }, async () => {
      const names = ['metadata.jws', 'sa.cose']
      const reference = `registry.example/app@sha256:${'0'.repeat(64)}`
      const inspection = await form.envelopes(names.map((n) => fixture('envelopes', n)), { reference })
      assert.equal(inspection.reference, reference)
      const document = cliInspect(...names.flatMap((n) => ['--signature', path.join(FIXTURES, 'envelopes', n)]))
      assert.deepEqual(JSON.parse(JSON.stringify(inspection.signatures)), document.signatures)
      const [metadata, authority] = inspection.signatures
      assert.deepEqual(metadata.userMetadata, { buildId: '101', commit: 'abc' })
      assert.equal(authority.signingScheme, 'notary.x509.signingAuthority')
      assert.equal(authority.signingTime, null)
      assert.ok(authority.authenticSigningTime)
    })

    test('an unsigned artifact has no signatures', async () => {
      const inspection = await form.layout(path.join(LAYOUTS, 'legacy'), 'legacy-a')
      assert.deepEqual(inspection.signatures, [])
    })

    test('an unreadable envelope is listed with its error', async () => {
      const garbage = [Buffer.from('{"not": "an envelope"}'), fixture('envelopes', 'p256.cose'), Buffer.from([0xd2, 1, 2])]
      const inspection = await form.envelopes(garbage)
      assert.equal(inspection.reference, null)
      const [broken, readable, brokenCose] = inspection.signatures
      assert.ok(broken.error)
      assert.equal(broken.mediaType, 'application/jose+json')
      assert.equal(broken.signer, null)
      assert.deepEqual(broken.certificateChain, [])
      assert.equal(readable.error, null)
      assert.ok(readable.signer)
      assert.ok(brokenCose.error)
      assert.equal(brokenCose.mediaType, 'application/cose')
      const given = await form.envelopes([Buffer.from('garbage')], { mediaType: 'cose' })
      assert.ok(given.signatures[0].error)
    })

    test('the timestamp countersignature', { skip: noCli }, async () => {
      const inspection = await form.envelopes([readFileSync(TIMESTAMPED)])
      const [signature] = inspection.signatures
      assert.equal(signature.timestamp.error, null)
      assert.equal(signature.timestamp.tsaSubject, 'CN=Test TSA,O=Notaverify Revocation Test,C=US')
      assert.deepEqual(JSON.parse(JSON.stringify(inspection.signatures)), cliInspect('--signature', TIMESTAMPED).signatures)
    })

    test('bad requests fail with the codes of the other calls', async () => {
      const missing = path.join(mkdtempSync(path.join(tmpdir(), 'notaverify-inspect-')), 'missing')
      const fails = async (f, code) => {
        if (name === 'sync') assert.throws(f, assertCoded(code))
        else await assert.rejects(f, assertCoded(code))
      }
      await fails(() => form.layout(missing, 'v1'), 'LOAD')
      await fails(() => form.layout(APP, 'no-such-tag'), 'LOAD')
      await fails(() => form.layout(APP, 'sha256:XYZ'), 'INVALID_INPUT')
      await fails(() => form.envelopes([Buffer.from('garbage')]), 'ENVELOPE')
    })
  })
}

test('queued inspections are cancelled by their AbortSignal with an AbortError; started ones finish', async () => {
  const controller = new AbortController()
  const expected = nv.inspectOciLayout(APP, 'dual')
  const promises = Array.from({ length: 64 }, () => nv.inspectOciLayoutAsync(APP, 'dual', controller.signal))
  controller.abort()
  const results = await Promise.allSettled(promises)
  const aborted = results.filter((r) => r.status === 'rejected')
  for (const r of aborted) assert.equal(r.reason.name, 'AbortError')
  for (const r of results.filter((r) => r.status === 'fulfilled')) assert.deepEqual(r.value, expected)
  assert.ok(aborted.length > 0, 'nothing was cancelled')
})
