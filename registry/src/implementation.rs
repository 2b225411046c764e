//! `Implementation<V>`: one ViewModel bound to View `V`, with whatever keeps its code alive.

use playground_kernel::sync::StdArc as Arc;
use std::any::Any;
use std::fmt;

/// Something that must outlive an implementation's code, e.g. the loaded library it lives in.
pub type Owner = Arc<dyn Any + Send + Sync>;

/// An implementation of View `V` (a trait object type such as `dyn EntityView`), as the
/// registry binds it.
///
/// Field order is drop order: the trait object is dropped before its `owner`, so a library
/// named as owner is released only after the code it contains has run its last destructor.
pub struct Implementation<V: ?Sized> {
    view: Arc<V>,
    name: String,
    api_version: u64,
    owner: Option<Owner>,
}

impl<V: ?Sized> Implementation<V> {
    /// An implementation called `name`, built against `api_version` of its View.
    pub fn new(name: impl Into<String>, api_version: u64, view: Arc<V>) -> Self {
        Self {
            view,
            name: name.into(),
            api_version,
            owner: None,
        }
    }

    /// Names an owner to keep alive as long as this implementation is reachable.
    pub fn with_owner(mut self, owner: Owner) -> Self {
        self.owner = Some(owner);
        self
    }

    /// The implementation, as the View's trait object.
    #[inline(always)]
    pub fn view(&self) -> &V {
        &self.view
    }

    /// Its name (e.g. the module's).
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The API version it was built against.
    pub fn api_version(&self) -> u64 {
        self.api_version
    }

    /// The owner it keeps alive, if any.
    pub fn owner(&self) -> Option<&Owner> {
        self.owner.as_ref()
    }
}

impl<V: ?Sized> fmt::Debug for Implementation<V> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Implementation")
            .field("name", &self.name)
            .field("api_version", &format_args!("{:#018x}", self.api_version))
            .field("owned", &self.owner.is_some())
            .finish()
    }
}
