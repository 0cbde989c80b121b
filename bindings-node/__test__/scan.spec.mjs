// Verifier.scan / scanAsync over the CLI's scan fixtures (cli/tests/fixtures/scan): every artifact
// line, the summary line and the HTML report are those of `notaverify scan -o json --report` on
// the same input (the CLI binary from NOTAVERIFY_CLI, which run-tests.sh builds), but for the
// timing; the typed results, progress, early exits, cancellation, and bad input thrown before
// anything is verified.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { cpSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { nv, CLI_FIXTURES } from './helpers.mjs'

const SCAN = path.join(CLI_FIXTURES, 'scan')
const CLI = process.env.NOTAVERIFY_CLI
const skip = !existsSync(path.join(SCAN, 'batch.jsonl')) && 'cli fixtures not present'
const skipCli = skip || (!CLI && 'NOTAVERIFY_CLI is not set (run-tests.sh sets it)')
const JULY = '2025-07-01T00:00:00Z'
const OCTOBER = '2025-10-01T00:00:00Z'
const LAYOUTS = ['app', 'legacy', 'batchjobs', 'vendor'].map((name) => ({ dir: `layouts/${name}`, scope: `registry.example/${name}` }))
const BATCHES = ['batch.jsonl']
// Members of the summary line that are never the same twice: the timing.
const NOT_COMPARED = ['elapsedSeconds', 'microsecondsPerArtifact']
// The report page with its timing (in its header line) left out.
const withoutTiming = (page) => page.replace(/ in [0-9.]+ s \([0-9]+ µs per artifact, /, ' (')
const scratch = () => mkdtempSync(path.join(tmpdir(), 'notaverify-scan-'))

// Paths relative to the fixtures, as the CLI is run there: the `source` members agree.
if (!skip) process.chdir(SCAN)

const verifier = skip
  ? null
  : new nv.Verifier(nv.TrustPolicy.fromFile('policies/rotation.json'), nv.TrustStore.fromConfigDir('config'))

/** `notaverify scan ... -o json` in the fixtures: its exit status and stdout lines. */
function cli(args) {
  const command = ['scan', '--config-dir', 'config', '--trust-policy', 'policies/rotation.json', '--no-progress', '--jobs', '2', '-o', 'json', ...args]
  const run = spawnSync(CLI, command, { encoding: 'utf8' })
  assert.ok(run.status === 0 || run.status === 1, run.stderr)
  return { status: run.status, lines: run.stdout.split('\n').filter((l) => l !== '') }
}

const summaryWithout = (line) =>
  Object.fromEntries(Object.entries(JSON.parse(line).summary).filter(([k]) => !NOT_COMPARED.includes(k)))

/** The CLI arguments and the scan options of the rollout files. */
function rollout(exceptions, retired) {
  const args = []
  const options = {}
  if (exceptions) {
    args.push('--exceptions', exceptions)
    options.exceptions = nv.Exceptions.fromFile(exceptions)
  }
  if (retired) {
    args.push('--retired', retired)
    options.retired = nv.RetiredMaterial.fromFile(retired, 'config')
  }
  return { args, options }
}

const collectAsync = async (scan) => {
  const artifacts = []
  for await (const artifact of scan) artifacts.push(artifact)
  return artifacts
}

for (const at of [JULY, OCTOBER]) {
  for (const [exceptions, retired, warnOnly] of [
    [null, null, false],
    ['exceptions.json', null, false],
    ['exceptions.json', 'retired.json', false],
    [null, 'retired-leaf.json', false],
    ['exceptions.json', 'retired.json', true],
  ]) {
    test(`lines, summary and report are the CLI's: at ${at}, exceptions ${exceptions}, retired ${retired}, warnOnly ${warnOnly}`, { skip: skipCli }, async () => {
      const { args, options } = rollout(exceptions, retired)
      const dir = scratch()
      const layoutArgs = LAYOUTS.flatMap((l) => ['--oci-layout', l.dir, '--scope', l.scope])
      const report = path.join(dir, 'cli.html')
      const { status, lines } = cli(['--at', at, ...layoutArgs, '--batch', 'batch.jsonl', ...args, ...(warnOnly ? ['--warn-only'] : []), '--report', report])
      assert.ok(lines.length > 2, 'the CLI scanned nothing')
      const scanOptions = { layouts: LAYOUTS, batches: BATCHES, at, threads: 2, warnOnly, ...options }
      const sync = verifier.scan(scanOptions)
      const asyncScan = await verifier.scanAsync(scanOptions)
      for (const [name, scan, artifacts] of [
        ['sync', sync, [...sync]],
        ['async', asyncScan, await collectAsync(asyncScan)],
      ]) {
        assert.deepEqual(
          artifacts.map((a) => a.jsonLine),
          lines.slice(0, -1),
        )
        assert.deepEqual(
          artifacts.map((a) => JSON.stringify(a)),
          lines.slice(0, -1),
        )
        const summary = scan.summary
        assert.ok(summary !== null)
        assert.deepEqual(summaryWithout(summary.jsonLine), summaryWithout(lines.at(-1)))
        assert.equal(summary.exitStatus, status)
        assert.deepEqual([summary.total, summary.outOfPolicy], [artifacts.length, artifacts.filter((a) => !a.inPolicy).length])
        const written = path.join(dir, `${name}.html`)
        scan.writeReport(written)
        assert.equal(withoutTiming(readFileSync(written, 'utf8')), withoutTiming(readFileSync(report, 'utf8')))
      }
    })
  }
}

test('the report: only once the scan has ended, and a file that cannot be written is LOAD', { skip }, () => {
  const scan = verifier.scan({ layouts: LAYOUTS, at: JULY })
  const page = path.join(scratch(), 'report.html')
  assert.throws(() => scan.writeReport(page), (e) => e.code === 'INVALID_INPUT' && /not ended/.test(e.message))
  const artifacts = [...scan]
  assert.ok(artifacts.length > 0)
  scan.writeReport(page)
  const html = readFileSync(page, 'utf8')
  assert.ok(html.startsWith('<!DOCTYPE html>') && html.includes(`${artifacts.length} artifacts`))
  assert.throws(() => scan.writeReport(path.join(page, 'inside-a-file.html')), (e) => e.code === 'LOAD' && e.message.includes('inside-a-file.html'))
  const closed = verifier.scan({ layouts: LAYOUTS, at: JULY })
  closed.close()
  assert.deepEqual([...closed], [])
  assert.throws(() => closed.writeReport(page), (e) => e.code === 'INVALID_INPUT')
})

test('typed results', { skip }, () => {
  const exceptions = nv.Exceptions.fromFile('exceptions.json')
  const scan = verifier.scan({ layouts: LAYOUTS, batches: BATCHES, at: JULY, exceptions })
  assert.ok(scan instanceof nv.Scan)
  assert.equal(scan.summary, null)
  const artifacts = [...scan]
  assert.equal(artifacts.length, scan.total)
  const classes = new Set(artifacts.map((a) => a.class))
  for (const c of ['verified', 'unsigned', 'unknownSigner', 'excepted']) assert.ok(classes.has(c), c)
  for (const a of artifacts) {
    const line = JSON.parse(a.jsonLine)
    assert.deepEqual([a.reference, a.class, a.inPolicy], [line.reference, line.class, line.inPolicy])
    assert.deepEqual([a.repository, a.source, a.tags], [line.repository, line.source, line.tags ?? []])
    assert.equal(a.classification.class, a.class)
    assert.equal(a.classification.inPolicy, a.inPolicy)
    assert.deepEqual(
      a.signers.map((s) => s?.sha256Fingerprint ?? null),
      line.signatures.map((s) => s.signer?.sha256Fingerprint ?? null),
    )
    // The CLI's line is not an enumerable member: spreading an artifact gives its fields.
    assert.deepEqual(Object.keys(a), ['reference', 'class', 'inPolicy', 'repository', 'source', 'tags', 'classification', 'signers'])
  }
  const excepted = artifacts.find((a) => a.class === 'excepted')
  assert.equal(excepted.classification.exception.owner, 'team-legacy@example.com')
  const summary = scan.summary
  assert.equal(Object.values(summary.counts).reduce((x, y) => x + y), summary.total)
  assert.equal(summary.total, summary.inPolicy + summary.outOfPolicy)
  assert.equal(summary.counts.excepted, artifacts.filter((a) => a.class === 'excepted').length)
  assert.equal(summary.at, JULY)
  assert.equal(summary.exitStatus, nv.EXIT_OUT_OF_POLICY)
  assert.deepEqual(JSON.parse(JSON.stringify(summary)), JSON.parse(summary.jsonLine))
  assert.deepEqual([...scan], [])
})

test('progress is reported up to the total, in order', { skip }, async () => {
  for (const iterate of [(s) => [...s], collectAsync]) {
    const calls = []
    const options = { layouts: LAYOUTS, batches: BATCHES, at: JULY, onProgress: (done, total) => calls.push([done, total]) }
    const scan = iterate === collectAsync ? await verifier.scanAsync(options) : verifier.scan(options)
    const count = (await iterate(scan)).length
    assert.deepEqual(calls.at(-1), [count, count])
    const done = calls.map(([d]) => d)
    assert.deepEqual(done, [...done].sort((x, y) => x - y))
  }
})

test('an exception in onProgress stops the scan', { skip }, () => {
  const scan = verifier.scan({
    layouts: LAYOUTS,
    at: JULY,
    onProgress: () => {
      throw new Error('stop here')
    },
  })
  assert.throws(() => [...scan], /stop here/)
  assert.equal(scan.summary, null)
  assert.deepEqual([...scan], [])
})

test('leaving the loop early stops the scan', { skip }, async () => {
  const sync = verifier.scan({ layouts: LAYOUTS, batches: BATCHES, at: JULY })
  for (const artifact of sync) {
    assert.equal(typeof artifact.reference, 'string')
    break
  }
  assert.deepEqual([...sync], [])
  assert.equal(sync.summary, null)
  const closed = await verifier.scanAsync({ layouts: LAYOUTS, batches: BATCHES, at: JULY })
  closed.close()
  assert.deepEqual(await collectAsync(closed), [])
  assert.equal(closed.summary, null)
})

test('an aborted signal stops scanAsync with its AbortError', { skip }, async () => {
  const aborted = new AbortController()
  aborted.abort()
  await assert.rejects(verifier.scanAsync({ layouts: LAYOUTS, at: JULY }, aborted.signal), { name: 'AbortError' })
  const controller = new AbortController()
  const scan = await verifier.scanAsync({ layouts: LAYOUTS, batches: BATCHES, at: JULY }, controller.signal)
  const seen = []
  await assert.rejects(
    (async () => {
      for await (const artifact of scan) {
        seen.push(artifact)
        controller.abort()
      }
    })(),
    { name: 'AbortError' },
  )
  assert.equal(seen.length, 1)
  assert.equal(scan.summary, null)
})

test('bad input throws before anything is verified, with the codes of the other methods', { skip }, async () => {
  const dir = scratch()
  const bad = path.join(dir, 'bad.jsonl')
  writeFileSync(bad, '{"reference": "registry.example/app@sha256:00", "signatures": ["nowhere.jws"]}\n')
  const missingLayout = path.join(dir, 'missing-layout')
  let layoutCode
  try {
    verifier.verifyOciLayout(missingLayout, { reference: 'latest', scope: 'registry.example/app' })
  } catch (e) {
    layoutCode = e.code
  }
  assert.equal(typeof layoutCode, 'string')
  const invalid = (pattern) => (e) => e.code === 'INVALID_INPUT' && pattern.test(e.message)
  const cases = [
    [{ batches: ['missing.jsonl'] }, (e) => e.code === 'LOAD' && e.message.includes('missing.jsonl')],
    [{ batches: [bad] }, (e) => e.code !== 'INTERNAL' && e.message.includes('line 1')],
    [{ layouts: [{ dir: missingLayout, scope: 'registry.example/app' }] }, (e) => e.code === layoutCode && e.message.includes('missing-layout')],
    [{}, invalid(/nothing to scan/)],
    [{ layouts: [{ dir: 'layouts/app', scope: '' }] }, invalid(/registry\/repository/)],
    [{ layouts: LAYOUTS, only: ['registry.example/nothing'] }, invalid(/none of the inputs/)],
    [{ layouts: LAYOUTS, threads: 0 }, invalid(/threads/)],
    [{ layouts: LAYOUTS, at: 'yesterday' }, invalid(/at/)],
    [{ layouts: LAYOUTS, onProgress: 'often' }, invalid(/onProgress/)],
    [{ layouts: LAYOUTS, exceptions: {} }, invalid(/exceptions must be Exceptions/)],
  ]
  for (const [options, check] of cases) {
    assert.throws(() => verifier.scan(options), check, JSON.stringify(options))
    await assert.rejects(verifier.scanAsync(options), check, JSON.stringify(options))
  }
})

test('only and taggedOnly', { skip: skipCli }, () => {
  const only = [...verifier.scan({ layouts: LAYOUTS, batches: BATCHES, at: JULY, only: ['registry.example/app'] })]
  assert.ok(only.length > 0)
  assert.deepEqual(new Set(only.map((a) => a.repository)), new Set(['registry.example/app']))
  // The fixtures tag every artifact: a copy of a layout whose first tag is removed.
  const dir = path.join(scratch(), 'app')
  cpSync('layouts/app', dir, { recursive: true })
  const index = JSON.parse(readFileSync(path.join(dir, 'index.json'), 'utf8'))
  delete index.manifests.find((m) => m.annotations?.['org.opencontainers.image.ref.name'] !== undefined).annotations
  writeFileSync(path.join(dir, 'index.json'), JSON.stringify(index))
  const layouts = [{ dir, scope: 'registry.example/app' }]
  const all = [...verifier.scan({ layouts, at: JULY })]
  const tagged = [...verifier.scan({ layouts, at: JULY, taggedOnly: true })]
  assert.equal(tagged.length, all.length - 1)
  assert.ok(tagged.every((a) => a.tags.length > 0))
  const { lines } = cli(['--at', JULY, '--oci-layout', dir, '--scope', 'registry.example/app', '--tagged-only'])
  assert.deepEqual(
    tagged.map((a) => a.jsonLine),
    lines.slice(0, -1),
  )
})
