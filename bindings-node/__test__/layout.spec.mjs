// verifyOciLayout and fromConfigDir over the CLI fixtures (OCI image layouts, a notation config
// dir, policies for each level) and the bundled example. Verification time: 2025-07-01.
import { test, describe } from 'node:test'
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { nv, CLI_FIXTURES, EXAMPLES, present } from './helpers.mjs'

const SCOPE = 'example.com/app'
const AT = '2025-07-01T00:00:00Z'
const haveCli = present('cli/tests/fixtures/layouts/good/index.json')
const cli = (...p) => path.join(CLI_FIXTURES, ...p)

/** A verifier from the CLI config dir, with the OCI policy of `policies/<name>.json`. */
const withPolicy = (name) =>
  new nv.Verifier(nv.TrustPolicy.fromFile(cli('policies', `${name}.json`)), nv.TrustStore.fromConfigDir(cli('config')))

const verifyLayout = (v, layout, extra = {}) => v.verifyOciLayout(cli('layouts', layout), { reference: 'v1', scope: SCOPE, at: AT, ...extra })

describe('OCI layouts (cli/tests/fixtures)', { skip: !haveCli && 'cli fixtures not present' }, () => {
  const targets = haveCli ? JSON.parse(readFileSync(cli('targets.json'), 'utf8')) : {}
  const strict = haveCli ? nv.Verifier.fromConfigDir(cli('config')) : null

  test('a valid signature, by tag and by digest', () => {
    const o = verifyLayout(strict, 'good')
    assert.equal(o.verified, true, JSON.stringify(o))
    assert.equal(o.reference, `${SCOPE}@${targets.good}`)
    assert.equal(o.policy.name, 'app-strict')
    assert.equal(o.signatures.length, 1)
    assert.equal(o.signatures[0].checks.length, 5)
    assert.deepEqual(verifyLayout(strict, 'good', { reference: targets.good }), o)
  })

  test('every signature manifest form is found', () => {
    for (const layout of ['modern-cose', 'artifact-manifest', 'nested', 'signing-authority']) {
      const o = verifyLayout(strict, layout)
      assert.equal(o.verified, true, layout)
      assert.equal(o.signatures.length, 1, layout)
    }
  })

  // (layout, failing check, verified under strict, permissive, audit)
  const table = [
    ['tampered', 'integrity', [false, false, false]],
    ['untrusted', 'authenticity', [false, false, true]],
    ['expired', 'expiry', [false, true, true]],
    ['expired-leaf', 'authenticTimestamp', [false, true, true]],
    ['revocation', 'revocation', [false, true, true]],
    ['mismatch', 'integrity', [false, false, false]],
  ]
  for (const [layout, failing, verdicts] of table) {
    test(`${layout}: ${failing} at each level`, () => {
      ;['strict', 'permissive', 'audit'].forEach((level, i) => {
        const o = verifyLayout(withPolicy(level), layout)
        assert.equal(o.verified, verdicts[i], `${layout} at ${level}`)
        assert.equal(o.policy.level, level)
        const r = o.signatures[0].checks.find((c) => c.type === failing)
        assert.equal(r.passed, false)
        assert.equal(r.action, verdicts[i] ? 'log' : 'enforce')
        assert.equal(o.error?.code ?? null, verdicts[i] ? null : 'VERIFICATION_FAILED')
      })
    })
  }

  test('a verification plugin fails at every level but skip', () => {
    for (const level of ['strict', 'permissive', 'audit']) {
      assert.equal(verifyLayout(withPolicy(level), 'plugin').signatures[0].failure, 'verificationPlugin')
    }
    assert.equal(verifyLayout(withPolicy('skip'), 'plugin').verified, true)
  })

  test('several signatures, one good; maxSignatures', () => {
    const o = verifyLayout(strict, 'multi')
    assert.equal(o.verified, true)
    assert.deepEqual(o.signatures.map((s) => s.verified), [false, false, true])
    assert.match(o.signatures[1].error, /does not match its digest/)
    const limited = verifyLayout(strict, 'multi', { maxSignatures: 1 })
    assert.equal(limited.error.code, 'MAX_SIGNATURES_EXCEEDED')
  })

  test('no signature; skip verifies nothing', () => {
    assert.equal(verifyLayout(strict, 'unsigned').error.code, 'NO_SIGNATURE')
    const skip = verifyLayout(withPolicy('skip'), 'unsigned')
    assert.equal(skip.verified, true)
    assert.deepEqual(skip.signatures, [])
  })

  test('user metadata is reported and enforced', () => {
    assert.equal(verifyLayout(strict, 'metadata', { userMetadata: { buildId: '101' } }).verified, true)
    const bad = verifyLayout(strict, 'metadata', { userMetadata: { buildId: '102' } })
    assert.equal(bad.signatures[0].failure, 'userMetadata')
    assert.equal(verifyLayout(strict, 'metadata').signatures[0].userMetadata.buildId, '101')
  })

  test('errors: no applicable statement, corrupt target, invalid policies, a missing tag', async () => {
    assert.throws(() => strict.verifyOciLayout(cli('layouts', 'good'), { reference: 'v1', scope: 'example.com/other' }), { code: 'NO_APPLICABLE_POLICY' })
    assert.throws(() => verifyLayout(strict, 'corrupt-target'), { code: 'LOAD' })
    await assert.rejects(strict.verifyOciLayoutAsync(cli('layouts', 'corrupt-target'), { reference: 'v1', scope: SCOPE }), { code: 'LOAD' })
    for (const name of ['invalid-malformed', 'invalid-level', 'invalid-skip-with-stores', 'invalid-duplicate-scope']) {
      assert.throws(() => nv.TrustPolicy.fromFile(cli('policies', `${name}.json`)), { code: 'POLICY' }, name)
    }
    assert.throws(() => verifyLayout(strict, 'good', { reference: 'no-such-tag' }), (e) => typeof e.code === 'string' && e.legacyCode === `NOTAVERIFY_${e.code}`)
  })

  test('async equals sync', async () => {
    const layouts = ['good', 'multi', 'expired', 'tampered', 'unsigned']
    const got = await Promise.all(layouts.map((l) => strict.verifyOciLayoutAsync(cli('layouts', l), { reference: 'v1', scope: SCOPE, at: AT })))
    assert.deepEqual(got, layouts.map((l) => verifyLayout(strict, l)))
  })

  test('blob signatures of the CLI fixtures', () => {
    const data = readFileSync(cli('blob', 'data.txt'))
    for (const sig of ['data.txt.jws.sig', 'data.txt.cose.sig']) {
      assert.equal(strict.verifyBlob(data, readFileSync(cli('blob', sig)), { at: AT }).verified, true, sig)
    }
    assert.equal(strict.verifyBlob(data, readFileSync(cli('blob', 'untrusted.txt.jws.sig')), { at: AT }).verified, false)
  })
})

describe('the bundled example (examples/)', { skip: !present('examples/layout/index.json') && 'examples not present' }, () => {
  test('verifies by tag', async () => {
    const v = nv.Verifier.fromConfigDir(path.join(EXAMPLES, 'config'))
    const o = v.verifyOciLayout(path.join(EXAMPLES, 'layout'), { reference: 'v1', scope: SCOPE })
    assert.equal(o.verified, true, JSON.stringify(o))
    assert.deepEqual(await v.verifyOciLayoutAsync(path.join(EXAMPLES, 'layout'), { reference: 'v1', scope: SCOPE }), o)
  })
})
