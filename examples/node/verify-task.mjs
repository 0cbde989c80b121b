#!/usr/bin/env node
// Pipeline task: verify an image's notation signatures between build and deploy.
//
// Exits like the `notaverify` CLI, so a CI step can run it and stop on any non-zero status:
//   0  verified under the applicable trust policy (also level `skip`, and failures the policy
//      only logs, which are printed as warnings);
//   1  verification failed (no signature verified, none found, an enforced check failed);
//   2  could not evaluate (bad arguments, unreadable or invalid policy or trust store, no
//      applicable policy statement, a reference without a digest, ...).
//
// Examples:
//   # an OCI image layout (e.g. from `oras copy --to-oci-layout` or a build), by tag or digest
//   node verify-task.mjs --config-dir ~/.config/notation \
//       --oci-layout --scope registry.example/app build/layout:v1
//   # envelope files for a digest reference
//   node verify-task.mjs --signature sig.jws registry.example/app@sha256:4be9...
//   # the example shipped in this repository
//   node verify-task.mjs --config-dir ../config --oci-layout --scope example.com/app ../layout:v1
//
// Requires the `notaverify` package (`npm install notaverify`, or build ../../bindings-node).
// Verification runs on the libuv thread pool (`...Async`), so a task server stays responsive.

import { createRequire } from 'node:module'
import { readFile } from 'node:fs/promises'
import { parseArgs } from 'node:util'
import { fileURLToPath } from 'node:url'
import path from 'node:path'

const EXIT_VERIFIED = 0
const EXIT_FAILED = 1
const EXIT_ERROR = 2

const require = createRequire(import.meta.url)
function loadNotaverify() {
  try {
    return require('notaverify')
  } catch {
    return require('../../bindings-node/index.js') // this repository's build
  }
}

class UsageError extends Error {
  code = 'INVALID_INPUT'
}

function parse(argv) {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      'config-dir': { type: 'string' },
      signature: { type: 'string', multiple: true, default: [] },
      'oci-layout': { type: 'boolean', default: false },
      scope: { type: 'string' },
      'user-metadata': { type: 'string', short: 'm', multiple: true, default: [] },
      at: { type: 'string' },
      'max-signatures': { type: 'string' },
      json: { type: 'boolean', default: false },
    },
  })
  if (positionals.length !== 1) throw new UsageError('give exactly one reference')
  if (values['oci-layout'] === values.signature.length > 0) throw new UsageError('give either --oci-layout or at least one --signature')
  if (values['oci-layout'] && !values.scope) throw new UsageError('--scope is required with --oci-layout')
  return { ...values, reference: positionals[0] }
}

/** `<dir>@<digest>` or `<dir>:<tag>` -> [dir, digest or tag], as notation splits them. */
function splitLayoutReference(raw) {
  const sep = raw.includes('@') ? '@' : ':'
  const at = raw.lastIndexOf(sep)
  if (at <= 0 || at === raw.length - 1) throw new UsageError(`${JSON.stringify(raw)} is not <dir>:<tag> or <dir>@<digest>`)
  return [raw.slice(0, at), raw.slice(at + 1)]
}

function userMetadata(pairs) {
  const metadata = {}
  for (const pair of pairs) {
    const eq = pair.indexOf('=')
    if (eq <= 0) throw new UsageError(`user metadata ${JSON.stringify(pair)} is not KEY=VALUE`)
    metadata[pair.slice(0, eq)] = pair.slice(eq + 1)
  }
  return metadata
}

async function verify(nv, args) {
  const verifier = nv.Verifier.fromConfigDir(args['config-dir'])
  const options = { userMetadata: userMetadata(args['user-metadata']), at: args.at }
  if (args['max-signatures'] !== undefined) options.maxSignatures = Number(args['max-signatures'])
  if (args['oci-layout']) {
    const [dir, target] = splitLayoutReference(args.reference)
    return verifier.verifyOciLayoutAsync(dir, { ...options, reference: target, scope: args.scope })
  }
  const envelopes = await Promise.all(args.signature.map((f) => readFile(f)))
  return verifier.verifyArtifactAsync(args.reference, envelopes, options)
}

function report(outcome) {
  if (outcome.policy?.level === 'skip') {
    console.error(`Trust policy is configured to skip signature verification for ${outcome.reference}`)
    return
  }
  const verified = outcome.signatures.find((s) => s.verified)
  for (const check of verified?.checks ?? []) {
    if (!check.passed && check.action === 'log') {
      console.error(`Warning: ${check.type} was set to "log" and failed with error: ${check.error}`)
    }
  }
  console.error(`Successfully verified signature for ${outcome.reference}`)
  for (const [key, value] of Object.entries(verified?.userMetadata ?? {}).sort()) console.error(`  ${key} = ${value}`)
}

function reportFailure(outcome) {
  console.error(`Error: ${outcome.error?.message ?? 'verification failed'}`)
  for (const s of outcome.signatures) {
    if (s.failure) console.error(`  ${s.digest ?? 'signature'}: ${s.failure} failed: ${s.error}`)
  }
}

export async function main(argv = process.argv.slice(2)) {
  try {
    const args = parse(argv)
    const outcome = await verify(loadNotaverify(), args)
    if (args.json) console.log(JSON.stringify(outcome))
    if (outcome.verified) {
      report(outcome)
      return EXIT_VERIFIED
    }
    reportFailure(outcome)
    return EXIT_FAILED
  } catch (e) {
    // Every error exits 2: a failure to evaluate must never look like success.
    console.error(`Error${e?.code ? ` (${e.code})` : ''}: ${e?.message ?? e}`)
    return EXIT_ERROR
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  process.exitCode = await main()
}
