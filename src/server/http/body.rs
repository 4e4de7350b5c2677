//! Request bodies as the server reads them: capped, whether or not they declare a length,
//! and noticed when left unread.

use axum::body::{Body, Bytes};
use http_body::{Frame, SizeHint};
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};

/// What became of one request's body, read after its response is made.
#[derive(Debug, Default)]
pub struct Watch {
    finished: AtomicBool,
    too_large: AtomicBool,
    /// The body itself, shared with the reader: what the reader left unread can still be
    /// taken back and drained.
    body: Mutex<Option<Body>>,
}

impl Watch {
    /// The body went past its cap: whatever read it failed on that, not on the client's
    /// data.
    pub fn too_large(&self) -> bool {
        self.too_large.load(Ordering::Acquire)
    }

    /// The body was read to its end.
    pub fn finished(&self) -> bool {
        self.finished.load(Ordering::Acquire)
    }

    /// What is left of the body, taken from its reader.
    pub fn take_rest(&self) -> Option<Body> {
        self.body.lock().ok()?.take()
    }
}

/// A body that fails once it has given more than `limit` bytes (a chunked upload
/// declares no length to refuse it by) and records how far it was read.
pub struct Watched {
    left: usize,
    watch: Arc<Watch>,
}

impl Watched {
    pub fn new(inner: Body, limit: usize) -> (Watched, Arc<Watch>) {
        let watch = Arc::new(Watch {
            body: Mutex::new(Some(inner)),
            ..Watch::default()
        });
        let body = Watched {
            left: limit,
            watch: watch.clone(),
        };
        (body, watch)
    }
}

/// The error a reader of a [`Watched`] body meets past its cap.
#[derive(Debug, thiserror::Error)]
#[error("the request body is larger than allowed")]
pub struct TooLarge;

impl http_body::Body for Watched {
    type Data = Bytes;
    type Error = axum::BoxError;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, Self::Error>>> {
        let this = &mut *self;
        let Ok(mut slot) = this.watch.body.lock() else {
            return Poll::Ready(Some(Err(Box::new(TooLarge))));
        };
        let Some(inner) = slot.as_mut() else {
            return Poll::Ready(None);
        };
        match Pin::new(&mut *inner).poll_frame(cx) {
            Poll::Ready(Some(Ok(frame))) => {
                let size = frame.data_ref().map_or(0, Bytes::len);
                if size > this.left {
                    this.watch.too_large.store(true, Ordering::Release);
                    this.left = 0;
                    return Poll::Ready(Some(Err(Box::new(TooLarge))));
                }
                this.left -= size;
                if inner.is_end_stream() {
                    // A body of declared length is over with its last byte.
                    this.watch.finished.store(true, Ordering::Release);
                }
                Poll::Ready(Some(Ok(frame)))
            }
            Poll::Ready(None) => {
                this.watch.finished.store(true, Ordering::Release);
                Poll::Ready(None)
            }
            other => other.map_err(Into::into),
        }
    }

    fn is_end_stream(&self) -> bool {
        self.watch
            .body
            .lock()
            .ok()
            .and_then(|slot| slot.as_ref().map(Body::is_end_stream))
            .unwrap_or(true)
    }

    fn size_hint(&self) -> SizeHint {
        let Some(mut hint) = self
            .watch
            .body
            .lock()
            .ok()
            .and_then(|slot| slot.as_ref().map(Body::size_hint))
        else {
            return SizeHint::with_exact(0);
        };
        let cap = self.left as u64 + 1;
        if hint.lower() > cap {
            // Readers that trust the hint fail early rather than buffer the lot.
            return SizeHint::with_exact(cap);
        }
        if hint.upper().is_none_or(|upper| upper > cap) {
            hint.set_upper(cap);
        }
        hint
    }
}

/// Reads and drops what a client is still sending of a body nobody wants, for a little
/// while: a client that is still sending when the connection closes may see the reset
/// and never the answer.
/// Whether the body ended (the connection can carry another request).
pub async fn drain(body: Body) -> bool {
    const MAX: usize = 8 * 1024 * 1024;
    const TIME: std::time::Duration = std::time::Duration::from_secs(2);
    let drained = http_body_util::BodyExt::collect(http_body_util::Limited::new(body, MAX));
    matches!(tokio::time::timeout(TIME, drained).await, Ok(Ok(_)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use http_body_util::BodyExt;

    #[tokio::test]
    async fn a_body_within_its_cap_is_read_whole() {
        let (body, watch) = Watched::new(Body::from("twelve bytes"), 12);
        let bytes = body.collect().await.expect("read").to_bytes();
        assert_eq!(&bytes[..], b"twelve bytes");
        assert!(watch.finished() && !watch.too_large());
    }

    #[tokio::test]
    async fn a_stream_past_its_cap_fails_and_says_so() {
        let chunks = Chunks(vec!["0123456789", "0123456789"].into());
        let (body, watch) = Watched::new(Body::new(chunks), 15);
        assert!(body.collect().await.is_err());
        assert!(watch.too_large() && !watch.finished());
    }

    #[test]
    fn an_unread_body_is_not_finished() {
        let (_body, watch) = Watched::new(Body::from("x"), 10);
        assert!(!watch.finished() && !watch.too_large());
    }

    /// Chunks without a declared length, like a chunked upload.
    struct Chunks(std::collections::VecDeque<&'static str>);

    impl http_body::Body for Chunks {
        type Data = Bytes;
        type Error = std::convert::Infallible;

        fn poll_frame(
            mut self: Pin<&mut Self>,
            _: &mut Context<'_>,
        ) -> Poll<Option<Result<Frame<Bytes>, Self::Error>>> {
            Poll::Ready(self.0.pop_front().map(|c| Ok(Frame::data(Bytes::from(c)))))
        }
    }
}
