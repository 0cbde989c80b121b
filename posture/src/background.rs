//! A scan on a thread of its own, for callers that take its artifacts as they want them (the
//! bindings' iterators): the chunks go through a channel that holds one, so the scan stays at
//! most a chunk ahead of its caller and memory does not grow with the artifacts; the caller waits
//! for the next one with a timeout, to report progress or notice a cancellation meanwhile. What the
//! summary and the report need beyond the counts (the roll-up per input source, the out-of-policy
//! artifacts the report lists) is gathered on the scan thread as the chunks go by, so the caller
//! keeps no artifact it has handed on.

use crate::report::OutOfPolicy;
use crate::rollup::{ArtifactRollUp, RollUp};
use crate::scan::{Scan, ScanError, ScanOptions, ScanSummary, ScannedArtifact};
use crate::{Exceptions, PostureContext, RetiredMaterial};
use notaverify::{Time, Verifier, VerifyOptions};
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

/// What waiting for a [`BackgroundScan`] gives.
pub enum Received {
    /// The next artifacts, in input order.
    Chunk(Vec<ScannedArtifact>),
    /// The scan ended: what it leaves, or why it stopped (the chunks before were handed over).
    /// Received once, after the last chunk.
    Done(Box<Result<Finished, ScanError>>),
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
    /// `verifier` at `at` on `jobs` threads and classified under `context`.
    pub fn start(scan: Scan, verifier: Arc<Verifier>, context: OwnedContext, at: Time, jobs: usize) -> Self {
        let total = scan.total();
        let done = Arc::new(AtomicUsize::new(0));
        let stop = Arc::new(AtomicBool::new(false));
        let (sender, receiver) = sync_channel(1);
        let thread = {
            let (done, stop) = (Arc::clone(&done), Arc::clone(&stop));
            std::thread::spawn(move || {
                let run = || {
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
                    let mut rollup = ArtifactRollUp::new(None);
                    let mut failing = OutOfPolicy::default();
                    let summary = scan.for_each_chunk(&verifier, &ctx, &options, |chunk| {
                        for artifact in &chunk {
                            rollup.add(artifact);
                            failing.add(artifact);
                        }
                        send(&sender, &stop, Received::Chunk(chunk));
                    })?;
                    Ok(Finished { summary, rollup: RollUp::new(rollup, &[]), failing })
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
