//! A scan on a thread of its own, for callers that take its artifacts as they want them (the
//! bindings' iterators): the chunks go through a channel that holds one, so the scan stays at
//! most a chunk ahead of its caller and memory does not grow with the artifacts; the caller waits
//! for the next one with a timeout, to report progress or notice a cancellation meanwhile. What the
//! summary and the report need beyond the counts (the roll-up per input source, the out-of-policy
//! artifacts the report lists) is gathered on the scan thread as the chunks go by, so the caller
//! keeps no artifact it has handed on. With [`Additions`], the scan also does what `scan
//! --previous` and `scan --workloads` do: the roll-up compares with an earlier scan, and the
//! deployed workload containers are resolved to the scanned artifacts after the last chunk (the
//! workloads files are read on a thread of their own meanwhile, and what the resolution needs of
//! every artifact is kept, as the CLI keeps it: `workloads::Artifacts`).

use crate::report::OutOfPolicy;
use crate::rollup::{ArtifactRollUp, Previous, RollUp};
use crate::scan::{Scan, ScanError, ScanOptions, ScanSummary, ScannedArtifact};
use crate::workloads::{self, Artifacts, WorkloadSummary, WorkloadsError};
use crate::{Exceptions, PostureContext, RetiredMaterial};
use notaverify::{ErrorKind, Time, Verifier, VerifyOptions};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::mpsc::{Receiver, RecvTimeoutError, SyncSender, sync_channel};
use std::sync::{Arc, Mutex, PoisonError};
use std::thread::JoinHandle;
use std::time::Duration;

/// What a [`BackgroundScan`] is classified under, owned (the scan thread outlives the caller's
/// borrows).
#[derive(Clone, Default)]
pub struct OwnedContext {
    /// The exceptions, if any.
    pub exceptions: Option<Arc<Exceptions>>,
    /// The retired trust material, if any.
    pub retired: Option<Arc<RetiredMaterial>>,
}

/// What a [`BackgroundScan`] reads besides the artifacts.
#[derive(Default)]
pub struct Additions {
    /// An earlier `scan -o json` output the roll-up compares with (`--previous`).
    pub previous: Option<Previous>,
    /// Workloads files whose containers are resolved to the scanned artifacts (`--workloads`),
    /// already checked with [`workloads::check_files`].
    pub workloads: Vec<workloads::Input>,
}

/// Why a [`BackgroundScan`] stopped before its end.
#[derive(Debug)]
pub enum Stopped {
    /// The scan failed (an input that changed between the two passes).
    Scan(ScanError),
    /// A workloads file does not parse.
    Workloads(WorkloadsError),
}

impl Stopped {
    /// The kind of error the bindings report it as, and its message as the CLI words it.
    pub fn into_parts(self) -> (ErrorKind, String) {
        match self {
            Self::Scan(e) => (e.kind(), e.to_string()),
            Self::Workloads(e) => {
                let (error, context) = e.into_core();
                let message = match context {
                    Some(context) => format!("{context}: {error}"),
                    None => error.to_string(),
                };
                (error.kind(), message)
            }
        }
    }
}

/// What waiting for a [`BackgroundScan`] gives.
pub enum Received {
    /// The next artifacts, in input order.
    Chunk(Vec<ScannedArtifact>),
    /// The scan ended: what it leaves, or why it stopped (the chunks before were handed over).
    /// Received once, after the last chunk.
    Done(Box<Result<Finished, Stopped>>),
    /// The scan thread panicked: an internal error, never a result.
    Panicked(String),
    /// Nothing within the timeout: the scan goes on.
    Pending,
    /// Nothing more: `Done` or `Panicked` was received, or the scan was stopped.
    Finished,
}

/// What a finished [`BackgroundScan`] leaves for its summary line and report
/// ([`crate::report::Summary`], [`crate::report::write`]).
pub struct Finished {
    /// The counts.
    pub summary: ScanSummary,
    /// The counts per input source.
    pub rollup: RollUp,
    /// The out-of-policy artifacts the report lists.
    pub failing: OutOfPolicy,
    /// With workloads files: the deployed workload containers, resolved.
    pub workloads: Option<WorkloadSummary>,
    /// What the CLI warns about the workloads files.
    pub warnings: Vec<String>,
}

/// A scan running on its own thread ([`BackgroundScan::start`]), stopped when dropped.
pub struct BackgroundScan {
    /// `None` once stopped: the scan thread's next send fails, and it ends.
    receiver: Mutex<Option<Receiver<Received>>>,
    done: Arc<AtomicUsize>,
    stop: Arc<AtomicBool>,
    thread: Mutex<Option<JoinHandle<()>>>,
    total: usize,
}

impl BackgroundScan {
    /// Starts `scan` (whose inputs [`Scan::new`] checked): every artifact verified with
    /// `verifier` at `at` on `jobs` threads and classified under `context`, with `additions`.
    pub fn start(
        scan: Scan,
        verifier: Arc<Verifier>,
        context: OwnedContext,
        additions: Additions,
        at: Time,
        jobs: usize,
    ) -> Self {
        let total = scan.total();
        let done = Arc::new(AtomicUsize::new(0));
        let stop = Arc::new(AtomicBool::new(false));
        let (sender, receiver) = sync_channel(1);
        let thread = {
            let (done, stop) = (Arc::clone(&done), Arc::clone(&stop));
            std::thread::spawn(move || {
                let run = || {
                    let Additions { previous, workloads: workloads_inputs } = additions;
                    let reading = (!workloads_inputs.is_empty()).then(|| {
                        let stop = Arc::clone(&stop);
                        std::thread::spawn(move || {
                            let loaded = workloads::load(&workloads_inputs);
                            if loaded.is_err() {
                                // The scan stops at its next chunk: its end is this error.
                                stop.store(true, Ordering::Relaxed);
                            }
                            loaded
                        })
                    });
                    let ctx = PostureContext {
                        retired: context.retired.as_deref(),
                        exceptions: context.exceptions.as_deref(),
                        at,
                    };
                    let verify = VerifyOptions { at: Some(at), ..VerifyOptions::default() };
                    let progress = |n: usize| {
                        done.fetch_max(n, Ordering::Relaxed);
                    };
                    let options =
                        ScanOptions { verify: &verify, jobs, on_progress: Some(&progress), stop: Some(&stop) };
                    let mut rollup = ArtifactRollUp::new(previous.as_ref());
                    let mut failing = OutOfPolicy::default();
                    let mut kept = Artifacts::default();
                    let scanned = scan.for_each_chunk(&verifier, &ctx, &options, |chunk| {
                        for artifact in &chunk {
                            rollup.add(artifact);
                            failing.add(artifact);
                        }
                        if reading.is_some() {
                            chunk.iter().for_each(|artifact| kept.add(artifact));
                        }
                        send(&sender, &stop, Received::Chunk(chunk));
                    });
                    // A workloads file that does not parse is the error, also when it stopped
                    // the scan.
                    let loaded = match reading {
                        None => None,
                        Some(reading) => Some(
                            reading
                                .join()
                                .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
                                .map_err(Stopped::Workloads)?,
                        ),
                    };
                    let summary = scanned.map_err(Stopped::Scan)?;
                    let warnings = loaded.as_ref().map(|l| l.warnings.clone()).unwrap_or_default();
                    let workloads = loaded.map(|loaded| WorkloadSummary::resolve(loaded, &kept, jobs));
                    let rollup = RollUp::new(rollup, workloads.as_ref());
                    Ok(Finished { summary, rollup, failing, workloads, warnings })
                };
                let last = match std::panic::catch_unwind(std::panic::AssertUnwindSafe(run)) {
                    Ok(result) => Received::Done(Box::new(result)),
                    Err(payload) => Received::Panicked(
                        payload
                            .downcast_ref::<&str>()
                            .map(|s| (*s).to_owned())
                            .or_else(|| payload.downcast_ref::<String>().cloned())
                            .unwrap_or_else(|| "unknown panic".to_owned()),
                    ),
                };
                send(&sender, &stop, last);
            })
        };
        Self { receiver: Mutex::new(Some(receiver)), done, stop, thread: Mutex::new(Some(thread)), total }
    }

    /// Artifacts the scan has (after `only` and `tagged_only`).
    pub fn total(&self) -> usize {
        self.total
    }

    /// Artifacts finished so far (at most [`BackgroundScan::total`]).
    pub fn done(&self) -> usize {
        self.done.load(Ordering::Relaxed).min(self.total)
    }

    /// The next chunk or the end, waiting at most `timeout` for it. Callers on several threads
    /// take turns.
    pub fn receive(&self, timeout: Duration) -> Received {
        let mut receiver = self.receiver.lock().unwrap_or_else(PoisonError::into_inner);
        let Some(channel) = receiver.as_ref() else {
            return Received::Finished;
        };
        match channel.recv_timeout(timeout) {
            Ok(received) => {
                if matches!(received, Received::Done(_) | Received::Panicked(_)) {
                    *receiver = None;
                }
                received
            }
            Err(RecvTimeoutError::Timeout) => Received::Pending,
            Err(RecvTimeoutError::Disconnected) => {
                *receiver = None;
                Received::Panicked("the scan ended early".to_owned())
            }
        }
    }

    /// Stops the scan before its next chunk; nothing more is received. Waits for a caller
    /// inside [`BackgroundScan::receive`] (at most its timeout), not for the scan thread.
    pub fn stop(&self) {
        self.stop.store(true, Ordering::Relaxed);
        // Unblocks a scan thread waiting to send.
        drop(self.receiver.lock().unwrap_or_else(PoisonError::into_inner).take());
    }

    /// Stops the scan and waits until its thread ended (its current chunk verified).
    pub fn stop_and_join(&self) {
        self.stop();
        if let Some(thread) = self.thread.lock().unwrap_or_else(PoisonError::into_inner).take() {
            // A panic was caught and sent in the thread: joining cannot fail but for that.
            let _ = thread.join();
        }
    }
}

impl Drop for BackgroundScan {
    fn drop(&mut self) {
        // The scan thread stops before its next chunk; it is not waited for.
        self.stop.store(true, Ordering::Relaxed);
    }
}

/// Sends `message`; a receiver that is gone (stopped, or dropped) stops the scan.
fn send(sender: &SyncSender<Received>, stop: &AtomicBool, message: Received) {
    if sender.send(message).is_err() {
        stop.store(true, Ordering::Relaxed);
    }
}
