// The rollout options (exceptions, retired, warnOnly) of the verify methods: a classified outcome
// carries `classification` and `exitStatus`, serializes as the CLI's rollout document, and the
// ...Async forms give the same. verify-task.spec.mjs compares the documents with the CLI's.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { existsSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { nv, CLI_FIXTURES } from './helpers.mjs'

const SCAN = path.join(CLI_FIXTURES, 'scan')
const skip = !existsSync(path.join(SCAN, 'exceptions.json')) && 'cli fixtures not present'
const JULY = '2025-07-01T00:00:00Z'
const OCTOBER = '2025-10-01T00:00:00Z'
const scan = (...p) => path.join(SCAN, ...p)
const verifier = (policy) =>
  new nv.Verifier(nv.TrustPolicy.fromFile(scan('policies', `${policy}.json`)), nv.TrustStore.fromConfigDir(scan('config')))
const layout = (name, options) => {
  const [repository, tag] = name.split('/')
  return [scan('layouts', repository), { reference: tag, scope: `registry.example/${repository}`, ...options }]
}

test('Exceptions and RetiredMaterial, from files and documents', { skip }, () => {
  const exceptions = nv.Exceptions.fromFile(scan('exceptions.json'))
  assert.equal(exceptions.size, 3)
  const text = readFileSync(scan('exceptions.json'), 'utf8')
  assert.equal(nv.Exceptions.fromJson(text).size, 3)
  assert.equal(nv.Exceptions.fromJson(JSON.parse(text)).size, 3)
  assert.equal(nv.Exceptions.fromJson(Buffer.from(text)).size, 3)
  const retired = nv.RetiredMaterial.fromFile(scan('retired.json'), scan('config'))
  assert.ok(retired.size >= 1)
  assert.equal(nv.RetiredMaterial.fromJson(readFileSync(scan('retired.json'), 'utf8'), scan('config')).size, retired.size)
  assert.throws(() => nv.Exceptions.fromFile(scan('missing.json')), (e) => e.code === 'LOAD' && e.message.includes('missing.json'))
  assert.throws(() => nv.Exceptions.fromFile(scan('exceptions-no-deadline.json')), (e) => typeof e.code === 'string' && e.code !== 'INTERNAL')
  assert.throws(() => nv.Exceptions.fromJson('{'), (e) => typeof e.code === 'string' && e.code !== 'INTERNAL')
})

test('an excepted artifact: in policy until the deadline, then out', { skip }, () => {
  const exceptions = nv.Exceptions.fromFile(scan('exceptions.json'))
  const v = verifier('rotation')
  const july = v.verifyOciLayout(...layout('legacy/legacy-a', { at: JULY, exceptions }))
  assert.equal(july.classification.class, 'excepted')
  assert.equal(july.classification.inPolicy, true)
  assert.equal(july.classification.exception.owner, 'team-legacy@example.com')
  assert.equal(july.exitStatus, nv.EXIT_IN_POLICY)
  const document = JSON.parse(JSON.stringify(july))
  assert.deepEqual([document.class, document.inPolicy, document.excepted], ['excepted', true, true])
  assert.equal(document.exception.owner, 'team-legacy@example.com')
  // The enumerable members stay the outcome's; the rollout members are the document's.
  assert.equal({ ...july }.class, undefined)
  const october = v.verifyOciLayout(...layout('legacy/legacy-a', { at: OCTOBER, exceptions }))
  assert.equal(october.classification.inPolicy, false)
  assert.equal(october.classification.expiredExceptions.length, 1)
  assert.equal(october.exitStatus, nv.EXIT_OUT_OF_POLICY)
  const warned = v.verifyOciLayout(...layout('legacy/legacy-a', { at: OCTOBER, exceptions, warnOnly: true }))
  assert.equal(warned.exitStatus, nv.EXIT_IN_POLICY)
  assert.equal(warned.classification.warnOnly, true)
  assert.ok(warned.classification.wouldFail.length > 0)
  assert.deepEqual(JSON.parse(JSON.stringify(warned)).wouldFail.map((w) => w.class), warned.classification.wouldFail.map((w) => w.class))
})

test('a retired signer is never reported verified in the document', { skip }, () => {
  const retired = nv.RetiredMaterial.fromFile(scan('retired.json'), scan('config'))
  const outcome = verifier('rotated').verifyOciLayout(...layout('app/old', { at: JULY, retired }))
  assert.equal(outcome.classification.class, 'retiredSigner')
  assert.ok(outcome.classification.retired.declaredBy)
  assert.equal(JSON.parse(JSON.stringify(outcome)).verified, false)
  assert.equal(outcome.exitStatus, nv.EXIT_OUT_OF_POLICY)
})

test('without rollout options: no classification, the plain document, exit 0 or 1', { skip }, () => {
  const v = verifier('rotation')
  const outcome = v.verifyOciLayout(...layout('app/unknown', { at: JULY }))
  assert.equal(outcome.classification, null)
  assert.equal(outcome.exitStatus, outcome.verified ? nv.EXIT_IN_POLICY : nv.EXIT_OUT_OF_POLICY)
  assert.equal(JSON.parse(JSON.stringify(outcome)).class, undefined)
  const warned = v.verifyOciLayout(...layout('app/unknown', { at: JULY, warnOnly: true }))
  assert.equal(warned.classification.class, 'unknownSigner')
  assert.equal(warned.exitStatus, nv.EXIT_IN_POLICY)
})

test('the ...Async forms classify the same', { skip }, async () => {
  const v = verifier('rotation')
  const exceptions = nv.Exceptions.fromFile(scan('exceptions.json'))
  const args = layout('legacy/legacy-a', { at: JULY, exceptions, warnOnly: true })
  const sync = v.verifyOciLayout(...args)
  const promised = await v.verifyOciLayoutAsync(...args, new AbortController().signal)
  assert.equal(JSON.stringify(promised), JSON.stringify(sync))
  assert.deepEqual(promised.classification, sync.classification)
  assert.equal(promised.exitStatus, sync.exitStatus)
  const targets = JSON.parse(readFileSync(path.join(CLI_FIXTURES, 'targets.json'), 'utf8'))
  const v2 = nv.Verifier.fromConfigDir(path.join(CLI_FIXTURES, 'config'))
  const envelope = readFileSync(path.join(CLI_FIXTURES, 'signatures', 'good.jws'))
  const reference = `example.com/app@${targets.good}`
  const options = { at: JULY, warnOnly: true }
  const one = v2.verify(reference, envelope, options)
  assert.equal(one.classification.class, 'verified')
  assert.equal(JSON.stringify(await v2.verifyAsync(reference, envelope, options)), JSON.stringify(one))
  const many = v2.verifyArtifact(reference, [envelope], options)
  assert.equal(JSON.stringify(await v2.verifyArtifactAsync(reference, [envelope], options)), JSON.stringify(many))
})

test('a rollout option of the wrong type is INVALID_INPUT (the Async forms reject)', { skip }, async () => {
  const v = verifier('rotation')
  const args = layout('app/new', { exceptions: scan('exceptions.json') })
  assert.throws(() => v.verifyOciLayout(...args), (e) => e.code === 'INVALID_INPUT' && /exceptions must be Exceptions/.test(e.message))
  await assert.rejects(v.verifyOciLayoutAsync(...args), (e) => e.code === 'INVALID_INPUT')
  const retiredArgs = layout('app/new', { retired: nv.Exceptions.fromFile(scan('exceptions.json')) })
  assert.throws(() => v.verifyOciLayout(...retiredArgs), (e) => e.code === 'INVALID_INPUT' && /retired must be RetiredMaterial/.test(e.message))
})

test('notEvaluatedDocument is the error document, with the warn members in warn mode', () => {
  const error = { code: 'POLICY', message: 'bad' }
  const plain = JSON.parse(nv.notEvaluatedDocument('r', error))
  assert.deepEqual(plain, { reference: 'r', verified: false, policy: null, signatures: [], error })
  const warned = JSON.parse(nv.notEvaluatedDocument('r', error, true))
  assert.deepEqual([warned.warnOnly, warned.evaluated, warned.wouldFail], [true, false, null])
  assert.equal(nv.EXIT_NOT_EVALUATED, 2)
})
