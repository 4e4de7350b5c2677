//! The server when its surroundings fail: whatever it answered "saved" is in the database
//! afterwards, and what it could not save it says so with 503 and a time to come back.

use crate::common::{TempDir, TestApp, TestDatabase, agent};
use sea_orm::ConnectionTrait;
use std::collections::HashMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

/// A small tmpfs of its own, mounted for one test and unmounted after it.
struct SmallDisk {
    dir: TempDir,
}

impl SmallDisk {
    fn mount(megabytes: u32) -> SmallDisk {
        let dir = TempDir::new();
        let mounted = std::process::Command::new("mount")
            .args([
                "-t",
                "tmpfs",
                "-o",
                &format!("size={megabytes}m"),
                "tiendo-test",
            ])
            .arg(dir.path())
            .status();
        assert!(
            mounted.is_ok_and(|s| s.success()),
            "mounting a {megabytes} MB tmpfs at {} needs root (CI runs as root)",
            dir.path().display()
        );
        SmallDisk { dir }
    }

    fn path(&self) -> &Path {
        self.dir.path()
    }

    /// Fills what is left of the disk with one file, until the file system refuses.
    fn fill(&self) -> PathBuf {
        let filler = self.path().join("filler");
        let mut file = std::fs::File::create(&filler).expect("the filler file");
        let chunk = vec![0x55u8; 64 * 1024];
        while file.write_all(&chunk).is_ok() {}
        // The last bytes, smaller than a chunk.
        while file.write_all(&chunk[..512]).is_ok() {}
        filler
    }
}

impl Drop for SmallDisk {
    fn drop(&mut self) {
        let _ = std::process::Command::new("umount")
            .arg("-l")
            .arg(self.dir.path())
            .status();
    }
}

/// What a writer saw: the requests answered "created" (code, id and text), and the others.
#[derive(Default)]
struct Tally {
    /// Code, token, id and text.
    saved: Vec<(String, String, i64, String)>,
    saved_after_freeing: usize,
    unavailable: usize,
    other: Vec<(u16, String)>,
}

/// Sends Open311 requests until `stop`, each with a text of its own.
fn write_until(
    base: String,
    writer: usize,
    freed: Arc<AtomicBool>,
    stop: Arc<AtomicBool>,
) -> Tally {
    let agent = agent();
    let mut tally = Tally::default();
    let mut n = 0;
    while !stop.load(Ordering::Relaxed) {
        n += 1;
        let after_freeing = freed.load(Ordering::Relaxed);
        let text = format!("disk-full writer {writer} request {n}");
        let answer = agent
            .post(format!("{base}/open311/v2/requests.json"))
            .content_type("application/x-www-form-urlencoded")
            .send(format!(
                "service_code=other&description={}",
                text.replace(' ', "+")
            ));
        let Ok(mut answer) = answer else {
            tally.other.push((0, "no answer".into()));
            continue;
        };
        let status = answer.status().as_u16();
        let retry_after = answer
            .headers()
            .get("retry-after")
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        let body = answer.body_mut().read_to_string().unwrap_or_default();
        match status {
            201 => {
                let json: serde_json::Value = serde_json::from_str(&body).expect("JSON");
                let code = json[0]["service_request_id"].as_str().expect("a code");
                let token = json[0]["token"].as_str().expect("a token");
                let (_, id) = tiendo::model::feedback::parse_reference_code(code).expect("a code");
                tally
                    .saved
                    .push((code.to_owned(), token.to_owned(), i64::from(id), text));
                tally.saved_after_freeing += usize::from(after_freeing);
            }
            503 => {
                assert!(retry_after.is_some(), "503 without Retry-After: {body}");
                assert!(!body.contains("reference"), "{body}");
                tally.unavailable += 1;
            }
            _ => tally.other.push((status, body)),
        }
    }
    tally
}

#[test]
fn writes_answered_saved_while_the_disk_fills_are_all_in_the_database() {
    let disk = SmallDisk::mount(24);
    let app = TestApp::start(TestDatabase::sqlite_in(disk.path()), |config| {
        config.feedback_per_ip = 0;
    });
    let (freed, stop) = (
        Arc::new(AtomicBool::new(false)),
        Arc::new(AtomicBool::new(false)),
    );
    let writers: Vec<_> = (0..4)
        .map(|writer| {
            let (base, freed, stop) = (app.url(""), freed.clone(), stop.clone());
            std::thread::spawn(move || write_until(base, writer, freed, stop))
        })
        .collect();
    std::thread::sleep(Duration::from_secs(1));
    let filler = disk.fill();
    let full_since = Instant::now();
    // Reads go on while the disk is full.
    while full_since.elapsed() < Duration::from_secs(3) {
        let page = app.get("/units");
        assert_eq!(page.status, 200, "a read while the disk is full");
        std::thread::sleep(Duration::from_millis(200));
    }
    std::fs::remove_file(&filler).expect("frees the disk");
    freed.store(true, Ordering::Relaxed);
    std::thread::sleep(Duration::from_secs(2));
    stop.store(true, Ordering::Relaxed);
    let tallies: Vec<Tally> = writers
        .into_iter()
        .map(|w| w.join().expect("a writer"))
        .collect();

    let saved: Vec<&(String, String, i64, String)> =
        tallies.iter().flat_map(|t| &t.saved).collect();
    let unavailable: usize = tallies.iter().map(|t| t.unavailable).sum();
    let other: Vec<&(u16, String)> = tallies.iter().flat_map(|t| &t.other).collect();
    assert!(
        unavailable > 0,
        "the full disk refused no write: the test did not fill it"
    );
    assert!(
        other.is_empty(),
        "answers other than 201 and 503: {other:?}"
    );

    // The running server finds every request it acknowledged...
    let server = agent();
    let missing_live = saved
        .iter()
        .filter(|(code, token, _, _)| {
            let answer = server
                .get(app.url(&format!("/open311/v2/requests/{code}.json?token={token}")))
                .call()
                .expect("an answer");
            answer.status() != 200
        })
        .count();
    // ...and so does a connection of its own, with the text it was sent.
    let db = app.db();
    let rows = app
        .block_on(db.read.query_all_raw(sea_orm::Statement::from_string(
            db.backend(),
            "SELECT id, text FROM feedback".to_owned(),
        )))
        .expect("reads the feedback");
    let stored: HashMap<i64, String> = rows
        .iter()
        .map(|row| {
            (
                row.try_get_by_index::<i64>(0).unwrap(),
                row.try_get_by_index::<String>(1).unwrap(),
            )
        })
        .collect();
    let missing: Vec<_> = saved
        .iter()
        .filter(|(_, _, id, text)| stored.get(id) != Some(text))
        .collect();
    assert!(
        missing.is_empty() && missing_live == 0,
        "{} of {} acknowledged writes are missing from the database ({} from the server's \
         answers), {unavailable} were refused; first missing: {:?}",
        missing.len(),
        saved.len(),
        missing_live,
        missing.first()
    );
    // Once the disk has room again, writes are saved again.
    for (writer, tally) in tallies.iter().enumerate() {
        assert!(
            tally.saved_after_freeing > 0,
            "writer {writer} saved nothing after the disk was freed"
        );
    }
    assert_eq!(app.text("PRAGMA integrity_check"), "ok");
}
