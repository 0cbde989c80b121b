// examples/node/verify-task.mjs is the twin of `notaverify verify`: run side by side over the
// CLI's fixtures (cli/tests/fixtures, and cli/tests/fixtures/scan for exceptions and retired
// material), with and without the rollout options, they exit with the same status and print the
// same JSON document.
//
// The CLI is $NOTAVERIFY_CLI (run-tests.sh builds it and sets it), else target/debug/notaverify.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { REPO, CLI_FIXTURES } from './helpers.mjs'

const TASK = path.join(REPO, 'examples', 'node', 'verify-task.mjs')
const SCAN = path.join(CLI_FIXTURES, 'scan')
const CLI = process.env.NOTAVERIFY_CLI || path.join(REPO, 'target', 'debug', 'notaverify')
const skip = (!existsSync(CLI) && `no CLI binary at ${CLI} (cargo build -p notaverify-cli)`) ||
  (!existsSync(path.join(SCAN, 'exceptions.json')) && 'cli fixtures not present')

// As cli/tests: the layouts of cli/tests/fixtures were signed on 2025-06-01; the scan fixtures
// are judged in July (exceptions in force) and October (after their deadline).
const AT = '2025-07-01T00:00:00Z'
const JULY = AT
const OCTOBER = '2025-10-01T00:00:00Z'
const SCOPE = 'example.com/app'
const TARGETS = skip ? {} : JSON.parse(readFileSync(path.join(CLI_FIXTURES, 'targets.json'), 'utf8'))

function run(command, args, cwd) {
  const env = { ...process.env }
  delete env.NOTATION_CONFIG
  const r = spawnSync(command[0], [...command.slice(1), ...args], { encoding: 'utf8', cwd, env, timeout: 120_000 })
  return { status: r.status, document: r.stdout.trim() ? JSON.parse(r.stdout) : null, stderr: r.stderr }
}

// Runs the CLI and the task with `args -o json`; asserts the same status and document.
function sideBySide(args, cwd) {
  const withJson = [...args.slice(0, -1), '-o', 'json', args.at(-1)]
  const cli = run([CLI, 'verify'], withJson, cwd)
  const task = run([process.execPath, TASK], withJson, cwd)
  assert.notEqual(cli.document, null, cli.stderr)
  assert.deepEqual(
    { status: task.status, document: task.document },
    { status: cli.status, document: cli.document },
    `${withJson.join(' ')}\nCLI: ${cli.stderr}\ntask: ${task.stderr}`,
  )
  return task
}

const layout = (name, extra = [], policy = 'strict') => [
  '--config-dir', path.join(CLI_FIXTURES, 'config'),
  '--trust-policy', path.join(CLI_FIXTURES, 'policies', `${policy}.json`),
  '--oci-layout', '--scope', SCOPE, '--at', AT, ...extra,
  `${path.join(CLI_FIXTURES, 'layouts', name)}:v1`,
]

const MODES = [[], ['--warn-only']]

test('layouts, enforce and warn', { skip }, () => {
  for (const mode of MODES) {
    for (const name of ['good', 'expired', 'expired-leaf', 'untrusted', 'unsigned', 'tampered', 'signing-authority', 'multi', 'plugin', 'revocation']) {
      sideBySide(layout(name, mode), CLI_FIXTURES)
    }
  }
})

test('layouts with options, enforce and warn', { skip }, () => {
  const cases = [
    ['expired', 'audit', []],
    ['untrusted', 'skip', []],
    ['good', 'other-identity', []],
    ['multi', 'strict', ['--all-signatures']],
    ['multi', 'strict', ['--max-signatures', '1']],
    ['metadata', 'strict', ['-m', 'buildId=101']],
  ]
  for (const mode of MODES) {
    for (const [name, policy, extra] of cases) sideBySide(layout(name, [...extra, ...mode], policy), CLI_FIXTURES)
  }
})

test('envelope files for a digest reference, enforce and warn', { skip }, () => {
  for (const mode of MODES) {
    for (const signatures of [['good.jws'], ['good.cose'], ['untrusted.jws'], ['untrusted.jws', 'good.jws']]) {
      const args = ['--config-dir', path.join(CLI_FIXTURES, 'config'), '--at', AT, ...mode]
      for (const s of signatures) args.push('--signature', path.join(CLI_FIXTURES, 'signatures', s))
      sideBySide([...args, `${SCOPE}@${TARGETS.good}`], CLI_FIXTURES)
    }
  }
})

const scanLayout = (name, at, extra, policy = 'rotation') => {
  const [repository, tag] = name.split('/')
  return [
    '--config-dir', 'config', '--trust-policy', `policies/${policy}.json`,
    '--oci-layout', '--scope', `registry.example/${repository}`, '--at', at, ...extra,
    `layouts/${repository}:${tag}`,
  ]
}

test('rollout: exceptions, retired material, warn mode', { skip }, () => {
  const cases = [
    ['app/unknown', JULY, 'rotation', ['--warn-only']],
    ['app/unknown', JULY, 'rotation', ['--exceptions', 'exceptions.json']],
    ['app/new', JULY, 'rotation', ['--warn-only']],
    ['app/expired', JULY, 'rotation', ['--warn-only', '--exceptions', 'exceptions.json']],
    ['app/tampered', JULY, 'rotation', ['--exceptions', 'exceptions.json']],
    ['app/revocation', JULY, 'rotation', ['--warn-only']],
    ['legacy/legacy-a', JULY, 'rotation', ['--exceptions', 'exceptions.json']],
    ['legacy/legacy-a', OCTOBER, 'rotation', ['--exceptions', 'exceptions.json']],
    ['legacy/legacy-a', '2025-09-29T23:59:59Z', 'rotation', ['--exceptions', 'exceptions.json']],
    ['legacy/legacy-a', OCTOBER, 'rotation', ['--warn-only', '--exceptions', 'exceptions.json']],
    ['legacy/legacy-b', JULY, 'rotation', ['--warn-only']],
    ['app/dual', JULY, 'rotation', ['--retired', 'retired-leaf.json']],
    ['app/old', JULY, 'rotation', ['--retired', 'retired.json']],
    ['app/old', JULY, 'rotated', ['--exceptions', 'exceptions.json', '--retired', 'retired.json']],
    ['app/old', JULY, 'rotated', ['--warn-only', '--retired', 'retired.json']],
    ['vendor/tool', JULY, 'rotation', ['--warn-only', '--exceptions', 'exceptions-wildcard.json']],
    ['batchjobs/nightly', JULY, 'rotation', ['--warn-only']],
  ]
  const classes = new Set()
  for (const [name, at, policy, extra] of cases) {
    const { document } = sideBySide(scanLayout(name, at, extra, policy), SCAN)
    classes.add(document.class)
  }
  // The cases reach the classes the rollout options decide, not only the plain verdicts.
  for (const c of ['excepted', 'retiredSigner', 'unknownSigner']) assert.ok(classes.has(c), `${c} in ${[...classes]}`)
})

test('verify-warn logs one structured line', { skip }, () => {
  const { status, document, stderr } = sideBySide(scanLayout('app/unknown', JULY, ['--warn-only']), SCAN)
  assert.equal(status, 0)
  assert.ok(document.wouldFail.length > 0, JSON.stringify(document))
  const lines = stderr.split('\n').filter((line) => line.startsWith('notaverify-gate '))
  assert.equal(lines.length, 1, stderr)
  const record = JSON.parse(lines[0].slice('notaverify-gate '.length))
  assert.equal(record.phase, 'verify-warn')
  assert.equal(record.wouldBlock, true)
  assert.equal(record.class, document.class)
  assert.equal(record.class, 'unknownSigner')
})

test('not evaluated: the same code and message, exit 2 also in warn mode', { skip }, () => {
  const cases = [
    ['--config-dir', path.join(CLI_FIXTURES, 'config'), '--at', AT, `${SCOPE}@${TARGETS.good}`],
    ['--config-dir', 'config', '--trust-policy', 'policies/rotation.json', '--exceptions', 'missing.json',
      '--oci-layout', '--scope', 'registry.example/app', 'layouts/app:new'],
    ['--config-dir', 'config', '--trust-policy', 'policies/rotation.json', '--exceptions', 'exceptions-no-deadline.json',
      '--oci-layout', '--scope', 'registry.example/app', 'layouts/app:new'],
    ['--config-dir', 'config', '--trust-policy', 'policies/rotation.json',
      '--oci-layout', '--scope', 'registry.example/nothing', 'layouts/app:new'],
    ['--config-dir', 'config', '--trust-policy', 'policies/rotation.json', '--signature', 'missing.jws', `registry.example/app@${TARGETS.good}`],
  ]
  for (const mode of MODES) {
    for (const args of cases) {
      const { status, document } = sideBySide([...mode, ...args], SCAN)
      assert.equal(status, 2)
      assert.ok(document.error.code, JSON.stringify(document))
      if (mode.length > 0) assert.deepEqual([document.evaluated, document.wouldFail], [false, null])
    }
  }
})
