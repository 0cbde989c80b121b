// Outcomes from the addon's text to the documented objects. src/outcome.rs sends each outcome
// as one string of fields (its `Outcome::write` says which). The addon embeds this file,
// evaluates it once when it loads and calls the function with the `Verifier` class; it wraps
// every method that returns an outcome, so the objects are built here, not member by member
// through Node-API, which costs several times more.
//
// An outcome is an `Outcome` whose own enumerable members are the outcome document
// (docs/schema/outcome.schema.json), so `JSON.stringify`, spreading and `structuredClone` give
// the document. Its conveniences (`skipped`, `loggedFailures`, `exitStatus`, `classification`)
// are read-only getters of the class; `policy.custom` and each signature's `loggedFailures` are
// read-only, non-enumerable members of those plain objects. A classified outcome (rollout
// options given) also has a non-enumerable `toJSON`: its `JSON.stringify` is then the CLI's
// document with the same rollout flags.
(function installOutcomes(Verifier) {
  'use strict'

  const check = (c) => ({ type: c[0], action: c[1], passed: c[2], error: c[3] })
  const signer = (s) => (s === null ? null : { subject: s[0], issuer: s[1], sha256Fingerprint: s[2] })

  // A read-only, non-enumerable member: not part of the document.
  const hidden = (object, key, value) => Object.defineProperty(object, key, { value })

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
  // The statement that applied, frozen: outcomes in a row under one statement share the object,
  // where building each its own cost an `Object.defineProperty` (for `custom`) a call.
  let lastPolicy = null
  function policy(name, level, custom) {
    const last = lastPolicy
    if (last !== null && last.name === name && last.level === level && last.custom === custom) return last
    lastPolicy = Object.freeze(hidden({ name, level }, 'custom', custom))
    return lastPolicy
  }

  // The fields of the text src/outcome.rs sends (its `Outcome::write` says what they are): a
  // string field starting with a quotation mark is a JSON string.
  const ONE = 0x31 // '1'
  const NONE = 0x2d // '-': no policy
  const field = (s) => (s.charCodeAt(0) === 0x22 ? JSON.parse(s) : s)
  const artifactError = (e) => (e === null ? null : { code: e[0], message: e[1] })

  // The data member `signatures` of a document.
  const member = (value) => ({ value, writable: true, enumerable: true, configurable: true })

  // A class, so the conveniences are getters on its prototype reading private fields: as
  // non-enumerable own members each cost an `Object.defineProperty` a call, together 4% of an
  // RSA-2048 `verify` (bench/bench.mjs).
  class Outcome {
    // The flags field: `skipped` and `exitStatus` are read from it when asked for.
    #flags
    // `[error, loggedFailures, rollout]` (`loggedFailures` built), from the fifth field or, when
    // that is empty, made on first use.
    #details = null
    #signaturesText

    // `signatures` is parsed and built on its first read (most callers read `verified` only):
    // until then it is an enumerable accessor, which then turns itself into the data member a
    // document has. `JSON.stringify`, spreading, `structuredClone` and `assert.deepEqual` read
    // it as any member. On a frozen outcome it stays an accessor, returning the same array
    // each time. The accessor's functions are shared by every outcome: an object literal with
    // its own getter and setter cost 1.5 µs more an outcome.
    static #frozenSignatures = new WeakMap()
    static #lazySignatures = {
      get() {
        let signatures = Outcome.#frozenSignatures.get(this)
        if (signatures === undefined) {
          signatures = JSON.parse(this.#signaturesText).map(signature)
          if (Reflect.defineProperty(this, 'signatures', member(signatures))) this.#signaturesText = null
          else Outcome.#frozenSignatures.set(this, signatures)
        }
        return signatures
      },
      set(value) {
        if (Reflect.defineProperty(this, 'signatures', member(value))) this.#signaturesText = null
      },
      enumerable: true,
      configurable: true,
    }

    constructor(text) {
      // `indexOf` and `slice`, not `split`, which is several times slower.
      const end1 = text.indexOf('\0')
      const end2 = text.indexOf('\0', end1 + 1)
      const end3 = text.indexOf('\0', end2 + 1)
      const end4 = text.indexOf('\0', end3 + 1)
      const end5 = text.indexOf('\0', end4 + 1)
      const flags = text.slice(0, end1)
      const reference = text.slice(end1 + 1, end2)
      const name = text.slice(end2 + 1, end3)
      const level = text.slice(end3 + 1, end4)
      const rest = text.slice(end4 + 1, end5)
      const signatures = text.slice(end5 + 1)
      this.reference = field(reference)
      this.verified = flags.charCodeAt(0) === ONE
      const custom = flags.charCodeAt(2)
      this.policy = custom === NONE ? null : policy(field(name), field(level), custom === ONE)
      Object.defineProperty(this, 'signatures', Outcome.#lazySignatures)
      this.#flags = flags
      this.#signaturesText = signatures
      if (rest === '') {
        this.error = null
        return
      }
      const details = JSON.parse(rest)
      this.error = artifactError(details[0])
      details[1] = details[1].map(check)
      this.#details = details
      // Classified: `JSON.stringify` gives the CLI's document with the same rollout flags (the
      // posture crate's), so only a classified outcome has `toJSON`.
      if (details[2] !== null) {
        const document = details[2][1]
        Object.defineProperty(this, 'toJSON', { value: () => JSON.parse(document) })
      }
    }
    get skipped() {
      return this.#flags.charCodeAt(1) === ONE
    }
    get exitStatus() {
      return Number(this.#flags.slice(3))
    }
    get loggedFailures() {
      this.#details ??= [null, [], null]
      return this.#details[1]
    }
    get classification() {
      return this.#details === null || this.#details[2] === null ? null : this.#details[2][0]
    }
  }
  const outcome = (text) => new Outcome(text)

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
