//! What a long build is doing right now, for the progress line `tejun build` shows
//! on a terminal. Renderers count their work here; only the binary reads it, from
//! another thread, so nothing in the pipeline waits on the terminal.

use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

/// Counts of one stage's work: how much there is and how much is done.
#[derive(Default)]
pub struct Progress {
    total: AtomicUsize,
    done: AtomicUsize,
    /// Of those done, how many were taken unchanged from the last build.
    reused: AtomicUsize,
    /// What is being made now, e.g. `ja/manual.pdf`.
    current: Mutex<String>,
}

/// The build's progress: PDFs, the part of a build that takes long enough to watch.
pub static PDFS: Progress = Progress {
    total: AtomicUsize::new(0),
    done: AtomicUsize::new(0),
    reused: AtomicUsize::new(0),
    current: Mutex::new(String::new()),
};

impl Progress {
    pub fn start(&self, total: usize) {
        self.done.store(0, Ordering::Relaxed);
        self.reused.store(0, Ordering::Relaxed);
        self.total.store(total, Ordering::Relaxed);
    }

    pub fn working_on(&self, what: &str) {
        let mut current = self.current.lock().unwrap_or_else(|e| e.into_inner());
        current.clear();
        current.push_str(what);
    }

    pub fn finished_one(&self) {
        self.done.fetch_add(1, Ordering::Relaxed);
    }

    pub fn reused_one(&self) {
        self.reused.fetch_add(1, Ordering::Relaxed);
    }

    /// How many of the done ones were reused.
    pub fn reused(&self) -> usize {
        self.reused.load(Ordering::Relaxed)
    }

    /// (done, total, what is being made now).
    pub fn snapshot(&self) -> (usize, usize, String) {
        let current = self.current.lock().unwrap_or_else(|e| e.into_inner()).clone();
        (self.done.load(Ordering::Relaxed), self.total.load(Ordering::Relaxed), current)
    }
}
