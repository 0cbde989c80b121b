// Scans for JavaScript. src/scan.rs hands over a running scan's chunks as JSON text
// (`{ done, artifacts?, summary? }`, or null once it has ended); this file, embedded in the addon
// and evaluated once when it loads, makes the `Scan` class iterable and async iterable over the
// artifacts, keeps the summary, and calls `onProgress` on the JavaScript thread. `Verifier.scan`
// and `scanAsync` are wrapped so that each `Scan` knows its options' `onProgress` and the signal.
//
// `jsonLine` (the CLI's line) is a read-only, non-enumerable member of each artifact and of the
// summary, and `toJSON` returns it parsed: `JSON.stringify` gives the CLI's document.
//
// With `workloads`, the ended scan's `workloads` are its workload lines (`workloadLines`, the
// CLI's JSON lines, a part per call): each object is its line parsed, with the line as
// `jsonLine`. They are read on first access, and kept.
;(function installScan(Verifier, Scan) {
  'use strict'

  // A read-only, non-enumerable member.
  const hidden = (object, key, value) => Object.defineProperty(object, key, { value })

  const lined = (object, jsonLine) => {
    hidden(object, 'jsonLine', jsonLine)
    return hidden(object, 'toJSON', () => JSON.parse(jsonLine))
  }
  const withLine = ({ jsonLine, ...object }) => lined(object, jsonLine)

  // The workload containers of an ended scan, or null without `workloads`.
  function workloadContainers(scan) {
    const containers = []
    for (;;) {
      const text = scan.workloadLines(containers.length)
      if (text === null) return null
      if (text === '') return containers
      for (const line of text.split('\n')) containers.push(lined(JSON.parse(line), line))
    }
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
      // The workload containers, once read (undefined before).
      workloads: undefined,
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
  define('workloads', {
    get() {
      const state = states.get(this)
      if (state?.summary == null) return null
      if (state.workloads === undefined) state.workloads = workloadContainers(this)
      return state.workloads
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
