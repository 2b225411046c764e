//! [`RetiredLibraries`]: the libraries a host replaced or refused, and what keeping them costs.

use crate::library::{LibraryOwner, UnloadPolicy};
use playground_kernel::sync::StdArc;
use std::sync::Weak;

/// Libraries a host no longer runs, weakly held so `WhenUnused` can close them; under
/// `Never` every one stays mapped, and the count says how many.
#[derive(Debug)]
pub struct RetiredLibraries {
    policy: UnloadPolicy,
    list: Vec<(Weak<LibraryOwner>, u64)>,
}

impl RetiredLibraries {
    /// None yet, for a host unloading by `policy`.
    pub fn new(policy: UnloadPolicy) -> Self {
        Self {
            policy,
            list: Vec::new(),
        }
    }

    /// Records that `owner`'s library is no longer run by the host.
    pub fn retire(&mut self, owner: &StdArc<LibraryOwner>) {
        if self.policy == UnloadPolicy::WhenUnused {
            self.list.retain(|(weak, _)| weak.strong_count() > 0);
        }
        self.list.push((StdArc::downgrade(owner), owner.bytes));
    }

    fn still_mapped(&self) -> impl Iterator<Item = &(Weak<LibraryOwner>, u64)> {
        let never = self.policy == UnloadPolicy::Never;
        self.list
            .iter()
            .filter(move |(weak, _)| never || weak.strong_count() > 0)
    }

    /// How many of them are still mapped.
    pub fn count(&self) -> usize {
        self.still_mapped().count()
    }

    /// The memory those cost: their total size on disk.
    pub fn bytes(&self) -> u64 {
        self.still_mapped().map(|(_, bytes)| bytes).sum()
    }
}
