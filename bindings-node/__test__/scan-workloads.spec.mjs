// Verifier.scan / scanAsync with `workloads` and `previous` against `notaverify scan --workloads FILE
// [--workloads-source NAME] --previous OLD.jsonl -o json --report F` (the CLI binary from
// NOTAVERIFY_CLI, which run-tests.sh builds) over the CLI's fixtures: the scan layouts and batch
// files of cli/tests/fixtures/scan, the workloads files of cli/tests/fixtures/workloads (kubectl
// JSON and YAML, az containerapp and az webapp JSON), the rotated policy of
// cli/tests/fixtures/progress. Every artifact line, every workload line, the summary line (but
// for its timing), the warnings, the exit status and the report page are compared; bad workloads
// and previous files throw with the CLI's code and message, before anything is verified.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { nv, CLI_FIXTURES } from './helpers.mjs'

const SCAN = path.join(CLI_FIXTURES, 'scan')
const CLI = process.env.NOTAVERIFY_CLI
const skip =
  (!existsSync(path.join(CLI_FIXTURES, 'workloads', 'kubectl-list.json')) && 'cli workloads fixtures not present') ||
  (!CLI && 'NOTAVERIFY_CLI is not set (run-tests.sh sets it)')
const JULY = '2025-07-01T00:00:00Z'
const OCTOBER = '2025-10-01T00:00:00Z'
const LAYOUTS = ['app', 'legacy', 'batchjobs', 'vendor'].map((name) => ({ dir: `layouts/${name}`, scope: `registry.example/${name}` }))
const BATCHES = ['batch.jsonl', '../workloads/batch-tags.jsonl']
// Members of the summary line that are never the same twice: the timing.
const NOT_COMPARED = ['elapsedSeconds', 'microsecondsPerArtifact']
// The report page with its timing (in its header line) masked; exactly one is required.
function withoutTiming(file) {
  let masked = 0
  const page = readFileSync(file, 'utf8').replace(/ in [0-9]+\.[0-9]{2} s \([0-9]+ µs per artifact, /, () => {
    masked += 1
    return ' in _ s (_ µs per artifact, '
  })
  assert.equal(masked, 1, `no timing in the header line of ${file}`)
  return page
}
const scratch = () => mkdtempSync(path.join(tmpdir(), 'notaverify-workloads-'))
// Several clusters and subscriptions, some labelled, some by their file name.
const CLUSTERS = [
  { path: '../workloads/kubectl-list.json', source: 'aks-prod' },
  { path: '../workloads/manifests.yaml' },
  { path: '../workloads/containerapps.json', source: 'aca-prod' },
  { path: '../workloads/webapps.json', source: 'appsvc-prod' },
  { path: '../workloads/webapp-sitecontainers.json', source: 'appsvc-prod' },
  { path: '../workloads/normalisation.yaml' },
  { path: '../workloads/containerapp-job.json' },
]

// Paths relative to the scan fixtures, as the CLI is run there: the `source` members agree.
if (!skip) process.chdir(SCAN)

/**
 * A scan's configuration, for the CLI and for Verifier.scan: July under the workloads policy
 * (both CAs trusted, the legacy exception in force), or October under the rotated policy (the old
 * CA retired, the exception past its deadline).
 */
function setting({ october, warnOnly = false }) {
  const at = october ? OCTOBER : JULY
  const policy = october ? '../progress/rotated-workloads.json' : '../workloads/policy.json'
  const args = ['--config-dir', 'config', '--trust-policy', policy, '--exceptions', 'exceptions.json', '--at', at, '--jobs', '2', '--no-progress']
  const options = { exceptions: nv.Exceptions.fromFile('exceptions.json'), warnOnly, at, threads: 2 }
  if (october) {
    args.push('--retired', 'retired.json')
    options.retired = nv.RetiredMaterial.fromFile('retired.json', 'config')
  }
  if (warnOnly) args.push('--warn-only')
  const verifier = new nv.Verifier(nv.TrustPolicy.fromFile(policy), nv.TrustStore.fromConfigDir('config'))
  return {
    /** `notaverify scan ... -o json` with these workloads files and previous scan. */
    cli(workloads, previous, ...extra) {
      const command = ['scan', ...args, '-o', 'json', ...extra]
      command.push(...LAYOUTS.flatMap((l) => ['--oci-layout', l.dir, '--scope', l.scope]))
      command.push(...BATCHES.flatMap((b) => ['--batch', b]))
      for (const w of workloads) command.push('--workloads', w.path, ...(w.source === undefined ? [] : ['--workloads-source', w.source]))
      if (previous !== null) command.push('--previous', previous)
      return spawnSync(CLI, command, { encoding: 'utf8' })
    },
    /** The same scan's options for Verifier.scan. */
    options: (workloads, previous, extra = {}) => ({ layouts: LAYOUTS, batches: BATCHES, ...options, workloads, ...(previous === null ? {} : { previous }), ...extra }),
    verifier,
  }
}

/** The CLI's artifact lines, workload lines and summary line. */
function split(stdout) {
  const lines = stdout.split('\n').filter((l) => l !== '')
  const body = lines.slice(0, -1)
  const first = body.findIndex((line) => 'workload' in JSON.parse(line))
  const at = first === -1 ? body.length : first
  return { artifacts: body.slice(0, at), workloads: body.slice(at), summary: lines.at(-1) }
}

const summaryWithout = (line) =>
  Object.fromEntries(Object.entries(JSON.parse(line).summary).filter(([k]) => !NOT_COMPARED.includes(k)))

/** The warnings the CLI printed about the workloads files. */
const warned = (stderr) =>
  stderr
    .split('\n')
    .filter((line) => line.includes('workloads file'))
    .map((line) => line.replace(/^Warning: /, ''))

async function collect(scan, async) {
  const artifacts = []
  if (async) for await (const artifact of scan) artifacts.push(artifact)
  else for (const artifact of scan) artifacts.push(artifact)
  return artifacts
}

/**
 * Scans with the CLI and with Node (`scanAsync` when `async`), requires the same lines, summary,
 * warnings and exit status; the finished Node scan.
 */
async function compare(s, workloads, previous, async = false) {
  const run = s.cli(workloads, previous)
  assert.ok(run.status === 0 || run.status === 1, run.stderr)
  const expected = split(run.stdout)
  const scan = async ? await s.verifier.scanAsync(s.options(workloads, previous)) : s.verifier.scan(s.options(workloads, previous))
  assert.equal(scan.workloads, null, 'no workload containers before the scan ended')
  assert.deepEqual((await collect(scan, async)).map((a) => a.jsonLine), expected.artifacts)
  const containers = scan.workloads
  assert.ok(Array.isArray(containers))
  assert.equal(scan.workloads, containers, 'read once, then kept')
  assert.deepEqual(containers.map((c) => c.jsonLine), expected.workloads)
  // The objects are the lines parsed (every member, nothing else), and serialise to them.
  assert.deepEqual(containers.map((c) => ({ ...c })), expected.workloads.map((line) => JSON.parse(line)))
  assert.deepEqual(containers.map((c) => JSON.parse(JSON.stringify(c))), expected.workloads.map((line) => JSON.parse(line)))
  const summary = scan.summary
  assert.deepEqual(summaryWithout(summary.jsonLine), summaryWithout(expected.summary))
  assert.equal(summary.exitStatus, run.status)
  const cliWorkloads = JSON.parse(expected.summary).summary.workloads
  assert.deepEqual(
    [summary.workloadsTotal, summary.workloadsOutOfPolicy, { ...summary.workloadCounts }],
    [cliWorkloads.total, cliWorkloads.outOfPolicy, cliWorkloads.counts],
  )
  assert.deepEqual(scan.warnings, warned(run.stderr))
  return scan
}

for (const october of [false, true]) {
  for (const warnOnly of [false, true]) {
    // scanAsync in October, scan in July: both iterations end with the same workload lines.
    test(`workload lines, summary, warnings and exit status are the CLI's: ${october ? 'October' : 'July'}, warnOnly ${warnOnly}`, { skip }, async () => {
      const scan = await compare(setting({ october, warnOnly }), CLUSTERS, null, october)
      const containers = scan.workloads
      // Not a vacuous comparison: every file's containers are there, some not scanned.
      const sources = new Set(containers.map((c) => c.workload.source))
      for (const source of ['aks-prod', 'manifests.yaml', 'aca-prod', 'appsvc-prod']) assert.ok(sources.has(source), source)
      assert.ok(containers.some((c) => c.class === 'notScanned' && !c.inPolicy))
      assert.ok(containers.some((c) => c.inPolicy))
      assert.ok(scan.warnings.some((w) => w.includes('Service')), "the kubectl list's Service is skipped with a warning")
      assert.equal(scan.summary.exitStatus, warnOnly ? 0 : 1)
    })
  }
}

test('the exit status follows the deployed workloads alone', { skip }, () => {
  // Every scanned artifact in policy, a deployed image that no input holds: exit 1, as the CLI.
  const s = setting({ october: false })
  const only = ['docker.io/library/nginx']
  for (const [file, status] of [['nginx-only.yaml', 0], ['kubectl-list.json', 1]]) {
    const workloads = [{ path: `../workloads/${file}` }]
    const run = s.cli(workloads, null, '--only', only[0])
    const scan = s.verifier.scan(s.options(workloads, null, { only }))
    const artifacts = [...scan]
    assert.deepEqual([run.status, scan.summary.exitStatus, scan.summary.outOfPolicy], [status, status, 0])
    assert.ok(artifacts.length > 0 && artifacts.every((a) => a.inPolicy))
    assert.deepEqual(scan.workloads.map((c) => c.jsonLine), split(run.stdout).workloads)
  }
})

/** A July scan's `-o json` output, written to a scratch file: the previous scan of October's. */
function julyOutput() {
  const july = setting({ october: false }).cli(CLUSTERS, null)
  assert.equal(july.status, 1, july.stderr)
  const old = path.join(scratch(), 'july.jsonl')
  writeFileSync(old, july.stdout)
  return old
}

test("progress since a previous scan is the CLI's", { skip }, async () => {
  const old = julyOutput()
  const scan = await compare(setting({ october: true }), CLUSTERS, old, true)
  const progress = JSON.parse(scan.summary.jsonLine).summary.progress
  assert.equal(progress.previous, old)
  // The rotation retired the old CA: artifacts and the workloads running them newly out of policy.
  for (const side of [progress.artifacts, progress.workloads]) {
    assert.ok(side.changes.newlyOutOfPolicy > 0 && side.changed.some((c) => c.change === 'newlyOutOfPolicy'), 'the rotation changed classes')
  }
})

for (const withPrevious of [false, true]) {
  test(`writeReport is the CLI's page with the deployed workloads${withPrevious ? ' and the progress' : ''}`, { skip }, () => {
    const previous = withPrevious ? julyOutput() : null
    const s = setting({ october: true })
    const dir = scratch()
    const cliPage = path.join(dir, 'cli.html')
    const nodePage = path.join(dir, 'node.html')
    const run = s.cli(CLUSTERS, previous, '--report', cliPage)
    assert.equal(run.status, 1, run.stderr)
    const scan = s.verifier.scan(s.options(CLUSTERS, previous))
    for (const _ of scan);
    scan.writeReport(nodePage)
    const page = withoutTiming(nodePage)
    assert.equal(page, withoutTiming(cliPage))
    assert.ok(page.includes('Deployed workloads'))
    assert.equal(page.includes('Progress since the previous scan'), withPrevious)
  })
}

/** The `{ code, message }` of the CLI's exit-2 JSON. */
function cliError(s, workloads, previous) {
  const run = s.cli(workloads, previous)
  assert.equal(run.status, 2, run.stdout)
  return JSON.parse(run.stdout).error
}

for (const file of ['missing.json', '', 'not-workloads.json', 'broken.yaml', 'empty.yaml', 'batch-tags.jsonl']) {
  const workloads = `../workloads/${file}`
  test(`a bad workloads file throws as the CLI fails: ${workloads}`, { skip }, async () => {
    const s = setting({ october: false })
    const expected = cliError(s, [{ path: workloads }], null)
    for (const async of [false, true]) {
      const progress = []
      const onProgress = (done, total) => progress.push([done, total])
      // A file that is not there, or not a file: thrown by scan() itself (rejected by
      // scanAsync), before anything is verified; one that does not parse: by the iteration,
      // and there is no summary.
      let scan = null
      await assert.rejects(
        async () => {
          const options = s.options([{ path: workloads }], null, { onProgress })
          scan = async ? await s.verifier.scanAsync(options) : s.verifier.scan(options)
          await collect(scan, async)
        },
        (e) => {
          assert.deepEqual([e.code, e.message], [expected.code, expected.message])
          return true
        },
      )
      if (/cannot be read|not a regular file/.test(expected.message)) {
        assert.equal(scan, null)
        assert.deepEqual(progress, [])
      } else {
        assert.deepEqual([scan.summary, scan.workloads], [null, null])
      }
    }
  })
}

test('an empty source label is invalid input', { skip }, () => {
  const s = setting({ october: false })
  assert.throws(
    () => s.verifier.scan(s.options([{ path: '../workloads/nginx-only.yaml', source: '' }], null)),
    (e) => e.code === 'INVALID_INPUT' && e.message.includes('nginx-only.yaml'),
  )
})

for (const content of [null, '', '{"reference": "registry.example/app@sha256:00", "class": "verified", "inPolicy": true}\n', 'not json\n']) {
  test(`a bad previous scan throws before anything is verified: ${JSON.stringify(content)}`, { skip }, async () => {
    const previous = path.join(scratch(), 'previous.jsonl')
    if (content !== null) writeFileSync(previous, content)
    const s = setting({ october: false })
    const expected = cliError(s, CLUSTERS, previous)
    // The CLI names the option (`--previous: ...`), Node the option (`previous: ...`).
    const message = 'previous: ' + expected.message.replace(/^--previous: /, '')
    const matches = (e) => {
      assert.deepEqual([e.code, e.message], [expected.code, message])
      return true
    }
    const progress = []
    const options = s.options(CLUSTERS, previous, { onProgress: (done, total) => progress.push([done, total]) })
    assert.throws(() => s.verifier.scan(options), matches)
    await assert.rejects(s.verifier.scanAsync(options), matches)
    assert.deepEqual(progress, [])
  })
}

test('without workloads there are none', { skip }, () => {
  const s = setting({ october: false })
  const scan = s.verifier.scan({ layouts: LAYOUTS, batches: BATCHES, at: JULY })
  for (const _ of scan);
  const summary = scan.summary
  assert.ok(summary !== null)
  assert.deepEqual(
    [scan.workloads, scan.warnings, summary.workloadsTotal, summary.workloadsOutOfPolicy, summary.workloadCounts],
    [null, [], null, null, null],
  )
  assert.ok(!('workloads' in JSON.parse(summary.jsonLine).summary))
})

test("bad inputs are reported in the CLI's order: workloads files, then scan inputs, then the previous scan", { skip }, async () => {
  const s = setting({ october: false })
  const missing = { path: '../workloads/missing.json' }
  const previous = path.join(scratch(), 'missing.jsonl')
  for (const [workloads, batch] of [
    [[missing], 'missing-batch.jsonl'],
    [CLUSTERS, 'missing-batch.jsonl'],
    [CLUSTERS, null],
  ]) {
    const run = s.cli(workloads, previous, ...(batch === null ? [] : ['--batch', batch]))
    assert.equal(run.status, 2, run.stdout)
    const expected = JSON.parse(run.stdout).error
    const message = expected.message.replace(/^--previous: /, 'previous: ')
    const options = s.options(workloads, previous, batch === null ? {} : { batches: [batch, ...BATCHES] })
    const matches = (e) => {
      assert.deepEqual([e.code, e.message], [expected.code, message])
      return true
    }
    assert.throws(() => s.verifier.scan(options), matches)
    await assert.rejects(s.verifier.scanAsync(options), matches)
  }
})
