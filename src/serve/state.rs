//! What the server serves, and who is waiting to hear that it changed.
//!
//! A [`Snapshot`] is one build, never changed after it is made. Requests take the
//! current one and keep it for as long as they need, while the builder makes the next
//! and swaps it in; so a request never sees half of one build and half of another.

use std::sync::mpsc::{Receiver, Sender, channel};
use std::sync::{Arc, Mutex, RwLock};

use super::overlay::{self, Problem};
use super::served::Served;

/// One build as served.
pub struct Snapshot {
    /// Changes with every build, failed or not; pages carry the one they were served
    /// from, so a page that missed a reload notices when it reconnects.
    pub id: String,
    /// The last build that succeeded, if one has.
    pub site: Option<Arc<Served>>,
    /// The errors of this build, if it failed.
    pub problems: Vec<Problem>,
}

impl Snapshot {
    pub fn built(id: String, site: Served) -> Snapshot {
        Snapshot { id, site: Some(Arc::new(site)), problems: Vec::new() }
    }

    pub fn failed(id: String, previous: Option<&Snapshot>, problems: Vec<Problem>) -> Snapshot {
        let site = previous.and_then(|p| p.site.clone());
        Snapshot { id, site, problems }
    }

    pub fn has_site(&self) -> bool {
        self.site.is_some()
    }

    /// The server-sent event that tells open pages about this build.
    pub fn event(&self) -> String {
        if self.problems.is_empty() {
            sse("reload", &serde_json::json!({ "build": self.id }))
        } else {
            sse(
                "failed",
                &serde_json::json!({
                    "build": self.id,
                    "html": overlay::html(&self.problems, self.has_site()),
                    "problems": self.problems,
                }),
            )
        }
    }

    /// The first event on a new stream: which build is current.
    pub fn hello(&self) -> String {
        sse("hello", &serde_json::json!({ "build": self.id }))
    }
}

/// One server-sent event. JSON escapes newlines, so the data is one `data:` line.
fn sse(event: &str, data: &serde_json::Value) -> String {
    format!("event: {event}\ndata: {data}\n\n")
}

/// The current build and the open event streams.
pub struct Shared {
    current: RwLock<Arc<Snapshot>>,
    listeners: Mutex<Vec<Sender<Arc<str>>>>,
}

impl Shared {
    pub fn new(first: Snapshot) -> Shared {
        Shared { current: RwLock::new(Arc::new(first)), listeners: Mutex::default() }
    }

    pub fn current(&self) -> Arc<Snapshot> {
        Arc::clone(&self.current.read().unwrap_or_else(|e| e.into_inner()))
    }

    /// Swaps in a new build and tells every open page. Returns the build it replaced,
    /// for the caller to free when it has time.
    pub fn publish(&self, snapshot: Snapshot) -> Arc<Snapshot> {
        let event: Arc<str> = snapshot.event().into();
        let old = std::mem::replace(&mut *self.current.write().unwrap_or_else(|e| e.into_inner()), Arc::new(snapshot));
        let mut listeners = self.listeners.lock().unwrap_or_else(|e| e.into_inner());
        // A stream whose page has gone has dropped its receiver; forget it.
        listeners.retain(|listener| listener.send(Arc::clone(&event)).is_ok());
        old
    }

    /// A stream of events from now on, and the build that is current as it starts:
    /// subscribing before reading the current build means no build falls between.
    pub fn subscribe(&self) -> (Receiver<Arc<str>>, Arc<Snapshot>) {
        let (sender, receiver) = channel();
        self.listeners.lock().unwrap_or_else(|e| e.into_inner()).push(sender);
        (receiver, self.current())
    }
}
