// Shared fixtures for the specs: paths into the repository's test data, and the addon.
import { createRequire } from 'node:module'
import { readFileSync, existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import path from 'node:path'

const require = createRequire(import.meta.url)
export const nv = require('../index.js')

const here = path.dirname(fileURLToPath(import.meta.url))
export const REPO = path.resolve(here, '..', '..')
/** core/tests/fixtures: PKIs, envelopes, trust stores; also a complete notation config dir. */
export const FIXTURES = path.join(REPO, 'core', 'tests', 'fixtures')
/** cli/tests/fixtures: OCI layouts, a config dir, policies (verify at 2025-07-01). */
export const CLI_FIXTURES = path.join(REPO, 'cli', 'tests', 'fixtures')
export const EXAMPLES = path.join(REPO, 'examples')

export const fixture = (...p) => readFileSync(path.join(FIXTURES, ...p))
export const cases = JSON.parse(readFileSync(path.join(FIXTURES, 'cases.json'), 'utf8'))

export const MANIFEST_DIGEST = 'sha256:4be9476c654deb6accec91e0cbe4b076a38fbf23db4abb0904f02e43c1432921'
export const REFERENCE = `registry.example/app@${MANIFEST_DIGEST}`
export const MANIFEST_DESCRIPTOR = {
  mediaType: 'application/vnd.oci.image.manifest.v1+json',
  digest: MANIFEST_DIGEST,
  size: 562,
}

export const STRICT_POLICY = {
  version: '1.0',
  trustPolicies: [
    {
      name: 'test-strict',
      registryScopes: ['*'],
      signatureVerification: { level: 'strict' },
      trustStores: ['ca:test-roots', 'signingAuthority:test-sa'],
      trustedIdentities: ['*'],
    },
  ],
}

/** A verifier over the core fixtures' config directory (OCI + blob policies, both stores). */
export const fixtureVerifier = () => nv.Verifier.fromConfigDir(FIXTURES)

/** True when `p` (relative to the repository) exists: some fixtures land with other issues. */
export const present = (p) => existsSync(path.join(REPO, p))

/** The failing check of a case as the outcome reports it. */
export const expectedFailure = (expect) =>
  ({ plugin: 'verificationPlugin', targetMismatch: 'integrity' })[expect] ?? expect
