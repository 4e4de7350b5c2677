//! Figures kept between writes. The database counts its changes in a generation that
//! triggers raise in the same transaction as every change the figures are read from
//! (migration 16); what was read at one generation holds until the generation moves.
//!
//! Only SQLite keeps the generation (on PostgreSQL its one row would make every writer
//! queue); there `current` is `None` and figures are read afresh each time.

use super::access::View;
use super::auth::Official;
use super::dashboard::KeptFigures;
use super::db::Db;
use super::documents::SeenDocument;
use super::http::kept_pages::KeptPages;
use super::sessions::KeptSessions;
use super::tasks::SeenTask;
use super::work::Outcome;
use crate::model::Role;
use crate::model::task::{DocumentFilter, DocumentPage, WorkFilter, WorkPage};
use crate::model::time::Day;
use sea_orm::{ConnectionTrait, DbBackend, Statement};
use std::collections::HashMap;
use std::future::Future;
use std::hash::Hash;
use std::sync::{Arc, Mutex};
use std::time::Instant;

/// The database's two counters (migrations 16 and 17): the figures' generation (tasks,
/// documents, units, feedback, reports and what a task's page shows) and the accounts'
/// (officials, units, notifications and their reads, ended sessions).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Generations {
    pub figures: i64,
    pub accounts: i64,
}

impl Generations {
    /// A generation for what is read from both sides: it moves whenever either does
    /// (both only ever grow).
    pub fn both(self) -> i64 {
        self.figures + self.accounts
    }
}

/// The figures' generation, where it is kept.
pub async fn current(db: &Db) -> Outcome<Option<i64>> {
    Ok(both(db).await?.map(|g| g.figures))
}

/// The database's generations, where they are kept.
///
/// Requests that arrive together share one read: a read that began after a request
/// arrived saw every change committed before it arrived, so its generations are as good
/// as ones the request would read itself. Reads go one at a time; a request waiting for
/// its turn takes the result of one that began after it arrived instead of reading again.
pub async fn both(db: &Db) -> Outcome<Option<Generations>> {
    both_since(db, Instant::now()).await
}

/// The generations as read at `arrived` or after. Authentication reads the session, the
/// official and their unread count at the generations of one read since the request
/// arrived (nothing in the request has written yet).
pub async fn both_since(db: &Db, arrived: Instant) -> Outcome<Option<Generations>> {
    if db.backend() != DbBackend::Sqlite {
        return Ok(None);
    }
    let latest = &db.kept.latest;
    let _turn = latest.reading.lock().await;
    if let Some(generations) = latest.read_since(arrived) {
        return Ok(Some(generations));
    }
    let began = Instant::now();
    let row = db
        .read
        .query_one_raw(Statement::from_string(
            DbBackend::Sqlite,
            "SELECT generation, accounts FROM figures_generation WHERE id = 1",
        ))
        .await?
        .ok_or_else(|| anyhow::anyhow!("figures_generation has no row"))?;
    let generations = Generations {
        figures: row.try_get("", "generation")?,
        accounts: row.try_get("", "accounts")?,
    };
    latest.keep(began, generations);
    Ok(Some(generations))
}

/// The generations as last read, with the moment their read began; one read at a time.
#[derive(Debug, Default)]
pub struct LatestGeneration {
    read: Mutex<Option<(Instant, Generations)>>,
    reading: tokio::sync::Mutex<()>,
}

impl LatestGeneration {
    /// The last generations read, if their read began at `arrived` or after.
    fn read_since(&self, arrived: Instant) -> Option<Generations> {
        let read = self.read.lock().unwrap_or_else(|e| e.into_inner());
        read.filter(|(began, _)| *began >= arrived)
            .map(|(_, generations)| generations)
    }

    fn keep(&self, began: Instant, generations: Generations) {
        let mut read = self.read.lock().unwrap_or_else(|e| e.into_inner());
        if read.is_none_or(|(before, _)| before <= began) {
            *read = Some((began, generations));
        }
    }
}

/// What the server keeps between writes to one database.
#[derive(Debug)]
pub struct KeptReads {
    /// The generation as last read, shared by the requests that arrive while it is read.
    pub latest: LatestGeneration,
    pub dashboards: KeptFigures,
    /// A document's page by id, view and day (its rows say which tasks are overdue).
    pub documents: Kept<(i32, View, Day), Option<SeenDocument>>,
    pub document_lists: Kept<(View, DocumentFilter), DocumentPage>,
    /// A task's page by id, view, the reader's unit and role, and day, at both
    /// generations.
    pub tasks: Kept<(i32, View, i32, Role, Day), Option<SeenTask>>,
    /// A document's indicators, and an indicator's page, by id, view and day (the period
    /// judged moves with the day).
    pub indicator_sections:
        Kept<(i32, View, Day), Option<(crate::model::indicator::IndicatorSection, i32)>>,
    pub indicators: Kept<(i32, View, Day), Option<crate::server::indicators::SeenIndicator>>,
    /// `/periods` by unit, filter (its unit left out), clearance and day, with the
    /// classified documents it names.
    pub periods: Kept<PeriodsKey, (crate::model::period::PeriodsPage, Vec<super::access::Shown>)>,
    /// `/my-work` by view, the reader's unit, filter and day.
    pub work: Kept<(View, i32, WorkFilter, Day), WorkPage>,
    /// Public pages whole, for visitors who are not signed in.
    pub pages: KeptPages,
    /// At the accounts' generation: sessions by key, officials by id.
    pub sessions: KeptSessions,
    pub officials: Kept<i32, Option<Official>>,
    /// Unread notifications by official and figures' generation, at the accounts'.
    pub unread: Kept<(i32, i64), u64>,
}

/// `/periods`: the unit shown, the filter without its unit, the clearance and the day.
pub type PeriodsKey = (i32, crate::model::period::PeriodsFilter, i16, Day);

impl Default for KeptReads {
    fn default() -> Self {
        // A document's page holds up to 300 task rows (about 100 KB), a list page 20
        // documents: a few MB in all at most.
        KeptReads {
            latest: LatestGeneration::default(),
            dashboards: KeptFigures::default(),
            documents: Kept::new(32),
            document_lists: Kept::new(256),
            // A task's page holds up to 200 subtasks and its reports: up to 100 KB.
            tasks: Kept::new(128),
            work: Kept::new(1024),
            // A section holds a few dozen rows, a page a few hundred values at most.
            indicator_sections: Kept::new(256),
            indicators: Kept::new(256),
            periods: Kept::new(256),
            pages: KeptPages::default(),
            // A few hundred bytes each.
            sessions: KeptSessions::new(4096),
            officials: Kept::new(4096),
            unread: Kept::new(4096),
        }
    }
}

/// Values read at one generation, by key; at most `capacity` of them (when full it starts
/// again empty: the keys are a few per unit and filter, so this is rare and cheap).
pub struct Kept<K, V> {
    capacity: usize,
    entries: Mutex<Entries<K, V>>,
}

struct Entries<K, V> {
    generation: i64,
    values: HashMap<K, Arc<V>>,
    /// The turn of each key being read: callers that miss the same key read it one at a
    /// time, and the ones after the first find its value. Without it a cold server under
    /// load computes one dashboard as many times as it has callers, each one slower for
    /// the others.
    turns: HashMap<K, Arc<tokio::sync::Mutex<()>>>,
}

impl<K: Hash + Eq, V> Kept<K, V> {
    pub fn new(capacity: usize) -> Self {
        Kept {
            capacity,
            entries: Mutex::new(Entries {
                generation: 0,
                values: HashMap::new(),
                turns: HashMap::new(),
            }),
        }
    }

    fn entries(&self) -> std::sync::MutexGuard<'_, Entries<K, V>> {
        self.entries.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The value for `key` kept at `generation` or later, or the one `read` gives (kept
    /// when the generation is known). `generation` must be read before `read` starts: a
    /// change committed in between then moves the generation past it, and what was read
    /// can never be served as current.
    pub async fn get_or_read<F, Fut>(
        &self,
        generation: Option<i64>,
        key: K,
        read: F,
    ) -> Outcome<Arc<V>>
    where
        K: Clone,
        F: FnOnce() -> Fut,
        Fut: Future<Output = Outcome<V>>,
    {
        let Some(generation) = generation else {
            return Ok(Arc::new(read().await?));
        };
        if let Some(value) = self.get(generation, &key) {
            return Ok(value);
        }
        let turn = self.entries().turns.entry(key.clone()).or_default().clone();
        let _turn = turn.lock().await;
        // The caller before may have kept it meanwhile (or failed: then this one reads).
        if let Some(value) = self.get(generation, &key) {
            return Ok(value);
        }
        let outcome = read().await.map(Arc::new);
        let mut entries = self.entries();
        if let Ok(value) = &outcome {
            self.keep(&mut entries, generation, key.clone(), value.clone());
        }
        if entries
            .turns
            .get(&key)
            .is_some_and(|t| Arc::ptr_eq(t, &turn))
        {
            entries.turns.remove(&key);
        }
        outcome
    }

    /// The value for `key` if it was kept at `generation` or later (a value read after a
    /// change serves a caller that asked before it as well).
    pub fn get(&self, generation: i64, key: &K) -> Option<Arc<V>> {
        let entries = self.entries();
        if entries.generation < generation {
            return None;
        }
        entries.values.get(key).cloned()
    }

    /// Keeps `value`, read at `generation` (read before the value was), for `key`.
    pub fn put(&self, generation: i64, key: K, value: Arc<V>) {
        self.keep(&mut self.entries(), generation, key, value);
    }

    fn keep(&self, entries: &mut Entries<K, V>, generation: i64, key: K, value: Arc<V>) {
        // A reader that started before the latest change may come back after others that
        // started after it: its value is then dropped, not the newer ones.
        if generation < entries.generation {
            return;
        }
        if generation > entries.generation || entries.values.len() >= self.capacity {
            entries.generation = generation;
            entries.values.clear();
            // Turns nobody holds any more (their reader was cancelled).
            entries.turns.retain(|_, turn| Arc::strong_count(turn) > 1);
        }
        entries.values.insert(key, value);
    }

    #[cfg(test)]
    fn len(&self) -> usize {
        self.entries().values.len()
    }
}

impl<K, V> std::fmt::Debug for Kept<K, V> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Kept")
            .field("capacity", &self.capacity)
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicU32, Ordering};

    /// Reads `key` through `kept`, counting the reads.
    async fn read(
        kept: &Kept<u8, u32>,
        generation: Option<i64>,
        key: u8,
        reads: &AtomicU32,
    ) -> u32 {
        *kept
            .get_or_read(generation, key, || async {
                Ok(reads.fetch_add(1, Ordering::SeqCst) + 1)
            })
            .await
            .unwrap()
    }

    #[tokio::test]
    async fn a_value_holds_until_the_generation_moves() {
        let (kept, reads) = (Kept::new(8), AtomicU32::new(0));
        assert_eq!(read(&kept, Some(3), 1, &reads).await, 1);
        assert_eq!(read(&kept, Some(3), 1, &reads).await, 1);
        assert_eq!(read(&kept, Some(3), 2, &reads).await, 2);
        // A change: everything is read again.
        assert_eq!(read(&kept, Some(4), 1, &reads).await, 3);
        assert_eq!(read(&kept, Some(4), 2, &reads).await, 4);
        assert_eq!(reads.load(Ordering::SeqCst), 4);
    }

    #[tokio::test]
    async fn without_a_generation_nothing_is_kept() {
        let (kept, reads) = (Kept::new(8), AtomicU32::new(0));
        assert_eq!(read(&kept, None, 1, &reads).await, 1);
        assert_eq!(read(&kept, None, 1, &reads).await, 2);
        assert_eq!(kept.len(), 0);
    }

    #[tokio::test]
    async fn a_late_reader_of_an_older_generation_keeps_nothing() {
        let (kept, reads) = (Kept::new(8), AtomicU32::new(0));
        assert_eq!(read(&kept, Some(5), 1, &reads).await, 1);
        // Read at generation 4, finished after the value of generation 5 was kept.
        assert_eq!(read(&kept, Some(4), 2, &reads).await, 2);
        assert_eq!(kept.len(), 1);
        // Asked at generation 4, served what was read at 5 (read after the change).
        assert_eq!(read(&kept, Some(4), 1, &reads).await, 1);
        assert_eq!(read(&kept, Some(5), 1, &reads).await, 1);
        assert_eq!(reads.load(Ordering::SeqCst), 2);
    }

    #[tokio::test]
    async fn callers_that_miss_together_read_once() {
        let kept = Arc::new(Kept::<u8, u32>::new(8));
        let reads = Arc::new(AtomicU32::new(0));
        let (started, go) = (
            Arc::new(tokio::sync::Notify::new()),
            Arc::new(tokio::sync::Notify::new()),
        );
        let mut callers = tokio::task::JoinSet::new();
        for _ in 0..16 {
            let (kept, reads, started, go) =
                (kept.clone(), reads.clone(), started.clone(), go.clone());
            callers.spawn(async move {
                *kept
                    .get_or_read(Some(1), 7, || async move {
                        started.notify_one();
                        go.notified().await;
                        Ok(reads.fetch_add(1, Ordering::SeqCst) + 1)
                    })
                    .await
                    .unwrap()
            });
        }
        // One reader is under way and every other caller is waiting for its turn.
        started.notified().await;
        for _ in 0..50 {
            tokio::task::yield_now().await;
        }
        go.notify_one();
        assert_eq!(callers.join_all().await, vec![1; 16]);
        assert_eq!(reads.load(Ordering::SeqCst), 1);
        assert!(kept.entries().turns.is_empty());
    }

    #[tokio::test]
    async fn after_a_failed_or_cancelled_read_the_next_caller_reads() {
        let kept = Kept::<u8, u32>::new(8);
        let failed = kept
            .get_or_read(Some(1), 7, || async { Err(anyhow::anyhow!("gone").into()) })
            .await;
        assert!(failed.is_err());
        // Cancelled while reading: its turn is left behind, unheld.
        let cancelled = kept.get_or_read(Some(1), 7, std::future::pending);
        assert!(
            tokio::time::timeout(std::time::Duration::from_millis(5), cancelled)
                .await
                .is_err()
        );
        let reads = AtomicU32::new(0);
        assert_eq!(read(&kept, Some(1), 7, &reads).await, 1);
        assert_eq!(read(&kept, Some(1), 7, &reads).await, 1);
        assert!(kept.entries().turns.is_empty());
    }

    #[test]
    fn only_a_read_begun_after_a_request_arrived_serves_it() {
        let latest = LatestGeneration::default();
        let arrived = Instant::now();
        assert_eq!(latest.read_since(arrived), None);
        let began = Instant::now();
        let at = |figures| Generations {
            figures,
            accounts: 1,
        };
        latest.keep(began, at(7));
        assert_eq!(latest.read_since(arrived), Some(at(7)));
        assert_eq!(
            latest.read_since(Instant::now()),
            None,
            "arrived after it began"
        );
        // An older read finishing late does not replace a newer one.
        latest.keep(arrived, at(6));
        assert_eq!(latest.read_since(arrived), Some(at(7)));
    }

    #[tokio::test]
    async fn requests_together_share_reads_and_never_miss_a_committed_change() {
        use sea_orm::ConnectionTrait;
        // In memory, readers and the writer share one connection.
        let db = Db::connect("sqlite::memory:").await.unwrap();
        db.write
            .execute_unprepared(
                "CREATE TABLE figures_generation (id INTEGER PRIMARY KEY, generation INTEGER,
                 accounts INTEGER);
                 INSERT INTO figures_generation VALUES (1, 1, 1);",
            )
            .await
            .unwrap();
        let asked_together = |count| {
            let mut asked = tokio::task::JoinSet::new();
            for _ in 0..count {
                let db = db.clone();
                asked.spawn(async move { both(&db).await.ok().flatten() });
            }
            asked.join_all()
        };
        let at = |figures, accounts| Some(Generations { figures, accounts });
        assert!(asked_together(64).await.iter().all(|g| *g == at(1, 1)));
        for generation in 2..5 {
            for (column, expected) in [
                ("generation", at(generation, generation - 1)),
                ("accounts", at(generation, generation)),
            ] {
                db.write
                    .execute_unprepared(&format!(
                        "UPDATE figures_generation SET {column} = {column} + 1"
                    ))
                    .await
                    .unwrap();
                // Asked after the change committed: never the generations before it.
                let after = asked_together(8).await;
                assert!(after.iter().all(|g| *g == expected), "{after:?}");
            }
        }
    }

    #[tokio::test]
    async fn it_never_holds_more_than_its_capacity() {
        let (kept, reads) = (Kept::new(2), AtomicU32::new(0));
        for key in 0..5 {
            read(&kept, Some(1), key, &reads).await;
            assert!(kept.len() <= 2);
        }
        assert_eq!(read(&kept, Some(1), 4, &reads).await, 5);
    }
}
