#!/usr/bin/env node
// Pipeline task: verify an image's notation signatures between build and deploy.
//
// The Node twin of `notaverify verify`: it takes the same arguments, prints the same JSON
// document with `-o json`, and exits with the same status, so a CI step can switch between the
// two without changing anything else.
//
// Rollout, in three phases:
//   1. Sign-only inventory. Nothing is verified at deploy time yet. Take stock of what is
//      signed, by whom, and with which material: `notaverify scan` (every image of a layout or a
//      batch, one class each) and `notaverify inspect` (one signature).
//   2. Verify-warn. Run this task with `--warn-only`: it verifies and classifies, never blocks
//      (exit 0 for any evaluated verdict), and writes one structured log line on stderr,
//      `notaverify-gate {"class": ..., "phase": "verify-warn", "wouldBlock": ..., "wouldFail": [...]}`,
//      for the log pipeline to count what enforcement *would* block. Add `--exceptions FILE`
//      (owners and deadlines for known gaps) and `--retired FILE` (rotated-out signing material).
//   3. Verify-enforce. Drop `--warn-only`: an artifact out of policy exits 1 and the deploy
//      stops. Exceptions still excuse what they name, until their deadline.
//
// Exit status, as the CLI: 0 in policy (verified, excepted, skipped by policy) or any evaluated
// verdict with `--warn-only`; 1 out of policy; 2 not evaluated (bad arguments, unreadable or
// invalid policy / trust store / rollout file, no applicable policy statement, ...), also with
// `--warn-only`.
//
// Examples:
//   # envelope files for a digest reference
//   node verify-task.mjs --config-dir ~/.config/notation \
//       --signature sig.jws registry.example/app@sha256:4be9...
//   # an OCI image layout, by tag or digest; warn mode with exceptions
//   node verify-task.mjs --config-dir ~/.config/notation --warn-only --exceptions exceptions.json \
//       --oci-layout --scope registry.example/app build/layout:v1
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

// The prefix of the structured log line of verify-warn.
const LOG_PREFIX = 'notaverify-gate'

const require = createRequire(import.meta.url)
function loadNotaverify() {
  try {
    return require('notaverify')
  } catch {
    return require('../../bindings-node/index.js') // this repository's build
  }
}

// An error the CLI reports as not evaluated, with the core's code, raised here before the
// package is called.
class GateError extends Error {
  constructor(code, message) {
    super(message)
    this.code = code
  }
}

// A request the CLI refuses before verifying, worded as the core words invalid input.
const invalidInput = (message) => new GateError('INVALID_INPUT', `invalid input: ${message}`)

// The bytes of an input file; a file that cannot be read is a `LOAD` error naming it.
async function readInput(file, what) {
  try {
    return await readFile(file)
  } catch (e) {
    throw new GateError('LOAD', e.code === 'ENOENT' ? `${file}: ${what} file does not exist` : `${file}: ${e.message}`)
  }
}

// Arguments that do not parse: no document, exit 2 (as the CLI's argument parser).
class UsageError extends Error {}

function parse(argv) {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      signature: { type: 'string', multiple: true, default: [] },
      'oci-layout': { type: 'boolean', default: false },
      scope: { type: 'string' },
      'all-signatures': { type: 'boolean', default: false },
      'user-metadata': { type: 'string', short: 'm', multiple: true, default: [] },
      'max-signatures': { type: 'string', default: '100' },
      at: { type: 'string' },
      crl: { type: 'string', multiple: true, default: [] },
      'ocsp-response': { type: 'string', multiple: true, default: [] },
      'crl-cache': { type: 'string' },
      'config-dir': { type: 'string' },
      'trust-policy': { type: 'string' },
      output: { type: 'string', short: 'o', default: 'text' },
      'warn-only': { type: 'boolean', default: false },
      exceptions: { type: 'string' },
      retired: { type: 'string' },
    },
  })
  if (positionals.length !== 1) throw new UsageError('give exactly one REFERENCE')
  if (!['text', 'json'].includes(values.output)) throw new UsageError('-o is text or json')
  const maxSignatures = Number(values['max-signatures'])
  if (!Number.isInteger(maxSignatures) || maxSignatures < 1) throw new UsageError('--max-signatures must be greater than zero')
  if (values['oci-layout'] && values.signature.length > 0) throw new UsageError('--signature cannot be used with --oci-layout')
  if (values['oci-layout'] !== (values.scope !== undefined)) throw new UsageError('--oci-layout and --scope go together')
  return { ...values, maxSignatures, reference: positionals[0] }
}

function userMetadata(pairs) {
  const metadata = {}
  for (const pair of pairs) {
    const eq = pair.indexOf('=')
    if (eq <= 0) throw invalidInput(`user metadata ${JSON.stringify(pair)} is not KEY=VALUE`)
    const key = pair.slice(0, eq)
    if (Object.hasOwn(metadata, key)) throw invalidInput(`--user-metadata key ${JSON.stringify(key)} is given more than once`)
    metadata[key] = pair.slice(eq + 1)
  }
  return metadata
}

async function revocation(nv, args) {
  if (args.crl.length === 0 && args['ocsp-response'].length === 0 && args['crl-cache'] === undefined) return undefined
  const evidence = args['crl-cache'] !== undefined ? nv.RevocationEvidence.fromCrlCache(args['crl-cache']) : new nv.RevocationEvidence()
  for (const file of args.crl) evidence.addCrl(await readInput(file, 'CRL'))
  for (const file of args['ocsp-response']) evidence.addOcspResponse(await readInput(file, 'OCSP response'))
  return evidence
}

function verifier(nv, args) {
  if (args['trust-policy'] === undefined) return nv.Verifier.fromConfigDir(args['config-dir'])
  const store = args['config-dir'] !== undefined ? nv.TrustStore.fromConfigDir(args['config-dir']) : new nv.TrustStore()
  return new nv.Verifier(nv.TrustPolicy.fromFile(args['trust-policy']), store)
}

// `<dir>@<digest>` or `<dir>:<tag>` -> [dir, digest or tag], as notation splits them.
function splitLayoutReference(raw) {
  const sep = raw.includes('@') ? '@' : ':'
  const at = raw.lastIndexOf(sep)
  if (at <= 0 || at === raw.length - 1) throw invalidInput(`${JSON.stringify(raw)} is not <dir>:<tag> or <dir>@<digest>`)
  return [raw.slice(0, at), raw.slice(at + 1)]
}

// Verifies as `notaverify verify` with the same arguments; throws what it reports as not
// evaluated.
async function verify(nv, args) {
  const exceptions = args.exceptions !== undefined ? nv.Exceptions.fromFile(args.exceptions) : undefined
  const retired = args.retired !== undefined ? nv.RetiredMaterial.fromFile(args.retired, args['config-dir']) : undefined
  const options = {
    userMetadata: userMetadata(args['user-metadata']),
    at: args.at,
    revocation: await revocation(nv, args),
    allSignatures: args['all-signatures'],
    maxSignatures: args.maxSignatures,
    exceptions,
    retired,
    warnOnly: args['warn-only'],
  }
  if (!args['oci-layout'] && args.signature.length === 0) {
    throw invalidInput('give the signature envelopes with --signature FILE, or verify an OCI layout with --oci-layout')
  }
  const v = verifier(nv, args)
  if (args['oci-layout']) {
    const [dir, target] = splitLayoutReference(args.reference)
    return v.verifyOciLayoutAsync(dir, { ...options, reference: target, scope: args.scope })
  }
  const envelopes = await Promise.all(args.signature.map((f) => readInput(f, 'signature')))
  return v.verifyArtifactAsync(args.reference, envelopes, options)
}

// The verify-warn log line: one JSON object a log pipeline can count (members sorted).
function logWarnPhase(outcome) {
  const c = outcome.classification
  if (c === null) return
  const record = {
    class: c.class,
    exception: c.exception === null ? null : { daysLeft: c.exception.daysLeft, owner: c.exception.owner, scope: c.exception.scope },
    phase: 'verify-warn',
    reference: outcome.reference,
    wouldBlock: !c.inPolicy,
    wouldFail: c.wouldFail.map((w) => ({ check: w.check, class: w.class, reason: w.reason, signature: w.signature })),
  }
  console.error(`${LOG_PREFIX} ${JSON.stringify(record)}`)
}

function reportText(outcome) {
  const c = outcome.classification
  if (c !== null && !c.inPolicy) {
    console.error(`Error: ${outcome.reference} is out of policy (${c.class}): ${c.reason}`)
  } else if (c === null && !outcome.verified) {
    console.error(`Error: ${outcome.reference} failed verification: ${outcome.error?.message ?? 'no signature verified'}`)
  } else if (outcome.skipped) {
    console.log(`Trust policy is configured to skip signature verification for ${outcome.reference}`)
  } else {
    console.log(`Successfully verified signature for ${outcome.reference}`)
  }
}

export async function main(argv = process.argv.slice(2)) {
  let args
  try {
    args = parse(argv)
  } catch (e) {
    console.error(`Error: ${e.message}`)
    return 2
  }
  const nv = loadNotaverify()
  let outcome
  try {
    outcome = await verify(nv, args)
  } catch (e) {
    if (typeof e?.code === 'string') {
      // Not evaluated: the CLI's document for this error, exit 2 (also with --warn-only).
      if (args.output === 'json') {
        console.log(nv.notEvaluatedDocument(args.reference, { code: e.code, message: e.message }, args['warn-only']))
      }
      console.error(`Error: ${e.message}`)
    } else {
      // Never let an unexpected failure look like success.
      console.error(`Error: unexpected ${e?.name ?? 'error'}: ${e?.message ?? e}`)
    }
    return nv.EXIT_NOT_EVALUATED
  }
  if (args.output === 'json') console.log(JSON.stringify(outcome))
  else reportText(outcome)
  if (args['warn-only']) logWarnPhase(outcome)
  return outcome.exitStatus
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  process.exitCode = await main()
}
