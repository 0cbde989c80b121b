// Compile-only check of the inspect declarations of index.d.ts (`tsc --noEmit -p __test__`).
// Lines marked @ts-expect-error must fail.
import { readFileSync } from 'node:fs'
import {
  inspect,
  inspectAsync,
  inspectOciLayout,
  inspectOciLayoutAsync,
  type CertificateSummary,
  type Inspection,
  type SignatureInspection,
} from '../index.js'

const inspection: Inspection = inspectOciLayout('./layout', 'v1')
const reference: string | null = inspection.reference
const first: SignatureInspection | undefined = inspection.signatures[0]
const scheme: 'notary.x509' | 'notary.x509.signingAuthority' | null | undefined = first?.signingScheme
const chain: CertificateSummary[] = first?.certificateChain ?? []
const fingerprint: string | undefined = first?.signer?.sha256Fingerprint
const genTime: string | null | undefined = first?.timestamp?.genTime
const annotations: Record<string, string> | undefined = first?.target?.annotations
inspect([readFileSync('a.jws')], { reference: 'registry.example/app@sha256:00', mediaType: 'jws' })
const pending: Promise<Inspection> = inspectAsync([readFileSync('a.jws')], undefined, new AbortController().signal)
const pendingLayout: Promise<Inspection> = inspectOciLayoutAsync('./layout', 'v1')
// @ts-expect-error: nullable, must be checked
first.signer.subject
// @ts-expect-error: the reference is a string, not an options object
inspectOciLayout('./layout', { reference: 'v1' })

void [reference, scheme, chain, fingerprint, genTime, annotations, pending, pendingLayout]
