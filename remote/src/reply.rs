//! [`Reply`]: where the host sends one request's answer.

use crate::error::RemoteError;
use playground_kernel::sync::mpsc;
use serde_json::Value;

/// The answer of one request: a method's result or its error.
pub(crate) type Answer = Result<Value, RemoteError>;

/// The sending half of one request's answer. Dropping it unanswered tells the caller the
/// host is gone.
pub(crate) struct Reply {
    tx: mpsc::Sender<Answer>,
}

impl Reply {
    /// A reply and the receiver its answer arrives on.
    pub(crate) fn pair() -> (Self, mpsc::Receiver<Answer>) {
        let (tx, rx) = mpsc::channel();
        (Self { tx }, rx)
    }

    /// Answers. A caller that stopped waiting is not an error of the host's.
    pub(crate) fn send(self, answer: Answer) {
        let _ = self.tx.send(answer);
    }
}
