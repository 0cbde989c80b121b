// Outcomes from the addon's text to the documented objects. src/outcome.rs sends each outcome
// as one string: the positional JSON (each struct as the array of its fields in declaration
// order) of its members other than `signatures`, a newline, then that of `signatures`. The addon
// embeds this file, evaluates it once when it loads and calls the function with the `Verifier`
// class; it wraps every method that returns an outcome, so the objects are built here with
// object literals, not member by member through Node-API, which costs several times more.
//
// The enumerable members are the outcome document (docs/schema/outcome.schema.json);
// `skipped`, `loggedFailures`, `exitStatus`, `classification` and `policy.custom` are read-only
// and not enumerable, so `JSON.stringify`, spreading and `structuredClone` leave them out. A
// classified outcome (rollout options given) also has a non-enumerable `toJSON`: its
// `JSON.stringify` is then the CLI's document with the same rollout flags.
(function installOutcomes(Verifier) {
  'use strict'

  // A read-only, non-enumerable member: not part of the document.
  const hidden = (object, key, value) => Object.defineProperty(object, key, { value })

  const check = (c) => ({ type: c[0], action: c[1], passed: c[2], error: c[3] })
  const signer = (s) => (s === null ? null : { subject: s[0], issuer: s[1], sha256Fingerprint: s[2] })
  const signature = (s) =>
    hidden(
      {
        digest: s[0],
        mediaType: s[1],
        verified: s[2],
        checks: s[3].map(check),
        signer: signer(s[4]),
        signingTime: s[5],
        userMetadata: s[6],
        failure: s[7],
        error: s[8],
      },
      'loggedFailures',
      s[9].map(check),
    )
  const policy = (p) => (p === null ? null : hidden({ name: p[0], level: p[1] }, 'custom', p[2]))
  const artifactError = (e) => (e === null ? null : { code: e[0], message: e[1] })

  // The data member `signatures` of a document.
  const member = (value) => ({ value, writable: true, enumerable: true, configurable: true })

  // `signatures` is parsed and built on its first read (most callers read `verified` only):
  // until then it is an enumerable accessor, which then turns itself into the data member a
  // document has. `JSON.stringify`, spreading, `structuredClone` and `assert.deepEqual` read it
  // as any member. On a frozen outcome it stays an accessor, returning the same array each time.
  // The accessor's functions are shared by every outcome, each keeping its text under a hidden
  // symbol: an object literal with its own getter and setter cost 1.5 µs more an outcome.
  const SIGNATURES_TEXT = Symbol('signatures, as text')
  // The signatures of the frozen outcomes read, which cannot turn the accessor into data.
  const frozenSignatures = new WeakMap()
  function readSignatures() {
    let signatures = frozenSignatures.get(this)
    if (signatures === undefined) {
      signatures = JSON.parse(this[SIGNATURES_TEXT]).map(signature)
      if (Reflect.defineProperty(this, 'signatures', member(signatures))) this[SIGNATURES_TEXT] = null
      else frozenSignatures.set(this, signatures)
    }
    return signatures
  }
  function writeSignatures(value) {
    if (Reflect.defineProperty(this, 'signatures', member(value))) this[SIGNATURES_TEXT] = null
  }
  const lazySignatures = { get: readSignatures, set: writeSignatures, enumerable: true, configurable: true }

  function outcome(text) {
    const cut = text.indexOf('\n')
    const o = JSON.parse(text.slice(0, cut))
    const document = { reference: o[0], verified: o[1], policy: policy(o[2]) }
    Object.defineProperty(document, 'signatures', lazySignatures)
    document.error = artifactError(o[3])
    Object.defineProperty(document, SIGNATURES_TEXT, { value: text.slice(cut + 1), writable: true })
    hidden(document, 'skipped', o[4])
    hidden(document, 'loggedFailures', o[5].map(check))
    hidden(document, 'exitStatus', o[6])
    if (o[7] === null) return hidden(document, 'classification', null)
    // Classified: the document is the CLI's with the same rollout flags (the posture crate's).
    const rolloutDocument = o[7][1]
    hidden(document, 'toJSON', () => JSON.parse(rolloutDocument))
    return hidden(document, 'classification', o[7][0])
  }

  // `{ outcome }` items carry the text; `{ error }` items are already errors.
  function batch(results) {
    for (const r of results) if (r.outcome !== undefined) r.outcome = outcome(r.outcome)
    return results
  }

  const wrap = (name, make) => {
    const descriptor = Object.getOwnPropertyDescriptor(Verifier.prototype, name)
    Object.defineProperty(Verifier.prototype, name, { ...descriptor, value: make(descriptor.value) })
  }
  // `verify` and `verifyAsync` take the members of their options as positional arguments, in
  // the order of `VerifyOptions` (src/api.rs): read here, they cost next to nothing.
  const NO_OPTIONS = {}
  function options(o) {
    if (o === undefined || o === null) return NO_OPTIONS
    if (typeof o === 'object') return o
    // As napi refuses an argument of the wrong type.
    throw Object.assign(new TypeError('options must be a VerifyOptions object'), { code: 'InvalidArg' })
  }

  // Each keeps the arguments of the native method (the last ones optional).
  wrap('verify', (native) => function verify(reference, envelope, given) {
    const o = options(given)
    return outcome(
      native.call(this, reference, envelope, o.descriptor, o.mediaType, o.userMetadata, o.at, o.revocation, o.allSignatures, o.exceptions, o.retired, o.warnOnly),
    )
  })
  wrap('verifyAsync', (native) => function verifyAsync(reference, envelope, given, signal) {
    const o = options(given)
    return native
      .call(this, reference, envelope, o.descriptor, o.mediaType, o.userMetadata, o.at, o.revocation, o.allSignatures, o.exceptions, o.retired, o.warnOnly, signal)
      .then(outcome)
  })
  wrap('verifyArtifact', (native) => function verifyArtifact(reference, envelopes, options) {
    return outcome(native.call(this, reference, envelopes, options))
  })
  wrap('verifyArtifactAsync', (native) => function verifyArtifactAsync(reference, envelopes, options, signal) {
    return native.call(this, reference, envelopes, options, signal).then(outcome)
  })
  wrap('verifyOciLayout', (native) => function verifyOciLayout(path, options) {
    return outcome(native.call(this, path, options))
  })
  wrap('verifyOciLayoutAsync', (native) => function verifyOciLayoutAsync(path, options, signal) {
    return native.call(this, path, options, signal).then(outcome)
  })
  wrap('verifyBlob', (native) => function verifyBlob(blob, envelope, options) {
    return outcome(native.call(this, blob, envelope, options))
  })
  wrap('verifyBlobAsync', (native) => function verifyBlobAsync(blob, envelope, options, signal) {
    return native.call(this, blob, envelope, options, signal).then(outcome)
  })
  wrap('verifyMany', (native) => function verifyMany(items, options) {
    return batch(native.call(this, items, options))
  })
  wrap('verifyManyAsync', (native) => function verifyManyAsync(items, options, signal) {
    return native.call(this, items, options, signal).then(batch)
  })
})
