// Compile-only check of index.d.ts (`tsc --noEmit -p __test__`): the calls a TypeScript
// pipeline task makes, with the types it relies on. Lines marked @ts-expect-error must fail.
import { readFileSync } from 'node:fs'
import {
  BlobTrustPolicy,
  EXIT_NOT_EVALUATED,
  Exceptions,
  RetiredMaterial,
  RevocationEvidence,
  TrustPolicy,
  notEvaluatedDocument,
  TrustStore,
  Verifier,
  type ArtifactOptions,
  type BatchItem,
  type BatchResult,
  type CheckResult,
  type Classification,
  type Outcome,
  type Scan,
  type ScannedArtifact,
  type ScanSummary,
  type WorkloadContainer,
  type SignatureOutcome,
  type VerifyOptions,
} from '../index.js'

const store = new TrustStore()
const added: number = store.add('ca', 'roots', readFileSync('root.pem'))
store.add('signingAuthority', 'sa', new Uint8Array([1, 2, 3]))
// @ts-expect-error: not a store type
store.add('root', 'roots', readFileSync('root.pem'))

const policy: TrustPolicy = TrustPolicy.fromJson({ version: '1.0', trustPolicies: [] })
TrustPolicy.fromJson('{}')
TrustPolicy.fromFile('trustpolicy.oci.json')
const blobPolicy = BlobTrustPolicy.fromJson(Buffer.from('{}'))

const verifier = new Verifier(policy, store, { blobPolicy })
new Verifier(null, TrustStore.fromConfigDir('/etc/notation'))
TrustStore.fromDir('/etc/notation') // deprecated alias, still typed
// @ts-expect-error: the store is required
new Verifier(policy)
Verifier.fromConfigDir()
Verifier.fromConfigDir('/etc/notation')

// Revocation evidence: CRLs (optionally keyed by distribution point URL), OCSP responses, or
// notation's CRL cache; for the verifier and per call.
const revocation = new RevocationEvidence()
revocation.addCrl(readFileSync('ca.crl'))
revocation.addCrl(readFileSync('ca.crl'), 'http://crl.example/ca.crl')
revocation.addOcspResponse(readFileSync('leaf.ocsp'))
const held: number = RevocationEvidence.fromCrlCache('/home/me/.cache/notation/crl').size
new Verifier(policy, store, { blobPolicy, revocation })
Verifier.fromConfigDir(undefined, { revocation })
// @ts-expect-error: the URL is a string
revocation.addCrl(readFileSync('ca.crl'), new URL('http://crl.example/ca.crl'))
// @ts-expect-error: evidence is a RevocationEvidence, not bytes
new Verifier(policy, store, { revocation: readFileSync('ca.crl') })

const reference = 'registry.example/app@sha256:0000000000000000000000000000000000000000000000000000000000000000'
const options: VerifyOptions = {
  at: new Date(),
  userMetadata: { buildId: '101' },
  descriptor: { mediaType: 'application/vnd.oci.image.manifest.v1+json', digest: 'sha256:00', size: 562 },
  mediaType: 'application/jose+json',
}
const outcome: Outcome = verifier.verify(reference, readFileSync('sig.jws'), options)
verifier.verify(reference, readFileSync('sig.jws'), { at: '2025-07-01T00:00:00Z' })
// @ts-expect-error: a string is not an envelope
verifier.verify(reference, 'sig.jws')
// @ts-expect-error: `at` is a Date or a string
verifier.verify(reference, readFileSync('sig.jws'), { at: 1 })

async function pipeline(signal: AbortSignal): Promise<boolean> {
  const o: Outcome = await verifier.verifyAsync(reference, readFileSync('sig.jws'), undefined, signal)
  const many: ArtifactOptions = { maxSignatures: 10 }
  await verifier.verifyArtifactAsync(reference, [readFileSync('a.jws'), readFileSync('b.cose')], many)
  await verifier.verifyOciLayoutAsync('./layout', { reference: 'v1', scope: 'registry.example/app', maxSignatures: 5 })
  await verifier.verifyBlobAsync(readFileSync('blob'), readFileSync('blob.jws.sig'), { policyName: 'p', blobMediaType: 'text/plain', revocation })
  await verifier.verifyAsync(reference, readFileSync('sig.jws'), { revocation })
  const batch: BatchResult[] = await verifier.verifyManyAsync([{ reference, envelopes: [readFileSync('a.jws')] }], { revocation }, signal)
  return o.verified && batch.every((r) => 'outcome' in r && r.outcome.verified)
}

// Batches: one result per item, in order, `{ outcome }` or `{ error }` (an Error with a code).
const items: BatchItem[] = [
  { reference, envelopes: [readFileSync('a.jws'), readFileSync('b.cose')], maxSignatures: 2, userMetadata: { buildId: '101' } },
  { reference, envelopes: [], descriptor: { mediaType: 'application/vnd.oci.image.manifest.v1+json', digest: 'sha256:00', size: 562 } },
]
for (const r of verifier.verifyMany(items, { threads: 4, at: new Date() })) {
  if ('outcome' in r) {
    const verified: boolean = r.outcome.verified
    void verified
  } else {
    const failure: Error = r.error
    const errorCode: string = r.error.code
    const legacy: string = r.error.legacyCode // deprecated: `NOTAVERIFY_` + code
    void [failure, errorCode, legacy]
  }
}
// @ts-expect-error: envelopes are required
verifier.verifyMany([{ reference }])
// @ts-expect-error: a result is an outcome or an error; check which first
verifier.verifyMany(items)[0].outcome.verified

// Outcome fields: literal unions and nullable values, as in the CLI JSON.
const sig: SignatureOutcome | undefined = outcome.signatures[0]
if (sig) {
  const failure: 'integrity' | 'authenticity' | 'authenticTimestamp' | 'expiry' | 'revocation' | 'verificationPlugin' | 'userMetadata' | null = sig.failure
  const fingerprint: string | undefined = sig.signer?.sha256Fingerprint
  const logged: CheckResult[] = sig.checks.filter((c) => !c.passed && c.action === 'log')
  const signingTime: string | null = sig.signingTime
  const metadata: Record<string, string> = sig.userMetadata
  void [failure, fingerprint, logged, signingTime, metadata]
  // @ts-expect-error: not a check name
  sig.checks[0]?.type === 'signature'
}
const level: 'strict' | 'permissive' | 'audit' | 'skip' | undefined = outcome.policy?.level
const custom: boolean | undefined = outcome.policy?.custom
const skipped: boolean = outcome.skipped
const warnings: CheckResult[] = [...outcome.loggedFailures, ...(sig?.loggedFailures ?? [])]
verifier.verifyArtifact(reference, [readFileSync('a.jws')], { allSignatures: true, maxSignatures: 3 })
verifier.verifyMany(items, { allSignatures: true })
verifier.verifyOciLayout('./layout', { reference: 'v1', scope: 'registry.example/app', allSignatures: true })
// @ts-expect-error: not in the JSON document, read-only
outcome.skipped = false
const code: 'NO_SIGNATURE' | 'MAX_SIGNATURES_EXCEEDED' | 'VERIFICATION_FAILED' | undefined = outcome.error?.code
// @ts-expect-error: nullable, must be checked
outcome.policy.name

// Rollout: exceptions, retired material and warn mode classify the outcome.
const exceptions = Exceptions.fromFile('exceptions.json')
const retired = RetiredMaterial.fromFile('retired.json', '/etc/notation')
RetiredMaterial.fromJson({ version: '1', retired: [] })
const classified = verifier.verifyArtifact(reference, [readFileSync('a.jws')], { exceptions, retired, warnOnly: true })
const classification: Classification | null = classified.classification
const status: number = classified.exitStatus
if (classification !== null) {
  const inPolicy: boolean = classification.inPolicy
  const owner: string | undefined = classification.exception?.owner
  const blocked: string[] = classification.wouldFail.map((w) => w.class)
  void [inPolicy, owner, blocked]
  // @ts-expect-error: not a class
  classification.class === 'trusted'
}
verifier.verifyOciLayoutAsync('./layout', { reference: 'v1', scope: 'registry.example/app', exceptions })
// @ts-expect-error: exceptions are an Exceptions, not a path
verifier.verify(reference, readFileSync('a.jws'), { exceptions: 'exceptions.json' })
// @ts-expect-error: read-only
classified.exitStatus = 0

// Scans: iterable, async iterable, a summary at the end.
const scan: Scan = verifier.scan({
  layouts: [{ dir: './layout', scope: 'registry.example/app' }],
  batches: ['batch.jsonl'],
  exceptions,
  retired,
  at: new Date(),
  threads: 2,
  warnOnly: true,
  onProgress: (done: number, total: number) => void [done, total],
})
for (const artifact of scan) {
  const line: string = artifact.jsonLine
  const fingerprints: Array<string | null> = artifact.signers.map((s) => s?.sha256Fingerprint ?? null)
  const excepted: boolean = artifact.class === 'excepted' && artifact.classification.exception !== null
  void [line, fingerprints, excepted]
  // @ts-expect-error: not a class
  artifact.class === 'trusted'
}
const summary: ScanSummary | null = scan.summary
scan.writeReport('report.html')
const failing: number | undefined = summary?.counts.unknownSigner
void failing
async function scanInTheBackground(signal: AbortSignal): Promise<number> {
  const artifacts: ScannedArtifact[] = []
  const running = await verifier.scanAsync({ batches: ['batch.jsonl'], taggedOnly: true }, signal)
  for await (const artifact of running) artifacts.push(artifact)
  running.close()
  return running.summary?.exitStatus ?? artifacts.length
}
void scanInTheBackground
// Deployed workloads and the progress since a previous scan.
const deployed: Scan = verifier.scan({
  batches: ['batch.jsonl'],
  workloads: [{ path: 'kubectl.json', source: 'aks-prod' }, { path: 'webapps.json' }],
  previous: 'july.jsonl',
})
for (const artifact of deployed) void artifact
const containers: WorkloadContainer[] | null = deployed.workloads
for (const container of containers ?? []) {
  const where: string = `${container.workload.source}/${container.workload.namespace}/${container.workload.name}`
  const resolved: string | null = container.reference
  const line: string = container.jsonLine
  void [where, resolved, line, container.class === 'notScanned', container.resolvedBy === 'tag']
  // @ts-expect-error: not a class
  container.class === 'trusted'
}
const warned: string[] = deployed.warnings
const notScanned: number | undefined = deployed.summary?.workloadCounts?.notScanned
void [warned, notScanned]
// @ts-expect-error: a workloads file is { path, source? }
verifier.scan({ batches: ['batch.jsonl'], workloads: ['kubectl.json'] })
// @ts-expect-error: read-only
deployed.workloads = null
// @ts-expect-error: layouts are { dir, scope } objects
verifier.scan({ layouts: ['./layout'] })
// @ts-expect-error: read-only
scan.summary = null

try {
  verifier.verify('bad', readFileSync('sig.jws'))
} catch (e) {
  const code = (e as Error & { code?: string }).code
  void code
  const document: string = notEvaluatedDocument('bad', e as Error & { code: string }, true)
  const exit: number = EXIT_NOT_EVALUATED
  void [document, exit]
}

void [added, level, custom, skipped, warnings, code, pipeline, held, status]
