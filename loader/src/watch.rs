//! Watching a module's sources for edits (`notify`).

use notify::{Event, EventKind, RecommendedWatcher, RecursiveMode, Watcher};
use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, channel};
use std::time::{Duration, Instant};

/// Reports when `.rs` (or `Cargo.toml`) files under the watched folders change.
pub struct SourceWatcher {
    _watcher: RecommendedWatcher,
    events: Receiver<notify::Result<Event>>,
}

fn is_source(path: &Path) -> bool {
    path.extension().is_some_and(|e| e == "rs")
        || path.file_name().is_some_and(|n| n == "Cargo.toml")
}

impl SourceWatcher {
    /// Watches each of `dirs` recursively.
    pub fn new(dirs: &[PathBuf]) -> notify::Result<Self> {
        let (tx, events) = channel();
        let mut watcher = notify::recommended_watcher(move |event| {
            // The receiver is gone only when the watcher is dropped too.
            let _ = tx.send(event);
        })?;
        for dir in dirs {
            watcher.watch(dir, RecursiveMode::Recursive)?;
        }
        Ok(Self {
            _watcher: watcher,
            events,
        })
    }

    /// The source files changed since the last call, without blocking. After the first
    /// change, waits until `quiet` passes with no further change, so one save (which editors
    /// often write as several events) gives one rebuild.
    pub fn changed(&self, quiet: Duration) -> Vec<PathBuf> {
        let mut changed = Vec::new();
        let mut deadline: Option<Instant> = None;
        loop {
            let next = match deadline {
                None => self.events.try_recv().ok(),
                Some(d) => self
                    .events
                    .recv_timeout(d.saturating_duration_since(Instant::now()))
                    .ok(),
            };
            let Some(event) = next else { break };
            let Ok(event) = event else { continue };
            if matches!(event.kind, EventKind::Access(_)) {
                continue;
            }
            let sources = event.paths.into_iter().filter(|p| is_source(p));
            let before = changed.len();
            changed.extend(sources);
            if changed.len() > before {
                deadline = Some(Instant::now() + quiet);
            }
        }
        changed.sort();
        changed.dedup();
        changed
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_edit_to_a_source_file_is_reported_once_and_others_are_not() {
        let dir = tempfile::tempdir().unwrap();
        let src = dir.path().join("src");
        std::fs::create_dir_all(&src).unwrap();
        let watcher = SourceWatcher::new(std::slice::from_ref(&src)).unwrap();
        std::fs::write(src.join("notes.txt"), "not a source").unwrap();
        std::thread::sleep(Duration::from_millis(100));
        assert!(watcher.changed(Duration::from_millis(50)).is_empty());
        std::fs::write(src.join("lib.rs"), "pub fn a() {}").unwrap();
        let deadline = Instant::now() + Duration::from_secs(5);
        let mut seen = Vec::new();
        while seen.is_empty() && Instant::now() < deadline {
            seen = watcher.changed(Duration::from_millis(50));
            std::thread::sleep(Duration::from_millis(20));
        }
        assert_eq!(seen.len(), 1, "{seen:?}");
        assert!(seen[0].ends_with("lib.rs"));
        assert!(watcher.changed(Duration::from_millis(50)).is_empty());
    }
}
