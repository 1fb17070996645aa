//! Versions of the strategic agenda (issue 16). The active version is the live `main_lines` and
//! `themes`; a concept keeps its content as JSON; activating one moves every project's themes by
//! a mapping in one transaction (see [`Store::activate_agenda`]).

use crate::editor::Editor;
use crate::{BeginWrite, Result, Store, StoreError, corrupt, now, on_pool, retrying};
use crate::{Boxed, boxed};
use std::collections::{BTreeMap, HashMap};
use stip_core::agenda_version::{
    Content, MainLineContent, Mapping, Remapped, Review, Status, ThemeContent, remap,
};
use stip_core::portfolio::{FieldChange, HistoryValue};
use stip_core::{ErrorCode, Invalid};

/// A version of the agenda.
#[derive(Debug, Clone, PartialEq)]
pub struct Agenda {
    pub id: i64,
    pub name: String,
    pub status: Status,
    /// Its main lines and themes: the live ones for the active version.
    pub content: Content,
    /// A concept: the active version's content as it copied it, to tell what changed there
    /// since (and would be lost on activation).
    pub base: Option<Content>,
    /// The mapping it was activated with (old code → new codes).
    pub mapping: BTreeMap<String, Vec<String>>,
    pub created_at: String,
    pub activated_at: Option<String>,
    pub superseded_at: Option<String>,
}

/// What an activation did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Activation {
    /// Projects whose themes changed.
    pub moved: i64,
    /// Projects flagged for review.
    pub flagged: i64,
    /// Every project (each has a history entry naming the new agenda).
    pub projects: i64,
}

/// A project flagged by an activation: its themes before, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Flagged {
    pub agenda_id: i64,
    pub project_id: i64,
    pub reason: Review,
    pub old_themes: Vec<String>,
}

crate::row! {
    struct AgendaRow {
        id: i64,
        name: String,
        status: String,
        content: Option<String>,
        base: Option<String>,
        mapping: Option<String>,
        created_at: String,
        activated_at: Option<String>,
        superseded_at: Option<String>,
    }
}

crate::row! {
    /// A live theme as the activation reads it.
    struct LiveTheme {
        id: i64,
        code: String,
        name: String,
        description: String,
        colour: String,
        main_line_id: Option<i64>,
        position: i64,
    }
}

/// A project on its way to the new agenda.
struct Move {
    id: i64,
    version: i64,
    visibility: String,
    old: Vec<String>,
    new: Vec<String>,
}

/// The themes `asked` (the primary first) of a project written against the themes of the agenda
/// before the active one, as the activation that made the active one carries them over: by its
/// `mapping` (see [`remap`]), with the reason to look at the project again, if any. A project
/// whose input was checked a moment before an activation committed thus ends up mapped like
/// the projects the activation moved. A code that is not a live theme and that the mapping does
/// not name is unknown, as it would be a second later.
pub(crate) fn carry_over(
    asked: &[String],
    mapping: Option<&str>,
    live: &HashMap<String, i64>,
) -> Result<(Vec<String>, Option<Review>)> {
    let mapping: BTreeMap<String, Vec<String>> = match mapping {
        Some(m) => serde_json::from_str(m).map_err(|_| corrupt("agenda mapping", m))?,
        None => BTreeMap::new(),
    };
    let mut unknown = Invalid::default();
    for (i, code) in asked.iter().enumerate() {
        if !live.contains_key(code) && !mapping.contains_key(code) {
            unknown.push(
                if i == 0 { "primary_theme" } else { "themes" },
                ErrorCode::Unknown,
            );
        }
    }
    if !unknown.is_empty() {
        return Err(StoreError::Invalid(unknown));
    }
    let new = Content {
        main_lines: Vec::new(),
        themes: live
            .keys()
            .map(|code| ThemeContent {
                code: code.clone(),
                name: String::new(),
                description: String::new(),
                colour: String::new(),
                main_line: None,
                position: 0,
            })
            .collect(),
    };
    let mapping = Mapping(
        mapping
            .into_iter()
            .map(|(from, to)| {
                (
                    from,
                    to.into_iter().filter(|t| live.contains_key(t)).collect(),
                )
            })
            .collect(),
    );
    match remap(asked, &mapping, &new) {
        Remapped::Themes(themes, review) => Ok((themes, review)),
        Remapped::Orphaned => Err(StoreError::Invalid(Invalid::one(
            "primary_theme",
            ErrorCode::Unknown,
        ))),
    }
}

const COLUMNS: &str =
    "id, name, status, content, base, mapping, created_at, activated_at, superseded_at";

/// Rows per statement when writing many.
const BATCH: usize = 500;

impl Store {
    /// The active version's main lines and themes as they are now.
    #[inline(never)]
    pub fn agenda_content<'a>(&'a self) -> Boxed<'a, Result<Content>> {
        boxed(async move { self.live_content().await })
    }

    /// The live main lines and themes: the active version's content.
    async fn live_content(&self) -> Result<Content> {
        let lines = self.main_lines().await?;
        let themes = self.themes().await?;
        Ok(Content {
            main_lines: lines
                .into_iter()
                .map(|l| MainLineContent {
                    code: l.code,
                    name: l.name,
                    position: l.position,
                })
                .collect(),
            themes: themes.iter().map(|t| ThemeContent::from(&t.data)).collect(),
        })
    }

    async fn agenda_of(&self, r: AgendaRow) -> Result<Agenda> {
        let status = Status::parse(&r.status).ok_or_else(|| corrupt("agenda status", &r.status))?;
        let content = match (&r.content, status) {
            (_, Status::Active) => self.live_content().await?,
            (Some(c), _) => serde_json::from_str(c).map_err(|_| corrupt("agenda content", c))?,
            (None, _) => Content::default(),
        };
        let base = match &r.base {
            Some(b) => Some(serde_json::from_str(b).map_err(|_| corrupt("agenda base", b))?),
            None => None,
        };
        let mapping = match &r.mapping {
            Some(m) => serde_json::from_str(m).map_err(|_| corrupt("agenda mapping", m))?,
            None => BTreeMap::new(),
        };
        Ok(Agenda {
            id: r.id,
            name: r.name,
            status,
            content,
            base,
            mapping,
            created_at: r.created_at,
            activated_at: r.activated_at,
            superseded_at: r.superseded_at,
        })
    }

    /// Every version: the active one first, then concepts, then previous ones newest first.
    #[inline(never)]
    pub fn agendas<'a>(&'a self) -> Boxed<'a, Result<Vec<Agenda>>> {
        boxed(async move {
            let rows: Vec<AgendaRow> = on_pool!(self, read, |pool| {
                sqlx::query_as(&format!(
                "SELECT {COLUMNS} FROM agendas ORDER BY CASE status WHEN 'actief' THEN 0 WHEN 'concept' THEN 1 ELSE 2 END, id DESC"
            ))
            .fetch_all(pool)
            .await?
            });
            let mut out = Vec::with_capacity(rows.len());
            for r in rows {
                out.push(self.agenda_of(r).await?);
            }
            Ok(out)
        })
    }

    #[inline(never)]
    pub fn agenda<'a>(&'a self, id: i64) -> Boxed<'a, Result<Agenda>> {
        boxed(async move {
            let row: Option<AgendaRow> = on_pool!(self, read, |pool| {
                sqlx::query_as(&format!("SELECT {COLUMNS} FROM agendas WHERE id = $1"))
                    .bind(id)
                    .fetch_optional(pool)
                    .await?
            });
            self.agenda_of(row.ok_or(StoreError::NotFound)?).await
        })
    }

    /// The name of the active version once the network activated one; `None` while it works
    /// with the agenda Stip started with (whose title the pages give in the reader's language).
    #[inline(never)]
    pub fn active_agenda_name<'a>(&'a self) -> Boxed<'a, Result<Option<String>>> {
        boxed(async move {
            let name: Option<String> = on_pool!(self, read, |pool| {
                sqlx::query_scalar(
                    "SELECT name FROM agendas WHERE status = 'actief' \
                     AND EXISTS (SELECT 1 FROM agendas WHERE status = 'vorig')",
                )
                .fetch_optional(pool)
                .await?
            });
            Ok(name)
        })
    }

    /// A new concept version named `name`, copying the active version's main lines and themes.
    #[inline(never)]
    pub fn create_agenda<'a>(&'a self, name: &'a str) -> Boxed<'a, Result<i64>> {
        boxed(async move {
            let content = serde_json::to_string(&self.live_content().await?).expect("content");
            Ok(on_pool!(self, write, |pool| {
                sqlx::query_scalar(
                "INSERT INTO agendas (name, status, content, base, created_at) VALUES ($1, 'concept', $2, $2, $3) RETURNING id",
            )
            .bind(name)
            .bind(&content)
            .bind(now())
            .fetch_one(pool)
            .await?
            }))
        })
    }

    /// Saves a concept's name and content; `Ok(false)` when it is no concept (any more).
    #[inline(never)]
    pub fn save_agenda<'a>(
        &'a self,
        id: i64,
        name: &'a str,
        content: &'a Content,
    ) -> Boxed<'a, Result<bool>> {
        boxed(async move {
            let json = serde_json::to_string(content).expect("content");
            let n = on_pool!(self, write, |pool| {
                sqlx::query(
                "UPDATE agendas SET name = $1, content = $2, version = version + 1 WHERE id = $3 AND status = 'concept'",
            )
            .bind(name)
            .bind(&json)
            .bind(id)
            .execute(pool)
            .await?
            .rows_affected()
            });
            Ok(n == 1)
        })
    }

    /// Deletes a concept; `Ok(false)` when it is no concept.
    #[inline(never)]
    pub fn delete_agenda<'a>(&'a self, id: i64) -> Boxed<'a, Result<bool>> {
        boxed(async move {
            let n = on_pool!(self, write, |pool| {
                sqlx::query("DELETE FROM agendas WHERE id = $1 AND status = 'concept'")
                    .bind(id)
                    .execute(pool)
                    .await?
                    .rows_affected()
            });
            Ok(n == 1)
        })
    }

    /// Which themes each project had under previous version `agenda` (the primary first).
    #[inline(never)]
    pub fn agenda_project_themes<'a>(
        &'a self,
        agenda: i64,
    ) -> Boxed<'a, Result<HashMap<i64, Vec<String>>>> {
        boxed(async move {
            let rows: Vec<(i64, String)> = on_pool!(self, read, |pool| {
                sqlx::query_as(
                    "SELECT project_id, themes FROM agenda_project_themes WHERE agenda_id = $1",
                )
                .bind(agenda)
                .fetch_all(pool)
                .await?
            });
            rows.into_iter()
                .map(|(id, t)| {
                    Ok((
                        id,
                        serde_json::from_str(&t).map_err(|_| corrupt("themes", &t))?,
                    ))
                })
                .collect()
        })
    }

    /// The projects an activation flagged and nobody has looked at since, of `agenda` or all.
    #[inline(never)]
    pub fn open_reviews<'a>(&'a self, agenda: Option<i64>) -> Boxed<'a, Result<Vec<Flagged>>> {
        boxed(async move {
            let rows: Vec<(i64, i64, String, String)> = on_pool!(self, read, |pool| {
                sqlx::query_as(
                    "SELECT agenda_id, project_id, reason, old_themes FROM agenda_reviews
                 WHERE resolved_at IS NULL AND ($1 IS NULL OR agenda_id = $1) ORDER BY project_id",
                )
                .bind(agenda)
                .fetch_all(pool)
                .await?
            });
            rows.into_iter()
                .map(|(agenda_id, project_id, reason, old)| {
                    Ok(Flagged {
                        agenda_id,
                        project_id,
                        reason: Review::parse(&reason).ok_or_else(|| corrupt("review", &reason))?,
                        old_themes: serde_json::from_str(&old)
                            .map_err(|_| corrupt("themes", &old))?,
                    })
                })
                .collect()
        })
    }

    /// The open review of one project, if any.
    #[inline(never)]
    pub fn open_review<'a>(&'a self, project: i64) -> Boxed<'a, Result<Option<Flagged>>> {
        boxed(async move {
            let rows: Vec<(i64, String, String)> = on_pool!(self, read, |pool| {
                sqlx::query_as(
                    "SELECT agenda_id, reason, old_themes FROM agenda_reviews
                 WHERE resolved_at IS NULL AND project_id = $1 ORDER BY agenda_id DESC",
                )
                .bind(project)
                .fetch_all(pool)
                .await?
            });
            rows.into_iter()
                .next()
                .map(|(agenda_id, reason, old)| {
                    Ok(Flagged {
                        agenda_id,
                        project_id: project,
                        reason: Review::parse(&reason).ok_or_else(|| corrupt("review", &reason))?,
                        old_themes: serde_json::from_str(&old)
                            .map_err(|_| corrupt("themes", &old))?,
                    })
                })
                .transpose()
        })
    }

    /// Marks a project's review as done.
    #[inline(never)]
    pub fn resolve_review<'a>(&'a self, project: i64) -> Boxed<'a, Result<()>> {
        boxed(async move {
            on_pool!(self, write, |pool| {
                sqlx::query(
                "UPDATE agenda_reviews SET resolved_at = $1 WHERE project_id = $2 AND resolved_at IS NULL",
            )
            .bind(now())
            .bind(project)
            .execute(pool)
            .await?
            .rows_affected()
            });
            Ok(())
        })
    }

    /// Activates concept `id` with `sent` (old theme code → new codes), all in one transaction:
    /// the active version becomes previous (keeping its content and every project's themes), the
    /// live main lines and themes become the concept's, every project's themes move by the
    /// mapping (see [`remap`]) with a history entry naming both agendas, and projects whose
    /// primary theme could not be kept are flagged. `Ok(None)` when `id` is no concept; a
    /// mapping that names unknown themes or leaves a project without any theme is refused
    /// (`StoreError::Invalid`) and nothing is written.
    #[inline(never)]
    pub fn activate_agenda<'a>(
        &'a self,
        id: i64,
        sent: &'a BTreeMap<String, Vec<String>>,
        editor: &'a Editor,
    ) -> Boxed<'a, Result<Option<Activation>>> {
        boxed(async move {
            if self.agenda(id).await?.status != Status::Concept {
                return Ok(None);
            }
            // No project write of this process falls between the activation and the reload of the
            // read model; another process's save of a project after this one is a conflict there
            // (its version moved on) and merges with the new themes.
            let _alone = self.read_model_gate.write().await;
            let at = now();
            let mapping_json = serde_json::to_string(sent).expect("mapping");
            let outcome = on_pool!(self, write, |pool| retrying!(async {
                let mut tx = pool.begin_agenda_change().await?;
                // Claims the concept first, and takes its name and content as the claim leaves
                // them: an edit saved before the claim is in what is activated, and one saved after
                // finds no concept (a second activation of it waits here, then finds it taken).
                let claimed: Option<(String, Option<String>)> = sqlx::query_as(
                "UPDATE agendas SET status = 'vorig', version = version + 1 WHERE id = $1 AND status = 'concept'
                 RETURNING name, content",
            )
            .bind(id)
            .fetch_optional(&mut *tx)
            .await?;
                let Some((concept_name, content)) = claimed else {
                    return Ok::<_, StoreError>(None);
                };
                let concept_content: Content = match &content {
                    Some(c) => serde_json::from_str(c).map_err(|_| corrupt("agenda content", c))?,
                    None => Content::default(),
                };
                let (active_id, active_name): (i64, String) =
                    sqlx::query_as("SELECT id, name FROM agendas WHERE status = 'actief'")
                        .fetch_one(&mut *tx)
                        .await?;
                // The outgoing content, read in the transaction.
                let lines: Vec<(i64, String, String, i64)> = sqlx::query_as(
                    "SELECT id, code, name, position FROM main_lines ORDER BY position, id",
                )
                .fetch_all(&mut *tx)
                .await?;
                let themes: Vec<LiveTheme> = sqlx::query_as(
                "SELECT id, code, name, description, colour, main_line_id, position FROM themes ORDER BY position, id",
            )
            .fetch_all(&mut *tx)
            .await?;
                let line_code: HashMap<i64, String> =
                    lines.iter().map(|l| (l.0, l.1.clone())).collect();
                let old = Content {
                    main_lines: lines
                        .iter()
                        .map(|(_, code, name, position)| MainLineContent {
                            code: code.clone(),
                            name: name.clone(),
                            position: *position,
                        })
                        .collect(),
                    themes: themes
                        .iter()
                        .map(|t| ThemeContent {
                            code: t.code.clone(),
                            name: t.name.clone(),
                            description: t.description.clone(),
                            colour: t.colour.clone(),
                            main_line: t.main_line_id.and_then(|l| line_code.get(&l).cloned()),
                            position: t.position,
                        })
                        .collect(),
                };
                let new = &concept_content;
                let mapping = Mapping::check(sent, &old, new).map_err(StoreError::Invalid)?;
                // Every project's themes, the primary first.
                let rows: Vec<(i64, i64, String, String)> = sqlx::query_as(
                    "SELECT p.id, p.version, p.visibility, t.code FROM projects p
                 JOIN project_themes pt ON pt.project_id = p.id JOIN themes t ON t.id = pt.theme_id
                 ORDER BY p.id, pt.position",
                )
                .fetch_all(&mut *tx)
                .await?;
                let mut projects: Vec<(i64, i64, String, Vec<String>)> = Vec::new();
                for (pid, version, visibility, code) in rows {
                    match projects.last_mut() {
                        Some(last) if last.0 == pid => last.3.push(code),
                        _ => projects.push((pid, version, visibility, vec![code])),
                    }
                }
                let mut moved: Vec<Move> = Vec::new();
                let mut flagged: Vec<(i64, Review, Vec<String>)> = Vec::new();
                let mut orphans: BTreeMap<String, i64> = BTreeMap::new();
                for (pid, version, visibility, old_themes) in &projects {
                    match remap(old_themes, &mapping, new) {
                        Remapped::Orphaned => {
                            *orphans.entry(old_themes[0].clone()).or_default() += 1;
                        }
                        Remapped::Themes(themes, review) => {
                            if let Some(r) = review {
                                flagged.push((*pid, r, old_themes.clone()));
                            }
                            moved.push(Move {
                                id: *pid,
                                version: *version,
                                visibility: visibility.clone(),
                                old: old_themes.clone(),
                                new: themes,
                            });
                        }
                    }
                }
                if !orphans.is_empty() {
                    let mut e = Invalid::default();
                    for (code, n) in orphans {
                        e.push(
                            &format!("mapping.{code}"),
                            ErrorCode::LeavesProjectsWithoutTheme { projects: n },
                        );
                    }
                    return Err(StoreError::Invalid(e));
                }
                // The outgoing version keeps its content and how every project was mapped to it.
                sqlx::query(
                "UPDATE agendas SET status = 'vorig', content = $1, superseded_at = $2, version = version + 1 WHERE id = $3",
            )
            .bind(serde_json::to_string(&old).expect("content"))
            .bind(&at)
            .bind(active_id)
            .execute(&mut *tx)
            .await?;
                for chunk in projects.chunks(BATCH) {
                    let mut qb = sqlx::QueryBuilder::new(
                        "INSERT INTO agenda_project_themes (agenda_id, project_id, themes) ",
                    );
                    qb.push_values(chunk, |mut b, (pid, _, _, themes)| {
                        b.push_bind(active_id)
                            .push_bind(*pid)
                            .push_bind(serde_json::to_string(themes).expect("codes"));
                    });
                    qb.build().execute(&mut *tx).await?;
                }
                sqlx::query(
                "UPDATE agendas SET status = 'actief', mapping = $1, activated_at = $2 WHERE id = $3",
            )
            .bind(&mapping_json)
            .bind(&at)
            .bind(id)
            .execute(&mut *tx)
            .await?;
                // The live lists become the new version's: rows with a code that stays keep their
                // id (and so their projects), new codes are added, the rest go once no project
                // refers to them.
                for l in &new.main_lines {
                    sqlx::query(
                    "INSERT INTO main_lines (code, name, position) VALUES ($1, $2, $3)
                     ON CONFLICT (code) DO UPDATE SET name = excluded.name, position = excluded.position, version = main_lines.version + 1",
                )
                .bind(&l.code)
                .bind(&l.name)
                .bind(l.position)
                .execute(&mut *tx)
                .await?;
                }
                for t in &new.themes {
                    sqlx::query(
                    "INSERT INTO themes (code, name, description, colour, main_line_id, position)
                     VALUES ($1, $2, $3, $4, (SELECT id FROM main_lines WHERE code = $5), $6)
                     ON CONFLICT (code) DO UPDATE SET name = excluded.name, description = excluded.description,
                       colour = excluded.colour, main_line_id = excluded.main_line_id, position = excluded.position,
                       version = themes.version + 1",
                )
                .bind(&t.code)
                .bind(&t.name)
                .bind(&t.description)
                .bind(&t.colour)
                .bind(&t.main_line)
                .bind(t.position)
                .execute(&mut *tx)
                .await?;
                }
                let theme_ids: HashMap<String, i64> =
                    sqlx::query_as::<_, (String, i64)>("SELECT code, id FROM themes")
                        .fetch_all(&mut *tx)
                        .await?
                        .into_iter()
                        .collect();
                let changed: Vec<&Move> = moved.iter().filter(|m| m.old != m.new).collect();
                for chunk in changed.chunks(BATCH) {
                    let mut qb =
                        sqlx::QueryBuilder::new("DELETE FROM project_themes WHERE project_id IN (");
                    let mut ids = qb.separated(", ");
                    for m in chunk {
                        ids.push_bind(m.id);
                    }
                    qb.push(")");
                    qb.build().execute(&mut *tx).await?;
                    let mut qb = sqlx::QueryBuilder::new(
                        "INSERT INTO project_themes (project_id, theme_id, position) ",
                    );
                    let links: Vec<(i64, i64, i64)> = chunk
                        .iter()
                        .flat_map(|m| {
                            m.new
                                .iter()
                                .enumerate()
                                .map(|(pos, code)| (m.id, theme_ids[code], pos as i64))
                        })
                        .collect();
                    qb.push_values(links, |mut b, (p, t, pos)| {
                        b.push_bind(p).push_bind(t).push_bind(pos);
                    });
                    qb.build().execute(&mut *tx).await?;
                }
                // Every project moves to the new agenda: a new version with its history entry.
                for chunk in moved.chunks(BATCH) {
                    let mut qb = sqlx::QueryBuilder::new(
                        "UPDATE projects SET version = projects.version + 1, updated_at = ",
                    );
                    qb.push_bind(at.clone());
                    // SQLite names a VALUES list's columns column1, column2 and takes no column
                    // aliases after AS; PostgreSQL does the same.
                    qb.push(", primary_theme_id = v.theme FROM (SELECT column1 AS id, column2 AS theme FROM (");
                    qb.push_values(chunk, |mut b, m| {
                        b.push_bind(m.id).push_bind(theme_ids[&m.new[0]]);
                    });
                    qb.push(") AS vals) AS v WHERE projects.id = v.id");
                    qb.build().execute(&mut *tx).await?;
                    let mut qb = sqlx::QueryBuilder::new(
                        "INSERT INTO project_history (project_id, version, changed_at, user_id, user_name, visibility, changes) ",
                    );
                    qb.push_values(chunk, |mut b, m| {
                        let mut changes = vec![FieldChange {
                            field: "agenda".into(),
                            old: HistoryValue::Text(active_name.clone()),
                            new: HistoryValue::Text(concept_name.clone()),
                        }];
                        if m.old != m.new {
                            changes.push(FieldChange {
                                field: "themes".into(),
                                old: HistoryValue::List(m.old.clone()),
                                new: HistoryValue::List(m.new.clone()),
                            });
                        }
                        b.push_bind(m.id)
                            .push_bind(m.version + 1)
                            .push_bind(at.clone())
                            .push_bind(editor.user_id)
                            .push_bind(editor.name.clone())
                            .push_bind(m.visibility.clone())
                            .push_bind(serde_json::to_string(&changes).expect("changes"));
                    });
                    qb.build().execute(&mut *tx).await?;
                }
                for chunk in flagged.chunks(BATCH) {
                    let mut qb = sqlx::QueryBuilder::new(
                        "INSERT INTO agenda_reviews (agenda_id, project_id, reason, old_themes) ",
                    );
                    qb.push_values(chunk, |mut b, (pid, reason, old_themes)| {
                        b.push_bind(id)
                            .push_bind(*pid)
                            .push_bind(reason.code())
                            .push_bind(serde_json::to_string(old_themes).expect("codes"));
                    });
                    qb.build().execute(&mut *tx).await?;
                }
                let keep: Vec<&str> = new.themes.iter().map(|t| t.code.as_str()).collect();
                for t in &themes {
                    if !keep.contains(&t.code.as_str()) {
                        sqlx::query("DELETE FROM themes WHERE id = $1")
                            .bind(t.id)
                            .execute(&mut *tx)
                            .await?;
                    }
                }
                for (lid, code, ..) in &lines {
                    if !new.main_lines.iter().any(|l| &l.code == code) {
                        sqlx::query("DELETE FROM main_lines WHERE id = $1")
                            .bind(lid)
                            .execute(&mut *tx)
                            .await?;
                    }
                }
                tx.commit().await?;
                Ok(Some(Activation {
                    moved: changed.len() as i64,
                    flagged: flagged.len() as i64,
                    projects: moved.len() as i64,
                }))
            }))?;
            if outcome.is_some() {
                self.references
                    .fetch_add(1, std::sync::atomic::Ordering::AcqRel);
                if let Some(index) = self.loaded_index() {
                    index.reload(self.fetch_all_projects().await?);
                }
            }
            Ok(outcome)
        })
    }
}
