//! The executor Leptos spawns its tasks on: tokio, but a page's tasks stop with the page.
//!
//! On the server, Leptos runs each resource's loader and each isomorphic effect (the
//! `<Suspense>` bookkeeping, leptos_i18n's locale cookie) as a task of its own. Those tasks
//! do not end with the request. When the response is finished, or dropped because the
//! client left mid-page, the page's reactive owners are cleaned up and their values
//! disposed, while a task spawned by the render may still be queued, or running on another
//! worker. Run then, it reads disposed values and panics ("Tried to access a reactive value
//! that has already been disposed"), after loading data nobody will receive.
//!
//! So every page gets a watch ([`watch_page`]): an owner made before anything else of the
//! page, hence cleaned up before anything else (Leptos cleans an owner's children in the
//! order they were made, before disposing its own values). Its cleanup marks the page gone
//! and waits for the page's tasks running at that moment; a task of a page that is gone is
//! dropped without being polled again. Parts of a page can also go before the page does
//! (a `<Suspense>` whose effect is still queued after its part was rendered and dropped):
//! a task is also dropped once the owner it was spawned under, or one above it, is gone.

use any_spawner::{CustomExecutor, Executor, PinnedFuture, PinnedLocalFuture};
use leptos::prelude::{Owner, provide_context, use_context};
use leptos::reactive::owner::WeakOwner;
use std::cell::RefCell;
use std::future::Future;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, PoisonError, RwLock};
use std::task::{Context, Poll};

/// Makes [`PageTasks`] Leptos's executor. Must run before anything else spawns through
/// Leptos (leptos_axum otherwise sets plain tokio on first use); later calls change
/// nothing.
pub fn init() {
    if Executor::init_custom_executor(PageTasks).is_err() {
        tracing::debug!("Leptos's executor was already set");
    }
}

/// Starts watching the page about to be rendered under the current (root) owner. Call it
/// first, before the page makes any owner of its own.
pub fn watch_page() {
    let page = Page::default();
    let watch = Owner::new();
    watch.with(|| {
        let page = page.clone();
        Owner::on_cleanup(move || page.end());
    });
    // Kept by the root's contexts: the watch lives exactly as long as the page.
    provide_context(Watch(watch));
    provide_context(page);
}

#[derive(Clone)]
struct Watch(#[allow(dead_code)] Owner);

/// One page's render, as its tasks see it.
#[derive(Clone, Default)]
struct Page(Arc<PageState>);

#[derive(Default)]
struct PageState {
    gone: AtomicBool,
    /// Held for reading by each poll of the page's tasks, for writing by the page's end.
    running: RwLock<()>,
}

thread_local! {
    /// The pages whose tasks this thread is polling right now.
    static POLLING: RefCell<Vec<*const PageState>> = const { RefCell::new(Vec::new()) };
}

impl Page {
    /// Marks the page gone, then waits for its tasks running on other threads: nothing of
    /// the page is disposed under them. (A task of the page that ends the page itself, on
    /// this thread, is not waited for: it would wait for itself.)
    fn end(&self) {
        self.0.gone.store(true, Ordering::SeqCst);
        let here = POLLING.with(|polling| polling.borrow().contains(&Arc::as_ptr(&self.0)));
        if !here {
            drop(
                self.0
                    .running
                    .write()
                    .unwrap_or_else(PoisonError::into_inner),
            );
        }
    }
}

pub struct PageTasks;

impl CustomExecutor for PageTasks {
    fn spawn(&self, task: PinnedFuture<()>) {
        drop(tokio::spawn(WhileOwned::new(task)));
    }

    fn spawn_local(&self, task: PinnedLocalFuture<()>) {
        drop(tokio::task::spawn_local(WhileOwned::new(task)));
    }

    fn poll_local(&self) {}
}

/// A task that runs only while the owners it was spawned under, and its page, are there.
struct WhileOwned<F> {
    task: Pin<F>,
    /// The owner current at the spawn, then each one above it.
    owners: Vec<WeakOwner>,
    page: Option<Page>,
}

impl<F> WhileOwned<F> {
    fn new(task: Pin<F>) -> Self {
        let mut owners = Vec::new();
        let mut next = Owner::current();
        while let Some(owner) = next {
            owners.push(owner.downgrade());
            next = owner.parent();
        }
        WhileOwned {
            task,
            owners,
            page: use_context::<Page>(),
        }
    }
}

impl<F> Future for WhileOwned<F>
where
    F: std::ops::DerefMut<Target: Future<Output = ()>> + Unpin,
{
    type Output = ();

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        let this = self.get_mut();
        // Held through the poll and let go last: if this holds the last reference to the
        // page's root, the page ends after the poll, not inside it.
        let held: Option<Vec<Owner>> = this.owners.iter().map(WeakOwner::upgrade).collect();
        let Some(_held) = held else {
            return Poll::Ready(());
        };
        let Some(page) = &this.page else {
            return this.task.as_mut().poll(cx);
        };
        let state = Arc::clone(&page.0);
        let _running = state.running.read().unwrap_or_else(PoisonError::into_inner);
        if state.gone.load(Ordering::SeqCst) {
            return Poll::Ready(());
        }
        let _marked = Polling::mark(&state);
        this.task.as_mut().poll(cx)
    }
}

/// This thread's mark that it polls a task of a page, taken off however the poll ends.
struct Polling(*const PageState);

impl Polling {
    fn mark(state: &Arc<PageState>) -> Polling {
        let page = Arc::as_ptr(state);
        POLLING.with(|polling| polling.borrow_mut().push(page));
        Polling(page)
    }
}

impl Drop for Polling {
    fn drop(&mut self) {
        POLLING.with(|polling| {
            let mut polling = polling.borrow_mut();
            if let Some(at) = polling.iter().rposition(|page| *page == self.0) {
                polling.remove(at);
            }
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::AtomicUsize;

    fn counted(runs: &Arc<AtomicUsize>) -> Pin<Box<dyn Future<Output = ()> + Send>> {
        let runs = Arc::clone(runs);
        Box::pin(async move {
            runs.fetch_add(1, Ordering::SeqCst);
        })
    }

    type Task = WhileOwned<Box<dyn Future<Output = ()> + Send>>;

    #[derive(Clone)]
    struct Component(#[allow(dead_code)] Owner);

    /// A page's root owner, watched, and a task spawned under a component of it (the
    /// component's owner is kept by the root's contexts, as a rendered view keeps it).
    fn page_with_task(runs: &Arc<AtomicUsize>) -> (Owner, Task) {
        let root = Owner::new();
        let task = root.with(|| {
            watch_page();
            let component = Owner::new();
            provide_context(Component(component.clone()));
            component.with(|| WhileOwned::new(counted(runs)))
        });
        assert!(task.page.is_some(), "the task knows its page");
        (root, task)
    }

    #[tokio::test]
    async fn a_task_of_a_page_that_is_gone_never_runs() {
        let runs = Arc::new(AtomicUsize::new(0));
        // The client left: the page's owners are dropped.
        let (root, task) = page_with_task(&runs);
        drop(root);
        task.await;
        // The response was finished: its owners are cleaned up, though still held.
        let (root, task) = page_with_task(&runs);
        root.cleanup();
        task.await;
        assert_eq!(runs.load(Ordering::SeqCst), 0);
    }

    #[tokio::test]
    async fn a_task_whose_part_of_the_page_is_gone_never_runs() {
        let runs = Arc::new(AtomicUsize::new(0));
        let root = Owner::new();
        let part = root.with(|| {
            watch_page();
            Owner::new()
        });
        let task = part.with(|| Owner::new().with(|| WhileOwned::new(counted(&runs))));
        drop(part);
        task.await;
        assert_eq!(runs.load(Ordering::SeqCst), 0);
        drop(root);
    }

    #[tokio::test]
    async fn a_task_outside_any_page_runs() {
        let runs = Arc::new(AtomicUsize::new(0));
        WhileOwned::new(counted(&runs)).await;
        assert_eq!(runs.load(Ordering::SeqCst), 1);
    }

    #[tokio::test]
    async fn a_task_runs_while_its_page_is_there() {
        let runs = Arc::new(AtomicUsize::new(0));
        let (root, task) = page_with_task(&runs);
        task.await;
        assert_eq!(runs.load(Ordering::SeqCst), 1);
        drop(root);
    }

    #[test]
    fn the_end_of_a_page_waits_for_its_running_task() {
        let (root, mut task) = page_with_task(&Arc::new(AtomicUsize::new(0)));
        let page = Arc::clone(&task.page.as_ref().unwrap().0);
        let (started, start) = std::sync::mpsc::channel();
        let (finish, finished) = std::sync::mpsc::channel::<()>();
        task.task = Box::pin(async move {
            started.send(()).unwrap();
            finished.recv().unwrap();
        });
        let running = std::thread::spawn(move || {
            futures_lite_block_on(task);
        });
        start.recv().unwrap();
        let ending = std::thread::spawn(move || root.cleanup());
        std::thread::sleep(std::time::Duration::from_millis(50));
        assert!(page.gone.load(Ordering::SeqCst), "marked gone at once");
        assert!(
            !ending.is_finished(),
            "its values wait for the running task"
        );
        finish.send(()).unwrap();
        running.join().unwrap();
        ending.join().unwrap();
    }

    /// Polls a future to its end on this thread.
    fn futures_lite_block_on(future: impl Future<Output = ()>) {
        tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap()
            .block_on(future);
    }
}
