//! The model-based access test. A generated country (units at every level, central bodies
//! with and without national oversight, documents and tasks of every classification,
//! breakdowns, cascades, coordinating units, reports with evidence, evaluations, raised
//! documents, feedback) and officials of every role and clearance; then every page,
//! server function, file download, count and history entry each official can ask for is
//! compared with an oracle that this test computes from the raw rows by the access rule
//! alone. A new endpoint that returns records belongs here.

use crate::common::{Backend, Page, TestApp};
use crate::work::{add_account, signed_in};
use sea_orm::{ConnectionTrait, EntityTrait, QueryOrder, Statement};
use std::collections::{BTreeSet, HashMap, HashSet};
use tiendo::model::Role;
use tiendo::model::task::Verdict;
use tiendo::server::access::Reader;
use tiendo::server::documents::{self, DocumentInput};
use tiendo::server::entity::{
    attachment, document, feedback, indicator, indicator_value, indicator_value_file, notification,
    report, task, task_coordinator, task_event, unit, user,
};
use tiendo::server::evidence::{EvidenceStore, Upload};
use tiendo::server::indicators::{self, AssignInput, IndicatorInput, ValueInput};
use tiendo::server::reports::{self, ReportInput};
use tiendo::server::tasks::{self, CascadeTargets, TaskInput};

/// A small, seeded random number generator: the same seed builds the same country.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        // xorshift64*
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }
    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

const LEVELS: [&str; 5] = ["public", "internal", "confidential", "secret", "top_secret"];

/// The units the generated country uses: the centre, two central bodies (one granted
/// national oversight), three provinces and two communes of each.
struct Units {
    codes: Vec<String>,
    by_code: HashMap<String, unit::Model>,
}

impl Units {
    fn load(app: &TestApp) -> Units {
        let db = app.db();
        let all: Vec<unit::Model> = app.block_on(unit::Entity::find().all(&db.read)).unwrap();
        let mut codes: Vec<String> = ["TW", "BTCTW", "VPTW", "01", "46", "79"]
            .map(str::to_owned)
            .to_vec();
        for province in ["01", "46", "79"] {
            let id = all.iter().find(|u| u.code == province).unwrap().id;
            let mut communes: Vec<&unit::Model> =
                all.iter().filter(|u| u.parent_id == Some(id)).collect();
            communes.sort_by(|a, b| a.code.cmp(&b.code));
            codes.extend(communes.iter().take(2).map(|u| u.code.clone()));
        }
        app.block_on(db.close());
        let by_code = all.into_iter().map(|u| (u.code.clone(), u)).collect();
        Units { codes, by_code }
    }

    fn unit(&self, code: &str) -> &unit::Model {
        &self.by_code[code]
    }

    /// The chosen units in the subtree of `code`, itself included.
    fn below(&self, code: &str) -> Vec<String> {
        let root = self.unit(code).path.clone();
        self.codes
            .iter()
            .filter(|c| self.unit(c).path.starts_with(&root))
            .cloned()
            .collect()
    }

    /// The chosen units right below `code`.
    fn children(&self, code: &str) -> Vec<String> {
        let id = self.unit(code).id;
        self.codes
            .iter()
            .filter(|c| self.unit(c).parent_id == Some(id))
            .cloned()
            .collect()
    }
}

/// An official the test signs in as (their role changes what they may do, not what they
/// may see: every role is among them).
struct Official {
    username: String,
    unit: String,
    clearance: usize,
}

/// Builds the country's work through the services, as its officials would. Returns the
/// officials to test.
fn build(app: &TestApp, seed: u64, units: &Units) -> Vec<Official> {
    let mut rng = Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1);
    // Builders: a leader and an officer of every unit, cleared for everything, who make
    // the records; and a second leader to accept what the first reports.
    for code in &units.codes {
        let c = code.to_lowercase();
        add_account(app, &format!("b.{c}"), code, Role::Leader, LEVELS[4]);
        add_account(app, &format!("b2.{c}"), code, Role::Leader, LEVELS[4]);
        add_account(app, &format!("o.{c}"), code, Role::Officer, LEVELS[4]);
    }
    // National oversight for one central body, granted as an administrator would.
    let admin = signed_in(app, "admin");
    assert_eq!(
        admin
            .call("/api/admin/oversight/set", "code=VPTW&granted=true")
            .status,
        200
    );

    let db = app.db();
    let store = EvidenceStore::new(app.evidence.path());
    let reader = |name: String| app.block_on(Reader::load(&db, &name)).unwrap();
    let builder = |code: &str| reader(format!("b.{}", code.to_lowercase()));
    let deputy = |code: &str| reader(format!("b2.{}", code.to_lowercase()));
    let officer = |code: &str| reader(format!("o.{}", code.to_lowercase()));

    let owners = ["TW", "BTCTW", "01", "46"];
    let mut documents_made = Vec::new();
    let mut made = 0usize;
    for n in 0..6 {
        let owner = owners[n % owners.len()];
        let level = rng.below(4);
        let code = format!("D{seed}-{n}/TN");
        let id = app
            .block_on(documents::create(
                &db,
                &builder(owner),
                &DocumentInput {
                    code: code.clone(),
                    kind: "plan".into(),
                    title: format!("Văn bản {code} kế hoạch"),
                    issuing_body: "Cơ quan".into(),
                    issued_on: "2026-01-15".into(),
                    summary: String::new(),
                    classification: LEVELS[level].into(),
                    ..DocumentInput::default()
                },
            ))
            .unwrap();
        documents_made.push((id, owner, level));
        // Top-level tasks: led in the owner's reach (anywhere for the centre).
        let reach = if owner == "TW" {
            units.codes.clone()
        } else {
            units.below(owner)
        };
        let mut open: Vec<(i32, String, usize)> = Vec::new();
        for k in 0..2 {
            // The first document's first task is the centre's: it is always cascaded.
            let lead = if n == 0 && k == 0 {
                "TW".to_owned()
            } else {
                rng.pick(&reach).clone()
            };
            let task_level = level + rng.below(5 - level).min(2);
            let coordinators = if rng.chance(40) {
                rng.pick(&reach).clone()
            } else {
                String::new()
            };
            made += 1;
            let id = app
                .block_on(tasks::create(
                    &db,
                    &builder(owner),
                    documents_made[n].0,
                    None,
                    &task_input(seed, made, &lead, &coordinators, task_level),
                ))
                .unwrap();
            open.push((id, lead, task_level));
        }
        // Breakdowns and cascades, a few levels down.
        let mut next_round = Vec::new();
        for round in 0..2 {
            for (k, (id, lead, task_level)) in open.drain(..).enumerate() {
                let children = units.children(&lead);
                let always = n == 0 && round == 0 && k == 0;
                if !children.is_empty() && (always || rng.chance(50)) {
                    let targets: Vec<String> = children
                        .iter()
                        .filter(|_| rng.chance(70))
                        .cloned()
                        .collect();
                    if !targets.is_empty() {
                        app.block_on(tasks::cascade(
                            &db,
                            &builder(&lead),
                            id,
                            &CascadeTargets::Units(targets),
                        ))
                        .unwrap();
                        let copies: Vec<task::Model> = app
                            .block_on(task::Entity::find().all(&db.read))
                            .unwrap()
                            .into_iter()
                            .filter(|t| t.parent_id == Some(id))
                            .collect();
                        for copy in copies {
                            let code = units
                                .codes
                                .iter()
                                .find(|c| units.unit(c).id == copy.lead_unit_id)
                                .unwrap()
                                .clone();
                            next_round.push((copy.id, code, task_level));
                        }
                    }
                } else if (n == 0 && round == 0) || rng.chance(50) {
                    let reach = units.below(&lead);
                    let sub_lead = rng.pick(&reach).clone();
                    let sub_level = (task_level + rng.below(3)).min(4);
                    made += 1;
                    let sub = app
                        .block_on(tasks::create(
                            &db,
                            &builder(&lead),
                            documents_made[n].0,
                            Some(id),
                            &task_input(seed, made, &sub_lead, "", sub_level),
                        ))
                        .unwrap();
                    next_round.push((sub, sub_lead, sub_level));
                } else {
                    next_round.push((id, lead, task_level));
                }
            }
            std::mem::swap(&mut open, &mut next_round);
        }
        // Reports with evidence on what is left at the leaves, some evaluated.
        for (id, lead, _) in open {
            let has_children = app
                .block_on(task::Entity::find().all(&db.read))
                .unwrap()
                .iter()
                .any(|t| t.parent_id == Some(id));
            if has_children || !rng.chance(70) {
                continue;
            }
            made += 1;
            let done = rng.chance(40);
            let report = app
                .block_on(reports::submit(
                    &db,
                    &store,
                    &officer(&lead),
                    id,
                    ReportInput {
                        progress: if done { 100 } else { 40 },
                        text: format!("Báo cáo R{seed}-{made}"),
                        claims_completion: done,
                        submission_key: format!("model-{seed}-{made}"),
                        files: vec![Upload {
                            file_name: format!("f{seed}-{made}.pdf"),
                            bytes: format!("%PDF-1.7 f{seed}-{made}").into_bytes(),
                        }],
                    },
                ))
                .unwrap();
            if rng.chance(60) {
                let assigner = app
                    .block_on(task::Entity::find_by_id(id).one(&db.read))
                    .unwrap()
                    .unwrap()
                    .assigner_unit_id;
                let code = units
                    .codes
                    .iter()
                    .find(|c| units.unit(c).id == assigner)
                    .unwrap()
                    .clone();
                let evaluator = if code == lead {
                    deputy(&code)
                } else {
                    builder(&code)
                };
                let verdict = if rng.chance(70) {
                    Verdict::Accept
                } else {
                    Verdict::Return
                };
                app.block_on(reports::evaluate(
                    &db,
                    &evaluator,
                    report,
                    verdict,
                    "Thiếu minh chứng",
                ))
                .unwrap();
            }
        }
    }
    // Each document's indicator, assigned a level or two down, with values reported for
    // the last quarter and some accepted.
    let last_quarter = tiendo::model::period::Period::containing(
        tiendo::model::period::Cycle::Quarterly,
        tiendo::server::work::today(),
    )
    .previous()
    .code();
    for (n, (id, owner, level)) in documents_made.iter().enumerate() {
        let indicator_level = level + rng.below(5 - level).min(1);
        let root = app
            .block_on(indicators::create(
                &db,
                &builder(owner),
                *id,
                &IndicatorInput {
                    name: format!("Chỉ tiêu CT{seed}-{n}"),
                    measure: "%".into(),
                    direction: "higher".into(),
                    baseline_year: "2024".into(),
                    baseline_value: "10".into(),
                    milestones: vec![("2030-12-31".into(), "50".into())],
                    roll_up: "sum".into(),
                    classification: LEVELS[indicator_level].into(),
                    ..IndicatorInput::default()
                },
            ))
            .unwrap();
        let mut carrier = (root, (*owner).to_owned());
        for _ in 0..2 {
            let children = units.children(&carrier.1);
            if children.is_empty() || !rng.chance(75) {
                break;
            }
            let child = rng.pick(&children).clone();
            let copy = app
                .block_on(indicators::assign(
                    &db,
                    &officer(&carrier.1),
                    carrier.0,
                    &AssignInput {
                        unit: child.clone(),
                        baseline_value: "5".into(),
                        milestones: vec!["40".into()],
                    },
                ))
                .unwrap();
            app.block_on(indicators::report(
                &db,
                &store,
                &officer(&child),
                copy,
                ValueInput {
                    period: last_quarter.clone(),
                    value: "12".into(),
                    source_note: "Thống kê".into(),
                    files: vec![Upload {
                        file_name: format!("so-lieu-{copy}.txt"),
                        bytes: format!("Số liệu của chỉ tiêu {copy}").into_bytes(),
                    }],
                    ..ValueInput::default()
                },
            ))
            .unwrap();
            carrier = (copy, child);
        }
    }

    // Some documents are raised after their tasks exist: their tasks must follow.
    for (id, owner, level) in documents_made.iter().filter(|_| rng.chance(40)) {
        if *level >= 3 {
            continue;
        }
        raise(app, &db, &builder(owner), *id, LEVELS[level + 1]);
    }
    // Some tasks are cancelled (as imported data has them): the tallies leave them out,
    // a document's task count does not.
    app.execute(&format!(
        "UPDATE tasks SET status = 'cancelled' WHERE id % 7 = {}",
        seed % 7
    ));
    // And some are assigned by a central body whatever their lead (as imported data may
    // be): led outside their assigner's subtree, seen from both sides.
    app.execute(&format!(
        "UPDATE tasks SET assigner_unit_id = (SELECT id FROM units WHERE code = 'BTCTW'), \
         assigner_path = (SELECT path FROM units WHERE code = 'BTCTW') WHERE id % 5 = {}",
        seed % 5
    ));

    // And some had their deadline extended (as imported data may have them): counted
    // apart on the dashboards, like key tasks.
    app.execute(&format!(
        "UPDATE tasks SET original_due_on = '2026-01-15' WHERE id % 6 = {}",
        seed % 6
    ));

    // Feedback, assigned to units by the centre: one about a public document that is
    // classified afterwards, and a duplicate of an item another unit handles.
    let hanoi = reader("b.01".to_owned());
    let named = app
        .block_on(documents::create(
            &db,
            &hanoi,
            &DocumentInput {
                code: format!("P{seed}/TN"),
                kind: "plan".into(),
                title: format!("Kế hoạch công khai P{seed}"),
                issuing_body: "Thành ủy".into(),
                issued_on: "2026-01-15".into(),
                summary: String::new(),
                classification: "public".into(),
                ..DocumentInput::default()
            },
        ))
        .unwrap();
    let centre = signed_in(app, "tw.lanhdao");
    let mut codes = Vec::new();
    for n in 0..4 {
        let about = if n == 1 {
            format!("&attribute[document]={named}")
        } else {
            String::new()
        };
        let page = app.open311_post(&format!(
            "service_code=other&description=Y%20kien%20F{seed}-{n}{about}"
        ));
        assert_eq!(page.status, 201, "{}", page.body);
        let code = page.json()[0]["service_request_id"]
            .as_str()
            .unwrap()
            .to_owned();
        let unit = match n {
            0 => continue,
            1 => "01".to_owned(),
            3 => "46".to_owned(),
            _ => rng.pick(&units.codes).clone(),
        };
        let assigned = centre.call(
            "/api/feedback/act",
            &format!("code={code}&version=0&action=assign&unit={unit}"),
        );
        assert_eq!(assigned.status, 200, "{}", assigned.body);
        codes.push(code);
    }
    let duplicate = centre.call(
        "/api/feedback/act",
        &format!(
            "code={}&version=1&action=duplicate&of={}",
            codes[2], codes[0]
        ),
    );
    assert_eq!(duplicate.status, 200, "{}", duplicate.body);
    raise(app, &db, &hanoi, named, "confidential");
    app.block_on(db.close());

    // The officials under test: every role and every clearance, across the levels.
    // The first few are placed where the rule is easiest to get wrong: the leaders and
    // administrators of a central body without national oversight, and one with it.
    let roles = [Role::Viewer, Role::Officer, Role::Leader, Role::Admin];
    let placed = [
        ("BTCTW", Role::Leader, 4),
        ("BTCTW", Role::Admin, 3),
        ("VPTW", Role::Officer, 2),
        ("TW", Role::Viewer, 1),
        ("01", Role::Leader, 2),
    ];
    let mut officials = Vec::new();
    for n in 0..14 {
        let (unit, role, clearance) = match placed.get(n) {
            Some((unit, role, clearance)) => ((*unit).to_owned(), *role, *clearance),
            None => (
                rng.pick(&units.codes).clone(),
                roles[n % roles.len()],
                n % LEVELS.len(),
            ),
        };
        let official = Official {
            username: format!("m{seed}.{n}"),
            unit,
            clearance,
        };
        add_account(
            app,
            &official.username,
            &official.unit,
            role,
            LEVELS[clearance],
        );
        officials.push(official);
    }
    officials
}

/// Raises a document to `level` through the service, as its owner's leader would.
fn raise(app: &TestApp, db: &tiendo::server::db::Db, owner: &Reader, id: i32, level: &str) {
    let current = app
        .block_on(document::Entity::find_by_id(id).one(&db.read))
        .unwrap()
        .unwrap();
    app.block_on(documents::update(
        db,
        owner,
        id,
        current.version,
        &DocumentInput {
            code: current.code.clone(),
            kind: current.kind.clone(),
            title: current.title.clone(),
            issuing_body: current.issuing_body.clone(),
            issued_on: current.issued_on.to_string(),
            summary: current.summary.clone(),
            classification: level.into(),
            ..DocumentInput::default()
        },
    ))
    .unwrap();
}

fn task_input(seed: u64, n: usize, lead: &str, coordinators: &str, level: usize) -> TaskInput {
    TaskInput {
        title: format!("Nhiệm vụ T{seed}-{n} mẫu"),
        description: String::new(),
        expected_result: String::new(),
        lead_unit: lead.to_owned(),
        coordinators: coordinators.to_owned(),
        start_on: "2026-01-01".into(),
        due_on: if n.is_multiple_of(3) {
            "2026-03-31"
        } else {
            "2027-06-30"
        }
        .into(),
        priority: "normal".into(),
        weight: 1 + (n % 3) as i32,
        classification: LEVELS[level.min(4)].into(),
        is_key: n.is_multiple_of(4),
        due_reason: String::new(),
    }
}

/// The raw rows, as stored.
struct Rows {
    units: HashMap<i32, unit::Model>,
    documents: Vec<document::Model>,
    tasks: Vec<task::Model>,
    coordinators: Vec<task_coordinator::Model>,
    reports: Vec<report::Model>,
    attachments: Vec<attachment::Model>,
    value_files: Vec<indicator_value_file::Model>,
    events: Vec<task_event::Model>,
    feedback: Vec<feedback::Model>,
    indicators: Vec<indicator::Model>,
    values: Vec<indicator_value::Model>,
    /// Each notification with the officials it is addressed to.
    notifications: Vec<(notification::Model, Vec<String>)>,
}

impl Rows {
    fn read(app: &TestApp) -> Rows {
        let db = app.db();
        let rows = app.block_on(async {
            Rows {
                units: unit::Entity::find()
                    .all(&db.read)
                    .await
                    .unwrap()
                    .into_iter()
                    .map(|u| (u.id, u))
                    .collect(),
                documents: document::Entity::find().all(&db.read).await.unwrap(),
                tasks: task::Entity::find().all(&db.read).await.unwrap(),
                coordinators: task_coordinator::Entity::find()
                    .all(&db.read)
                    .await
                    .unwrap(),
                reports: report::Entity::find().all(&db.read).await.unwrap(),
                attachments: attachment::Entity::find().all(&db.read).await.unwrap(),
                value_files: indicator_value_file::Entity::find()
                    .all(&db.read)
                    .await
                    .unwrap(),
                events: task_event::Entity::find()
                    .order_by_asc(task_event::Column::Id)
                    .all(&db.read)
                    .await
                    .unwrap(),
                feedback: feedback::Entity::find().all(&db.read).await.unwrap(),
                indicators: indicator::Entity::find().all(&db.read).await.unwrap(),
                values: indicator_value::Entity::find().all(&db.read).await.unwrap(),
                notifications: {
                    let officials = user::Entity::find().all(&db.read).await.unwrap();
                    notification::Entity::find()
                        .all(&db.read)
                        .await
                        .unwrap()
                        .into_iter()
                        .map(|n| {
                            let to = officials
                                .iter()
                                .filter(|u| addressed(&n, u))
                                .map(|u| u.username.clone())
                                .collect();
                            (n, to)
                        })
                        .collect()
                },
            }
        });
        app.block_on(db.close());
        rows
    }
}

/// Whether a notification is addressed to the official: to them, or to an audience of
/// their unit they were in when it was written, not for their own action; and not above
/// the clearance it asks for.
fn addressed(n: &notification::Model, u: &user::Model) -> bool {
    let in_audience = match n.audience.as_deref() {
        Some("staff") => u.role == "leader" || u.role == "officer",
        Some("officers") => u.role == "officer",
        Some("leaders") => u.role == "leader",
        _ => false,
    };
    let to_unit = n.unit_id == Some(u.unit_id)
        && in_audience
        && n.except_user_id != Some(u.id)
        && n.id > u.notices_after;
    (n.user_id == Some(u.id) || to_unit) && n.clearance <= u.clearance
}

/// One entry of a task's history as compared: its kind, the copies a cascade counts, the
/// subtask a breakdown names, and the task a copy came from.
type Entry = (String, Option<i64>, Option<i64>, Option<i64>);

/// What one official may see, computed from the raw rows by the rule of DESIGN.md: a
/// record within their clearance that belongs to their subtree (led, assigned or
/// coordinated there; owned there, or holding a task they see), or any record within
/// their clearance for a unit with national oversight.
struct Oracle<'a> {
    rows: &'a Rows,
    path: String,
    unit_id: i32,
    clearance: i16,
    oversight: bool,
    tasks: HashSet<i32>,
    documents: HashSet<i32>,
    indicators: HashSet<i32>,
}

impl<'a> Oracle<'a> {
    fn new(rows: &'a Rows, unit: &unit::Model, clearance: usize) -> Oracle<'a> {
        let clearance = clearance as i16;
        let path = unit.path.clone();
        let oversight = unit.national_oversight;
        let under = |p: &str| p.starts_with(&path);
        let tasks: HashSet<i32> = rows
            .tasks
            .iter()
            .filter(|t| {
                t.classification <= clearance
                    && (oversight
                        || under(&t.lead_path)
                        || under(&t.assigner_path)
                        || rows
                            .coordinators
                            .iter()
                            .any(|c| c.task_id == t.id && under(&c.unit_path)))
            })
            .map(|t| t.id)
            .collect();
        let indicators: HashSet<i32> = rows
            .indicators
            .iter()
            .filter(|i| {
                i.classification <= clearance
                    && (oversight || under(&i.unit_path) || under(&i.assigner_path))
            })
            .map(|i| i.id)
            .collect();
        let documents = rows
            .documents
            .iter()
            .filter(|d| {
                d.classification <= clearance
                    && (oversight
                        || under(&d.owner_path)
                        || rows
                            .tasks
                            .iter()
                            .any(|t| t.document_id == d.id && tasks.contains(&t.id))
                        || rows
                            .indicators
                            .iter()
                            .any(|i| i.document_id == d.id && indicators.contains(&i.id)))
            })
            .map(|d| d.id)
            .collect();
        Oracle {
            rows,
            path,
            unit_id: unit.id,
            clearance,
            oversight,
            tasks,
            documents,
            indicators,
        }
    }

    /// A document's indicators this official sees at the top: those whose parent they
    /// do not see.
    fn topmost_indicators(&self, document: i32) -> BTreeSet<i32> {
        self.rows
            .indicators
            .iter()
            .filter(|i| i.document_id == document && self.indicators.contains(&i.id))
            .filter(|i| i.parent_id.is_none_or(|p| !self.indicators.contains(&p)))
            .map(|i| i.id)
            .collect()
    }

    fn visible_children(&self, id: i32) -> BTreeSet<i32> {
        self.rows
            .tasks
            .iter()
            .filter(|t| t.parent_id == Some(id) && self.tasks.contains(&t.id))
            .map(|t| t.id)
            .collect()
    }

    /// A task's history as this official must see it: (kind, units, subtask, origin).
    fn history(&self, id: i32) -> Vec<Entry> {
        let mut expected = Vec::new();
        for event in self.rows.events.iter().filter(|e| e.task_id == id).rev() {
            let detail: serde_json::Value = serde_json::from_str(&event.detail).unwrap();
            let subtask = detail["subtask"].as_i64();
            let origin = detail["cascaded_from"].as_i64();
            let mut units = None;
            match event.kind.as_str() {
                "broken_down" if !subtask.is_some_and(|s| self.tasks.contains(&(s as i32))) => {
                    continue;
                }
                "cascaded" => {
                    let (first, last) = (detail["first"].as_i64(), detail["last"].as_i64());
                    let (Some(first), Some(last)) = (first, last) else {
                        panic!("a cascade records its range: {detail}");
                    };
                    let seen = self
                        .visible_children(id)
                        .iter()
                        .filter(|c| (first..=last).contains(&i64::from(**c)))
                        .count() as i64;
                    if seen == 0 {
                        continue;
                    }
                    units = Some(seen);
                }
                _ => {}
            }
            let origin = origin.filter(|o| self.tasks.contains(&(*o as i32)));
            expected.push((event.kind.clone(), units, subtask, origin));
        }
        expected
    }

    fn oversees(&self, unit: &unit::Model) -> bool {
        self.oversight || unit.path.starts_with(&self.path)
    }

    /// Tasks led in the unit's subtree within clearance: what its dashboard counts.
    fn dashboard_tasks(&self, unit: &unit::Model) -> usize {
        self.rows
            .tasks
            .iter()
            .filter(|t| {
                t.lead_path.starts_with(&unit.path)
                    && t.classification <= self.clearance
                    && t.status != "cancelled"
            })
            .count()
    }

    /// The units that must report on the document this quarter in the unit's subtree,
    /// as the reader sees it: leading a task they report on themselves (no subtask the
    /// reader sees), begun by the quarter's end and not finished before it began.
    fn reporters(&self, unit: &unit::Model, document: i32) -> usize {
        use chrono::Datelike;
        let today = (chrono::Utc::now() + chrono::Duration::hours(7)).date_naive();
        let first_month = (today.month0() / 3) * 3 + 1;
        let first = chrono::NaiveDate::from_ymd_opt(today.year(), first_month, 1).unwrap();
        let last = first
            .checked_add_months(chrono::Months::new(3))
            .unwrap()
            .pred_opt()
            .unwrap();
        let seen = |t: &task::Model| t.classification <= self.clearance && t.status != "cancelled";
        self.rows
            .tasks
            .iter()
            .filter(|t| {
                t.document_id == document
                    && t.lead_path.starts_with(&unit.path)
                    && seen(t)
                    && t.start_on <= last
                    && t.completed_on.is_none_or(|done| done >= first)
                    && !self
                        .rows
                        .tasks
                        .iter()
                        .any(|c| c.parent_id == Some(t.id) && seen(c))
            })
            .map(|t| t.lead_unit_id)
            .collect::<BTreeSet<_>>()
            .len()
    }

    /// The indicators carried in the unit's subtree within the official's clearance (the
    /// dashboard counts each by its status).
    fn dashboard_indicators(&self, unit: &unit::Model) -> usize {
        self.rows
            .indicators
            .iter()
            .filter(|i| i.unit_path.starts_with(&unit.path) && i.classification <= self.clearance)
            .count()
    }

    /// The units carrying the document's indicators in the unit's subtree, within the
    /// official's clearance (all assigned this quarter, before its end).
    fn value_carriers(&self, unit: &unit::Model, document: i32) -> usize {
        self.rows
            .indicators
            .iter()
            .filter(|i| {
                i.document_id == document
                    && i.unit_path.starts_with(&unit.path)
                    && i.classification <= self.clearance
            })
            .map(|i| i.unit_id)
            .collect::<BTreeSet<_>>()
            .len()
    }

    /// The dashboard's freshness of the unit's subtree within clearance: open tasks, those
    /// reported on this quarter (they or a task below), the indicators, and the latest
    /// day (in Vietnam) a unit of the subtree sent a report or a value.
    fn dashboard_freshness(
        &self,
        unit: &unit::Model,
    ) -> (usize, usize, usize, Option<chrono::NaiveDate>) {
        use chrono::Datelike;
        let vietnam =
            |at: chrono::DateTime<chrono::Utc>| (at + chrono::Duration::hours(7)).date_naive();
        let today = vietnam(chrono::Utc::now());
        let quarter =
            chrono::NaiveDate::from_ymd_opt(today.year(), (today.month0() / 3) * 3 + 1, 1).unwrap();
        let in_subtree = |path: &str| path.starts_with(&unit.path);
        let open: Vec<&task::Model> = self
            .rows
            .tasks
            .iter()
            .filter(|t| {
                in_subtree(&t.lead_path)
                    && t.classification <= self.clearance
                    && matches!(
                        t.status.as_str(),
                        "not_started" | "in_progress" | "returned"
                    )
            })
            .collect();
        let updated = open
            .iter()
            .filter(|t| t.last_report_on.is_some_and(|on| on >= quarter))
            .count();
        let indicators: HashMap<i32, &indicator::Model> = self
            .rows
            .indicators
            .iter()
            .filter(|i| in_subtree(&i.unit_path) && i.classification <= self.clearance)
            .map(|i| (i.id, i))
            .collect();
        let tasks: HashMap<i32, &task::Model> = self.rows.tasks.iter().map(|t| (t.id, t)).collect();
        let reported = self.rows.reports.iter().filter(|r| {
            r.kind == "progress"
                && in_subtree(&self.rows.units[&r.unit_id].path)
                && tasks[&r.task_id].classification <= self.clearance
        });
        let sent = self
            .rows
            .values
            .iter()
            .filter(|v| indicators.contains_key(&v.indicator_id));
        let last = reported
            .map(|r| vietnam(r.created_at))
            .chain(sent.map(|v| vietnam(v.submitted_at)))
            .max();
        (open.len(), updated, indicators.len(), last)
    }

    /// Of those, the key tasks and the tasks whose deadline was extended.
    fn dashboard_marked(&self, unit: &unit::Model) -> (usize, usize) {
        let counted = self.rows.tasks.iter().filter(|t| {
            t.lead_path.starts_with(&unit.path)
                && t.classification <= self.clearance
                && t.status != "cancelled"
        });
        counted.fold((0, 0), |(key, extended), t| {
            (
                key + usize::from(t.is_key),
                extended + usize::from(t.original_due_on.is_some_and(|o| t.due_on > o)),
            )
        })
    }

    fn sees_item(&self, item: &feedback::Model) -> bool {
        self.oversight
            || item
                .assigned_path
                .as_deref()
                .is_some_and(|p| p.starts_with(&self.path))
    }
}

/// Everything an official was answered, kept to look for leaks and audit trails.
struct Seen {
    bodies: Vec<(String, String)>,
    /// Classified records shown: (kind, id).
    classified: BTreeSet<(&'static str, i32)>,
}

impl Seen {
    fn keep(&mut self, what: String, page: &Page) {
        self.bodies.push((what, page.body.clone()));
    }
}

/// A record's answer: itself when the official may see it, "not found" when not.
fn answered(page: &Page, visible: bool, what: String) {
    let body: String = page.body.chars().take(300).collect();
    assert_eq!(
        page.status,
        if visible { 200 } else { 404 },
        "{what}: {body}"
    );
}

fn ids(value: &serde_json::Value) -> BTreeSet<i32> {
    value
        .as_array()
        .unwrap_or(&Vec::new())
        .iter()
        .map(|row| row["id"].as_i64().unwrap() as i32)
        .collect()
}

fn check_official(app: &TestApp, rows: &Rows, units: &Units, official: &Official, pages: bool) {
    let who = &official.username;
    // As stored now: national oversight was granted after the units were first read.
    let unit = &rows.units[&units.unit(&official.unit).id];
    let oracle = Oracle::new(rows, unit, official.clearance);
    let browser = signed_in(app, who);
    let mut seen = Seen {
        bodies: Vec::new(),
        classified: BTreeSet::new(),
    };
    let confidential = 2;
    let note_rows = |seen: &mut Seen, rows_json: &serde_json::Value| {
        for row in rows_json.as_array().unwrap_or(&Vec::new()) {
            let id = row["id"].as_i64().unwrap() as i32;
            if oracle
                .rows
                .tasks
                .iter()
                .any(|t| t.id == id && t.classification >= confidential)
            {
                seen.classified.insert(("task", id));
            }
        }
    };

    // The documents list, every page.
    let mut listed = BTreeSet::new();
    for page in 1.. {
        let answer = browser.call("/api/documents", &format!("filter[page]={page}"));
        assert_eq!(answer.status, 200, "{who}");
        let json = answer.json();
        for row in json["rows"].as_array().unwrap() {
            let id = row["id"].as_i64().unwrap() as i32;
            listed.insert(id);
            let count = rows
                .tasks
                .iter()
                .filter(|t| t.document_id == id && oracle.tasks.contains(&t.id))
                .count();
            assert_eq!(
                row["task_count"], count,
                "{who}: the task count of document {id}"
            );
            // Progress over the topmost visible tasks: the top-level ones, and below the
            // centre those assigned from outside the official's subtree.
            let (weighted, weights) = rows
                .tasks
                .iter()
                .filter(|t| t.document_id == id && oracle.tasks.contains(&t.id))
                .filter(|t| {
                    t.parent_id.is_none()
                        || (!oracle.oversight && !t.assigner_path.starts_with(&oracle.path))
                })
                .fold((0i64, 0i64), |(sum, total), t| {
                    let weight = i64::from(t.weight);
                    (sum + i64::from(t.progress) * weight, total + weight)
                });
            let progress = if weights > 0 {
                (weighted + weights / 2) / weights
            } else {
                0
            };
            assert_eq!(
                row["progress"], progress,
                "{who}: the progress of document {id}"
            );
        }
        seen.keep(format!("documents page {page}"), &answer);
        if page >= json["pages"].as_u64().unwrap() as usize {
            break;
        }
    }
    let expected: BTreeSet<i32> = oracle.documents.iter().copied().collect();
    assert_eq!(listed, expected, "{who}: the documents listed");

    // Every document, seen or not.
    for doc in &rows.documents {
        let answer = browser.call("/api/document", &format!("id={}", doc.id));
        let visible = oracle.documents.contains(&doc.id);
        answered(&answer, visible, format!("{who}: document {}", doc.id));
        if visible {
            let json = answer.json();
            if doc.classification >= confidential {
                seen.classified.insert(("document", doc.id));
            }
            for row in json["tasks"].as_array().unwrap() {
                let id = row["id"].as_i64().unwrap() as i32;
                assert!(
                    oracle.tasks.contains(&id),
                    "{who}: document {} shows task {id}",
                    doc.id
                );
                assert_eq!(
                    row["child_count"],
                    oracle.visible_children(id).len(),
                    "{who}: {id}"
                );
                if let Some(parent) = row["parent_id"].as_i64() {
                    assert!(
                        oracle.tasks.contains(&(parent as i32)),
                        "{who}: parent of {id}"
                    );
                }
            }
            note_rows(&mut seen, &json["tasks"]);
        }
        seen.keep(format!("document {}", doc.id), &answer);
        if pages {
            let page = browser.get(&format!("/documents/{}", doc.id));
            answered(&page, visible, format!("{who}: /documents/{}", doc.id));
            seen.keep(format!("/documents/{}", doc.id), &page);
        }
        // Its indicators: the topmost the official sees.
        let answer = browser.call(
            "/api/documents/indicators",
            &format!("document_id={}", doc.id),
        );
        answered(&answer, visible, format!("{who}: indicators of {}", doc.id));
        if visible {
            assert_eq!(
                ids(&answer.json()["rows"]),
                oracle.topmost_indicators(doc.id),
                "{who}: the indicators of document {}",
                doc.id
            );
        }
        seen.keep(format!("indicators of {}", doc.id), &answer);
    }

    // Every indicator, seen or not, with the units below it.
    for item in &rows.indicators {
        let answer = browser.call("/api/indicator", &format!("id={}", item.id));
        let visible = oracle.indicators.contains(&item.id);
        answered(&answer, visible, format!("{who}: indicator {}", item.id));
        if visible {
            let json = answer.json();
            let below: BTreeSet<i32> = rows
                .indicators
                .iter()
                .filter(|i| i.parent_id == Some(item.id) && oracle.indicators.contains(&i.id))
                .map(|i| i.id)
                .collect();
            assert_eq!(
                ids(&json["below"]),
                below,
                "{who}: below indicator {}",
                item.id
            );
            let parent = item.parent_id.filter(|p| oracle.indicators.contains(p));
            assert_eq!(
                json["parent"].as_i64().map(|p| p as i32),
                parent,
                "{who}: the parent of indicator {}",
                item.id
            );
            if item.classification >= confidential {
                seen.classified.insert(("indicator", item.id));
            }
        }
        seen.keep(format!("indicator {}", item.id), &answer);
        if pages {
            let page = browser.get(&format!("/indicators/{}", item.id));
            answered(&page, visible, format!("{who}: /indicators/{}", item.id));
            seen.keep(format!("/indicators/{}", item.id), &page);
        }
    }

    // My work, every page of every view that lists records.
    for (view, expected) in [
        (
            "all",
            rows.tasks
                .iter()
                .filter(|t| {
                    t.lead_unit_id == oracle.unit_id
                        && t.classification <= oracle.clearance
                        && t.status != "cancelled"
                })
                .map(|t| t.id)
                .collect::<BTreeSet<i32>>(),
        ),
        (
            "evaluate",
            rows.tasks
                .iter()
                .filter(|t| {
                    t.assigner_unit_id == oracle.unit_id
                        && oracle.tasks.contains(&t.id)
                        && rows
                            .reports
                            .iter()
                            .any(|r| r.task_id == t.id && r.status == "pending")
                })
                .map(|t| t.id)
                .collect(),
        ),
    ] {
        let mut listed = BTreeSet::new();
        for page in 1.. {
            let answer = browser.call(
                "/api/my-work",
                &format!("filter[view]={view}&filter[page]={page}"),
            );
            assert_eq!(answer.status, 200, "{who}");
            let json = answer.json();
            listed.extend(ids(&json["rows"]));
            assert_eq!(json["total"], expected.len(), "{who}: my work, {view}");
            for row in json["rows"].as_array().unwrap() {
                if let Some(parent) = row["parent_id"].as_i64() {
                    assert!(
                        oracle.tasks.contains(&(parent as i32)),
                        "{who}: a parent in my work"
                    );
                }
            }
            note_rows(&mut seen, &json["rows"]);
            seen.keep(format!("my work {view} {page}"), &answer);
            if page >= json["pages"].as_u64().unwrap() as usize {
                break;
            }
        }
        assert_eq!(listed, expected, "{who}: my work, {view}");
    }

    // Dashboards of every unit.
    for code in &units.codes {
        let scope = units.unit(code);
        let answer = browser.call("/api/dashboard", &format!("code={code}"));
        let visible = oracle.oversees(scope);
        answered(&answer, visible, format!("{who}: dashboard {code}"));
        if visible {
            let json = answer.json();
            assert_eq!(
                json["figures"]["tasks"],
                oracle.dashboard_tasks(scope),
                "{who}: {code}"
            );
            let (key, extended) = oracle.dashboard_marked(scope);
            assert_eq!(json["key"]["tasks"], key, "{who}: key tasks of {code}");
            let counts = &json["indicators"];
            let counted: u64 = ["on_track", "at_risk", "off_track", "no_data"]
                .iter()
                .map(|status| counts[status].as_u64().unwrap())
                .sum();
            assert_eq!(
                counted,
                oracle.dashboard_indicators(scope) as u64,
                "{who}: indicators of {code}"
            );
            assert_eq!(
                json["figures"]["extended"], extended,
                "{who}: extended tasks of {code}"
            );
            let (open, updated, carried, last) = oracle.dashboard_freshness(scope);
            let fresh = &json["freshness"];
            assert_eq!(
                (
                    fresh["open_tasks"].as_u64(),
                    fresh["tasks_updated"].as_u64(),
                    fresh["indicators"].as_u64(),
                    fresh["last_update"].as_str().map(str::to_owned)
                ),
                (
                    Some(open as u64),
                    Some(updated as u64),
                    Some(carried as u64),
                    last.map(|d| d.to_string())
                ),
                "{who}: freshness of {code}"
            );
            for document in json["documents"].as_array().unwrap() {
                let id = document["document"]["id"].as_i64().unwrap() as i32;
                assert!(
                    oracle.documents.contains(&id),
                    "{who}: dashboard {code} names document {id}"
                );
                if rows
                    .documents
                    .iter()
                    .any(|d| d.id == id && d.classification >= confidential)
                {
                    seen.classified.insert(("document", id));
                }
            }
            for option in json["document_options"].as_array().unwrap() {
                let id = option["id"].as_i64().unwrap() as i32;
                assert!(oracle.documents.contains(&id), "{who}: an option of {code}");
            }
            for list in ["nearest", "most_overdue"] {
                for id in ids(&json[list]) {
                    assert!(
                        oracle.tasks.contains(&id),
                        "{who}: {list} of {code} shows {id}"
                    );
                }
                note_rows(&mut seen, &json[list]);
            }
        }
        seen.keep(format!("dashboard {code}"), &answer);

        // Reporting periods of every unit: the documents offered, and how many units
        // must report on the first of them this period.
        let answer = browser.call("/api/periods", &format!("filter[unit]={code}"));
        answered(&answer, visible, format!("{who}: periods {code}"));
        if visible {
            let json = answer.json();
            for option in json["documents"].as_array().unwrap() {
                let id = option["id"].as_i64().unwrap() as i32;
                assert!(
                    oracle.documents.contains(&id),
                    "{who}: periods of {code} offer {id}"
                );
            }
            if let Some(document) = json["document"]["id"].as_i64() {
                assert_eq!(
                    json["totals"]["not_due_yet"].as_u64().unwrap()
                        + json["totals"]["due"].as_u64().unwrap()
                        + json["totals"]["submitted"].as_u64().unwrap()
                        + json["totals"]["late"].as_u64().unwrap()
                        + json["totals"]["accepted"].as_u64().unwrap()
                        + json["totals"]["returned"].as_u64().unwrap()
                        + json["totals"]["missing"].as_u64().unwrap(),
                    oracle.reporters(scope, document as i32) as u64,
                    "{who}: units that must report on {document} in {code}"
                );
                let values = &json["value_totals"];
                let expected: u64 = [
                    "not_due_yet",
                    "due",
                    "submitted",
                    "late",
                    "accepted",
                    "returned",
                    "missing",
                ]
                .iter()
                .map(|state| values[state].as_u64().unwrap())
                .sum();
                assert_eq!(
                    expected,
                    oracle.value_carriers(scope, document as i32) as u64,
                    "{who}: units that must send values on {document} in {code}"
                );
            }
        }
        seen.keep(format!("periods {code}"), &answer);
        if pages && visible {
            let page = browser.get(&format!("/dashboard/{code}"));
            assert_eq!(page.status, 200, "{who}: /dashboard/{code}");
            seen.keep(format!("/dashboard/{code}"), &page);
            let page = browser.get(&format!("/periods?unit={code}"));
            assert_eq!(page.status, 200, "{who}: /periods?unit={code}");
            seen.keep(format!("/periods?unit={code}"), &page);
        }
    }

    // Every list above left a trace of the classified rows it showed, before any of them
    // was opened on its own.
    assert_audited(app, who, &seen.classified);

    // Every task: the page's data, children, parent, reports and history.
    for t in &rows.tasks {
        let answer = browser.call("/api/task", &format!("id={}", t.id));
        let visible = oracle.tasks.contains(&t.id);
        answered(&answer, visible, format!("{who}: task {}", t.id));
        if visible {
            let json = answer.json();
            if t.classification >= confidential {
                seen.classified.insert(("task", t.id));
            }
            let children = ids(&json["children"]);
            assert_eq!(
                children,
                oracle.visible_children(t.id),
                "{who}: children of {}",
                t.id
            );
            assert_eq!(
                json["row"]["child_count"],
                children.len(),
                "{who}: {}",
                t.id
            );
            note_rows(&mut seen, &json["children"]);
            let parent_seen = t.parent_id.filter(|p| oracle.tasks.contains(p));
            assert_eq!(
                json["parent"][0].as_i64().map(|p| p as i32),
                parent_seen,
                "{who}: the parent of {}",
                t.id
            );
            assert_eq!(
                json["row"]["parent_id"].as_i64().map(|p| p as i32),
                parent_seen
            );
            let shown_reports = ids(&json["reports"]);
            let all_reports: BTreeSet<i32> = rows
                .reports
                .iter()
                .filter(|r| r.task_id == t.id)
                .map(|r| r.id)
                .collect();
            assert_eq!(shown_reports, all_reports, "{who}: reports of {}", t.id);
            let history: Vec<Entry> = json["history"]
                .as_array()
                .unwrap()
                .iter()
                .map(|e| {
                    (
                        e["kind"].as_str().unwrap().to_owned(),
                        e["detail"]["units"].as_i64(),
                        e["detail"]["subtask"].as_i64(),
                        e["detail"]["cascaded_from"].as_i64(),
                    )
                })
                .collect();
            assert_eq!(
                history,
                oracle.history(t.id),
                "{who}: the history of {}",
                t.id
            );
            assert!(
                json["history"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .all(|e| e["detail"]["skipped"].is_null()),
                "{who}: no cascade tells how many copies there are in all"
            );
            assert!(
                oracle.documents.contains(&t.document_id),
                "{who}: a task's document is seen with it"
            );
        }
        seen.keep(format!("task {}", t.id), &answer);
        if pages {
            let page = browser.get(&format!("/tasks/{}", t.id));
            answered(&page, visible, format!("{who}: /tasks/{}", t.id));
            seen.keep(format!("/tasks/{}", t.id), &page);
        }
    }

    // Evidence files.
    for file in &rows.attachments {
        let report = rows
            .reports
            .iter()
            .find(|r| r.id == file.report_id)
            .unwrap();
        let visible = oracle.tasks.contains(&report.task_id);
        let answer = browser.get(&format!("/files/{}", file.id));
        answered(&answer, visible, format!("{who}: file {}", file.id));
        if !visible {
            seen.keep(format!("file {}", file.id), &answer);
        }
    }
    // And those of indicator values: the indicator must be seen.
    assert!(!rows.value_files.is_empty(), "values came with evidence");
    assert!(
        rows.notifications
            .iter()
            .any(|(n, _)| n.indicator_id.is_some()),
        "values sent told the assigning units"
    );
    for file in &rows.value_files {
        let value = rows.values.iter().find(|v| v.id == file.value_id).unwrap();
        let visible = oracle.indicators.contains(&value.indicator_id);
        let answer = browser.get(&format!("/indicators/files/{}", file.id));
        answered(&answer, visible, format!("{who}: value file {}", file.id));
        if !visible {
            seen.keep(format!("value file {}", file.id), &answer);
        }
    }

    // Feedback: the inbox, and every item.
    let inbox = browser.call("/api/feedback/inbox", "");
    assert_eq!(inbox.status, 200, "{who}");
    let expected: usize = rows.feedback.iter().filter(|i| oracle.sees_item(i)).count();
    assert_eq!(inbox.json()["total"], expected, "{who}: the feedback inbox");
    seen.keep("inbox".to_owned(), &inbox);
    for item in &rows.feedback {
        let code = format!(
            "PA-{}-{:06}",
            chrono::Datelike::year(&item.created_at),
            item.id
        );
        let answer = browser.call("/api/feedback/item", &format!("code={code}"));
        let visible = oracle.sees_item(item);
        answered(&answer, visible, format!("{who}: {code}"));
        seen.keep(code, &answer);
    }

    // Notifications: those about what they may see, and the count of the unread ones.
    let expected: BTreeSet<i64> = rows
        .notifications
        .iter()
        .filter(|(n, to)| {
            to.iter().any(|name| name == who)
                && n.task_id.is_none_or(|t| oracle.tasks.contains(&t))
                && n.indicator_id
                    .is_none_or(|i| oracle.indicators.contains(&i))
                && n.feedback_id.is_none_or(|f| {
                    rows.feedback
                        .iter()
                        .any(|i| i.id == f && oracle.sees_item(i))
                })
        })
        .map(|(n, _)| n.id)
        .collect();
    let mut shown = BTreeSet::new();
    let mut page = 1;
    loop {
        let answer = browser.call("/api/notifications", &format!("page={page}"));
        assert_eq!(answer.status, 200, "{who}: notifications");
        let list = answer.json();
        assert_eq!(
            list["unread"],
            expected.len().min(100),
            "{who}: the unread count"
        );
        for item in list["items"].as_array().unwrap() {
            shown.insert(item["id"].as_i64().unwrap());
        }
        seen.keep(format!("notifications page {page}"), &answer);
        if page >= list["pages"].as_u64().unwrap() {
            break;
        }
        page += 1;
    }
    assert_eq!(shown, expected, "{who}: notifications");
    if pages {
        let html = browser.get("/notifications");
        seen.keep("/notifications".to_owned(), &html);
    }

    // Nothing of what they may not see appears anywhere they were answered. A cascaded
    // copy carries its parent's title: a title seen on a visible task is no secret.
    let seen_titles: HashSet<&str> = rows
        .tasks
        .iter()
        .filter(|t| oracle.tasks.contains(&t.id))
        .map(|t| t.title.as_str())
        .collect();
    let mut secrets: Vec<String> = rows
        .tasks
        .iter()
        .filter(|t| !oracle.tasks.contains(&t.id) && !seen_titles.contains(t.title.as_str()))
        .map(|t| t.title.clone())
        .collect();
    secrets.extend(
        rows.documents
            .iter()
            .filter(|d| !oracle.documents.contains(&d.id))
            .flat_map(|d| [d.code.clone(), d.title.clone()]),
    );
    // An indicator's copies carry its name: a name seen on a visible one is no secret.
    let seen_names: HashSet<&str> = rows
        .indicators
        .iter()
        .filter(|i| oracle.indicators.contains(&i.id))
        .map(|i| i.name.as_str())
        .collect();
    secrets.extend(
        rows.indicators
            .iter()
            .filter(|i| !oracle.indicators.contains(&i.id) && !seen_names.contains(i.name.as_str()))
            .map(|i| i.name.clone()),
    );
    secrets.extend(
        rows.feedback
            .iter()
            .filter(|item| !oracle.sees_item(item))
            .map(|item| {
                format!(
                    "PA-{}-{:06}",
                    chrono::Datelike::year(&item.created_at),
                    item.id
                )
            }),
    );
    secrets.extend(
        rows.attachments
            .iter()
            .filter(|f| {
                let report = rows.reports.iter().find(|r| r.id == f.report_id).unwrap();
                !oracle.tasks.contains(&report.task_id)
            })
            .map(|f| f.file_name.clone()),
    );
    for (what, body) in &seen.bodies {
        for secret in &secrets {
            assert!(
                !body.contains(secret.as_str()),
                "{who}: {what} tells of `{secret}`"
            );
        }
    }

    // And every classified record they were shown left a trace under their name.
    assert_audited(app, who, &seen.classified);
}

/// Runs the reminder sweep, then tells each official tested of every task and feedback
/// item there is, as if each had concerned them: what they are shown of it is the rule's.
fn notify_everyone_of_everything(app: &TestApp, officials: &[Official]) {
    use tiendo::server::supervision::{Ladder, Sweeper, sweep};
    let db = app.db();
    let sweeper = Sweeper::new(
        Ladder::default(),
        "oracle",
        std::time::Duration::from_secs(60),
    );
    app.block_on(sweep(&db, &sweeper, chrono::Utc::now()))
        .unwrap();
    app.block_on(db.close());
    let names = officials
        .iter()
        .map(|o| format!("'{}'", o.username))
        .collect::<Vec<_>>()
        .join(", ");
    app.execute(&format!(
        "INSERT INTO notifications (user_id, kind, task_id, created_at) \
         SELECT u.id, 'task_assigned', t.id, CURRENT_TIMESTAMP FROM users u, tasks t WHERE u.username IN ({names})"
    ));
    app.execute(&format!(
        "INSERT INTO notifications (user_id, kind, feedback_id, created_at) \
         SELECT u.id, 'feedback_assigned', f.id, CURRENT_TIMESTAMP FROM users u, feedback f WHERE u.username IN ({names})"
    ));
}

/// Every classified record in `shown` left a `classified_read` under the official's name.
fn assert_audited(app: &TestApp, who: &str, shown: &BTreeSet<(&'static str, i32)>) {
    let db = app.db();
    let audited: HashSet<(String, String)> = app
        .block_on(db.read.query_all_raw(Statement::from_sql_and_values(
            db.backend(),
            "SELECT object_type, object_id FROM audit_events \
             WHERE action = 'classified_read' AND actor_name = $1",
            [who.to_owned().into()],
        )))
        .unwrap()
        .iter()
        .map(|row| {
            (
                row.try_get_by_index::<String>(0).unwrap(),
                row.try_get_by_index::<String>(1).unwrap(),
            )
        })
        .collect();
    app.block_on(db.close());
    for (kind, id) in shown {
        assert!(
            audited.contains(&((*kind).to_owned(), id.to_string())),
            "{who}: reading {kind} {id} (Mật or above) left no trace"
        );
    }
}

fn run(backend: Backend, seed: u64) {
    let Some(app) = TestApp::spawn(backend) else {
        return;
    };
    let units = Units::load(&app);
    let officials = build(&app, seed, &units);
    notify_everyone_of_everything(&app, &officials);
    let rows = Rows::read(&app);
    // The generated country is rich enough to mean something.
    assert!(rows.tasks.len() >= 20, "{} tasks", rows.tasks.len());
    assert!(rows.tasks.iter().any(|t| t.classification >= 2));
    assert!(rows.attachments.len() >= 2);
    assert!(rows.events.iter().any(|e| e.kind == "cascaded"));
    assert!(rows.events.iter().any(|e| e.kind == "broken_down"));
    // Every task is at least as secret as its document.
    for t in &rows.tasks {
        let document = rows
            .documents
            .iter()
            .find(|d| d.id == t.document_id)
            .unwrap();
        assert!(
            t.classification >= document.classification,
            "task {} below its document",
            t.id
        );
    }
    eprintln!(
        "seed {seed}: {} documents, {} tasks, {} coordinators, {} reports, {} files, {} events, {} feedback, {} officials",
        rows.documents.len(),
        rows.tasks.len(),
        rows.coordinators.len(),
        rows.reports.len(),
        rows.attachments.len(),
        rows.events.len(),
        rows.feedback.len(),
        officials.len()
    );
    for (n, official) in officials.iter().enumerate() {
        // The pages themselves (HTML and hydration data) for every other official.
        check_official(&app, &rows, &units, official, n % 2 == 0);
    }
}

#[test]
fn what_each_official_sees_is_what_the_rule_allows_sqlite_seed_1() {
    run(Backend::Sqlite, 1);
}

#[test]
fn what_each_official_sees_is_what_the_rule_allows_sqlite_seed_2() {
    run(Backend::Sqlite, 2);
}

#[test]
fn what_each_official_sees_is_what_the_rule_allows_postgres() {
    run(Backend::Postgres, 3);
}
