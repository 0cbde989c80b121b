// Scans for JavaScript. src/scan.rs hands over a running scan's chunks as JSON text
// (`{ done, artifacts?, summary? }`, or null once it has ended); this file, embedded in the addon
// and evaluated once when it loads, makes the `Scan` class iterable and async iterable over the
// artifacts, keeps the summary, and calls `onProgress` on the JavaScript thread. `Verifier.scan`
// and `scanAsync` are wrapped so that each `Scan` knows its options' `onProgress` and the signal.
//
// `jsonLine` (the CLI's line) is a read-only, non-enumerable member of each artifact and of the
// summary, and `toJSON` returns it parsed: `JSON.stringify` gives the CLI's document.
;(function installScan(Verifier, Scan) {
  'use strict'

  // A read-only, non-enumerable member.
  const hidden = (object, key, value) => Object.defineProperty(object, key, { value })

  const withLine = ({ jsonLine, ...object }) => {
    hidden(object, 'jsonLine', jsonLine)
    return hidden(object, 'toJSON', () => JSON.parse(jsonLine))
  }

  // Per scan: what its wrapped method was given, and what has been received.
  const states = new WeakMap()

  function started(scan, options, signal) {
    states.set(scan, {
      onProgress: options.onProgress ?? null,
      signal: signal ?? null,
      total: scan.total,
      reported: -1,
      artifacts: [],
      next: 0,
      summary: null,
      ended: false,
    })
    return scan
  }

  // Takes what `receive` gave: reports progress, queues the artifacts, keeps the summary.
  function take(state, text) {
    if (text === null) {
      state.ended = true
      return
    }
    const received = JSON.parse(text)
    if (received.artifacts !== undefined) {
      state.artifacts = received.artifacts.map(withLine)
      state.next = 0
    }
    if (received.summary !== undefined) {
      state.summary = withLine(received.summary)
      state.ended = true
    }
    if (state.onProgress !== null && received.done !== state.reported) {
      state.reported = received.done
      state.onProgress(received.done, state.total)
    }
  }

  // Ends the iteration; a scan left before its end (a `break`, an error) is stopped, and the
  // artifacts received but not handed over are dropped.
  function end(scan, state) {
    if (!state.ended) {
      state.ended = true
      state.artifacts = []
      scan.close()
    }
  }

  function* artifacts() {
    const state = states.get(this)
    try {
      for (;;) {
        while (state.next < state.artifacts.length) yield state.artifacts[state.next++]
        if (state.ended) return
        take(state, this.receive())
      }
    } finally {
      end(this, state)
    }
  }

  async function* artifactsAsync() {
    const state = states.get(this)
    try {
      for (;;) {
        // Checked before each artifact: the abort is noticed within a chunk, too.
        state.signal?.throwIfAborted()
        if (state.next < state.artifacts.length) yield state.artifacts[state.next++]
        else if (state.ended) return
        else take(state, await this.receiveAsync())
      }
    } finally {
      end(this, state)
    }
  }

  const define = (key, descriptor) => Object.defineProperty(Scan.prototype, key, { configurable: true, ...descriptor })
  define(Symbol.iterator, { value: artifacts, writable: true })
  define(Symbol.asyncIterator, { value: artifactsAsync, writable: true })
  define('summary', {
    get() {
      return states.get(this)?.summary ?? null
    },
  })

  const wrap = (name, make) => {
    const descriptor = Object.getOwnPropertyDescriptor(Verifier.prototype, name)
    Object.defineProperty(Verifier.prototype, name, { ...descriptor, value: make(descriptor.value) })
  }
  wrap('scan', (native) => function scan(options) {
    return started(native.call(this, options), options)
  })
  wrap('scanAsync', (native) => function scanAsync(options, signal) {
    if (signal?.aborted) return Promise.reject(signal.reason)
    return native.call(this, options, signal).then((scan) => started(scan, options, signal))
  })
})
