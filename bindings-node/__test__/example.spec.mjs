// examples/node/verify-task.mjs exits like the CLI: 0 verified, 1 failed, 2 cannot evaluate
// (verify-task.spec.mjs runs it beside the CLI).
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import path from 'node:path'
import { REPO, FIXTURES, CLI_FIXTURES, REFERENCE, present } from './helpers.mjs'

const task = path.join(REPO, 'examples', 'node', 'verify-task.mjs')
const run = (...args) => {
  const r = spawnSync(process.execPath, [task, ...args], { encoding: 'utf8' })
  return { status: r.status, stdout: r.stdout, stderr: r.stderr }
}
const sig = (f) => path.join(FIXTURES, 'envelopes', f)

test('envelope files: verified (0), failed (1), cannot evaluate (2)', () => {
  const ok = run('--config-dir', FIXTURES, '--signature', sig('p256.jws'), REFERENCE)
  assert.equal(ok.status, 0, ok.stderr)
  assert.match(ok.stdout, /Successfully verified signature for registry\.example\/app@sha256:/)
  const failed = run('--config-dir', FIXTURES, '--signature', sig('untrusted.jws'), '--signature', sig('expired.cose'), REFERENCE)
  assert.equal(failed.status, 1, failed.stderr)
  assert.match(failed.stderr, /failed verification/)
  const bad = run('--config-dir', FIXTURES, '--signature', sig('p256.jws'), 'registry.example/app:v1')
  assert.equal(bad.status, 2)
  assert.match(bad.stderr, /^Error: /)
  assert.equal(run('--signature', sig('p256.jws')).status, 2, 'usage error')
  assert.equal(run('--config-dir', '/nonexistent', '--signature', sig('p256.jws'), REFERENCE).status, 2)
})

test('-o json prints the outcome; -m enforces user metadata', () => {
  const r = run('--config-dir', FIXTURES, '--signature', sig('metadata.jws'), '-m', 'buildId=101', '-o', 'json', REFERENCE)
  assert.equal(r.status, 0, r.stderr)
  const outcome = JSON.parse(r.stdout)
  assert.equal(outcome.verified, true)
  assert.equal(outcome.signatures[0].userMetadata.buildId, '101')
  assert.equal(run('--config-dir', FIXTURES, '--signature', sig('metadata.jws'), '-m', 'buildId=102', REFERENCE).status, 1)
})

test('OCI layouts', { skip: !present('cli/tests/fixtures/layouts/good/index.json') && 'cli fixtures not present' }, () => {
  const layout = (name) => path.join(CLI_FIXTURES, 'layouts', name) + ':v1'
  const args = ['--config-dir', path.join(CLI_FIXTURES, 'config'), '--oci-layout', '--scope', 'example.com/app', '--at', '2025-07-01T00:00:00Z']
  assert.equal(run(...args, layout('good')).status, 0)
  assert.equal(run(...args, layout('tampered')).status, 1)
  assert.equal(run(...args, layout('unsigned')).status, 1)
  assert.equal(run(...args, layout('corrupt-target')).status, 2)
})

test('the bundled example verifies', { skip: !present('examples/layout/index.json') && 'examples not present' }, () => {
  const ex = path.join(REPO, 'examples')
  const r = run('--config-dir', path.join(ex, 'config'), '--oci-layout', '--scope', 'example.com/app', path.join(ex, 'layout') + ':v1')
  assert.equal(r.status, 0, r.stderr)
})
