//! Portfolio pages: the list, a project's page with its history, and the project form.

use crate::auth::Viewer;
use crate::http::extract::Form;
use crate::http::extract::{Id, Listing};
use crate::linked::visible_or_not_found;
use crate::lists::Lists;
use crate::ui::form::Errors;
use crate::ui::layout::{Chrome, render};
use crate::ui::markdown::markdown;
use crate::ui::project_list::{Choices, Filters, ProjectTable, table_for};
use crate::ui::value::change_value;
use crate::{AppState, Error};
use askama::Template;
use axum::Router;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use serde::Deserialize;
use std::collections::BTreeMap;
use std::sync::Arc;
use stip_core::Version;
use stip_core::access::{Action, visible_history};
use stip_core::institution::BrinCode;
use stip_core::merge::copy_field;
use stip_core::mora::MoraArea;
use stip_core::number::Hundredths;
use stip_core::portfolio::*;
use stip_core::{ErrorCode, Invalid};
use stip_store::portfolio::{Edit, Edited};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/projecten", get(list).post(create))
        .route("/projecten/nieuw", get(new_form))
        .route("/projecten/{id}", get(show).post(update))
        .route("/projecten/{id}/bewerken", get(edit_form))
        .route("/projecten/{id}/verwijderen", get(delete_page).post(delete))
}

#[derive(Template)]
#[template(path = "portfolio/list.html")]
struct ListPage {
    c: Chrome,
    table: ProjectTable,
    lists: Arc<Lists>,
    f: Filters,
    can_create: bool,
}

fn can_create(viewer: &Viewer) -> bool {
    match viewer.actor.institution_id() {
        _ if viewer.may(Action::ManageInstitutions) => true,
        Some(inst) => viewer.may(Action::CreateProject {
            institution_id: inst,
        }),
        None => false,
    }
}

async fn list(
    State(state): State<AppState>,
    viewer: Viewer,
    Listing(query): Listing,
) -> Result<Response, Error> {
    let lists = state.lists().await?;
    let f = Filters::new(viewer.lang, &lists, query.clone(), "/projecten").with_text_and_sort();
    let (table, _) = table_for(&state, &viewer, query, "/projecten").await?;
    Ok(render(&ListPage {
        c: viewer.chrome(),
        table,
        lists,
        f,
        can_create: can_create(&viewer),
    }))
}

#[derive(Template)]
#[template(path = "portfolio/show.html")]
struct ShowPage {
    c: Chrome,
    p: Arc<Project>,
    lists: Arc<Lists>,
    history: Vec<HistoryEntry>,
    similar: Arc<Vec<stip_store::insight::Similar>>,
    can_edit: bool,
    saved: bool,
    merged: bool,
    /// For its editors: why to look at its themes again after a new agenda was activated.
    review: Option<String>,
    /// Its score as `/prioriteren` ranks it (empty when no criterion is scored).
    scores: Vec<crate::prioritisation::ScoreLine>,
    /// Whether the score lines link to the ranking.
    can_rank: bool,
}

impl ShowPage {
    /// The description, its headings below the page's own section headings (h2).
    fn description_html(&self) -> String {
        markdown(&self.p.data.description, 3)
    }

    fn money(&self, v: &Hundredths) -> String {
        format!("€ {}", v.to_dutch())
    }

    fn field_name(&self, field: &str) -> String {
        crate::ui::value::change_field(&self.c, field)
    }

    fn value(&self, field: &str, value: &HistoryValue) -> String {
        change_value(&self.c, &self.lists, field, value)
    }
}

#[derive(serde::Deserialize, Default)]
#[serde(default)]
struct Flash {
    opgeslagen: String,
    /// Saved over changes others made in between, which were kept.
    samengevoegd: String,
}

async fn show(
    State(state): State<AppState>,
    viewer: Viewer,
    Id(id): Id,
    Query(flash): Query<Flash>,
) -> Result<Response, Error> {
    let p = visible_or_not_found(&state, &viewer, id).await?;
    let scope = stip_core::access::project_scope(&viewer.actor);
    let similar = state
        .store
        .similar(id, scope, crate::insight::SIMILAR)
        .await;
    let lists = state.lists().await?;
    let history = visible_history(
        &viewer.actor,
        p.institution_id,
        state.store.project_history(id).await?,
    );
    let similar = similar?.unwrap_or_default();
    let can_edit = viewer.may(Action::EditProject {
        institution_id: p.institution_id,
    });
    let c = viewer.chrome();
    let review = match can_edit {
        true => state.store.open_review(id).await?,
        false => None,
    };
    let review = match review {
        Some(r) => Some(crate::agenda::review_text(
            &c,
            &r,
            &crate::agenda::theme_names(&state).await?,
        )),
        None => None,
    };
    let scores = match p.data.scores.is_empty() {
        true => Vec::new(),
        false => crate::prioritisation::score_lines(&state, &lists, viewer.lang, &p).await?,
    };
    Ok(render(&ShowPage {
        c,
        p,
        lists,
        history,
        similar,
        can_edit,
        saved: !flash.opgeslagen.is_empty(),
        merged: !flash.samengevoegd.is_empty(),
        review,
        scores,
        can_rank: viewer.may(Action::Prioritise),
    }))
}

/// The conflict page's part of the form: what was saved since the edit's version, and the
/// fields both sides changed, to choose between.
struct ConflictView {
    /// The version the edit first started from, to merge against again.
    base: i64,
    /// The saves in between, as this viewer may see them, newest first.
    since: Vec<HistoryEntry>,
    fields: Vec<ConflictField>,
}

struct ConflictField {
    field: &'static str,
    theirs: HistoryValue,
    mine: HistoryValue,
    /// The choice already made, when the page is shown again: `Some(true)` keeps mine.
    keep_mine: Option<bool>,
}

impl ConflictView {
    /// `since` as the viewer may see it (`visible_history`).
    fn new(
        base: Version,
        since: Vec<HistoryEntry>,
        fields: Vec<&'static str>,
        current: &ProjectData,
        mine: &ProjectData,
        form: &ProjectForm,
    ) -> ConflictView {
        let theirs: BTreeMap<_, _> = current.history_fields().into_iter().collect();
        let mut mine: BTreeMap<_, _> = mine.history_fields().into_iter().collect();
        ConflictView {
            base: base.get(),
            since,
            fields: fields
                .into_iter()
                .map(|field| ConflictField {
                    field,
                    theirs: theirs[field].clone(),
                    mine: mine.remove(field).unwrap_or(HistoryValue::Empty),
                    keep_mine: form.keeps_mine(field),
                })
                .collect(),
        }
    }

    /// The fields to choose between, as the form sends them back.
    fn field_list(&self) -> String {
        let names: Vec<&str> = self.fields.iter().map(|f| f.field).collect();
        names.join(",")
    }
}

/// The project form as the browser sends it: the project's fields as typed
/// ([`ProjectInput`]), scores as `score_<criterion>` fields, and on the conflict page the
/// choices made there.
#[derive(Deserialize, Default)]
#[serde(default)]
struct ProjectForm {
    /// Only a beheerder's new-project form has it.
    institution: String,
    /// The version the edit started from.
    version: String,
    /// On the conflict page: the fields to choose between (`keep_<field>` is `mine` or
    /// `theirs`), comma-separated, and the version the edit first started from.
    conflicts: String,
    conflict_base: String,
    #[serde(flatten)]
    project: ProjectInput,
    /// `score_<criterion>`, `keep_<field>` and the CSRF token.
    #[serde(flatten)]
    other: BTreeMap<String, String>,
}

impl ProjectForm {
    /// The choice made on the conflict page for `field`: `Some(true)` to keep mine.
    fn keeps_mine(&self, field: &str) -> Option<bool> {
        match self.other.get(&format!("keep_{field}")).map(String::as_str) {
            Some("mine") => Some(true),
            Some("theirs") => Some(false),
            _ => None,
        }
    }

    /// The project as typed, with its scores.
    fn input(&self) -> ProjectInput {
        let scores = self
            .other
            .iter()
            .filter_map(|(k, v)| k.strip_prefix("score_").map(|c| (c.to_string(), v.clone())))
            .collect();
        ProjectInput {
            scores,
            ..self.project.clone()
        }
    }
}

#[derive(Template)]
#[template(path = "portfolio/form.html")]
struct FormPage {
    c: Chrome,
    /// "Nieuw project", or "Bewerken: <the stored title>".
    heading: String,
    action: String,
    cancel: String,
    /// The confirmation page for deleting, for those who may.
    delete_href: Option<String>,
    input: ProjectInput,
    errors: Errors,
    lists: Arc<Lists>,
    choices: Choices,
    /// For a beheerder creating a project: choose the institution.
    choose_institution: bool,
    institution_value: String,
    institution_name: String,
    version: i64,
    conflict: Option<ConflictView>,
    /// The viewer's account, to tell their own saves from others'.
    me: Option<i64>,
}

impl FormPage {
    fn has_theme(&self, code: &str) -> bool {
        self.input.themes.iter().any(|t| t == code)
    }
    fn has_driver(&self, code: &str) -> bool {
        self.input.drivers.iter().any(|t| t == code)
    }
    fn has_mora_area(&self, code: &str) -> bool {
        self.input.mora_areas.iter().any(|t| t == code)
    }
    /// The MORA areas to tick, each main area with its sub-areas.
    fn mora_tree(&self) -> Vec<(&MoraArea, Vec<&MoraArea>)> {
        stip_core::mora::tree(&self.lists.mora_areas)
    }
    /// The first checkbox of the MORA areas carries the id the error summary links to.
    fn mora_id(&self, code: &str) -> String {
        match self.lists.mora_areas.first() {
            Some(first) if first.data.code == code => "f-mora_areas".into(),
            _ => format!("mora-{code}"),
        }
    }
    fn score_field(&self, cr: &stip_core::agenda::Criterion) -> String {
        format!("score_{}", cr.data.code)
    }
    fn score_label(&self, cr: &stip_core::agenda::Criterion) -> String {
        format!(
            "{} ({})",
            cr.data.name,
            self.c.label("direction", cr.data.direction.code())
        )
    }
    fn score(&self, code: &str) -> String {
        self.input.scores.get(code).cloned().unwrap_or_default()
    }
    fn field_name(&self, field: &str) -> String {
        crate::ui::value::change_field(&self.c, field)
    }

    fn value(&self, field: &str, value: &HistoryValue) -> String {
        change_value(&self.c, &self.lists, field, value)
    }

    /// Whether a save in between was made by the viewer (in another tab or window).
    fn by_me(&self, h: &HistoryEntry) -> bool {
        h.user_id.is_some() && h.user_id == self.me
    }

    fn keep_error(&self, field: &str) -> Option<String> {
        self.errors.get(&format!("keep_{field}"))
    }

    /// The label of a field that may stay empty: "Samenvatting (optioneel)".
    fn optional(&self, field: &str) -> String {
        format!("{} {}", self.field_name(field), self.c.t("form.optional"))
    }
}

/// The edit form's heading, naming the project as stored.
fn edit_heading(c: &Chrome, title: &str) -> String {
    c.t_with("form.edit_heading", &[("title", title)])
}

fn new_input() -> ProjectInput {
    ProjectInput {
        phase: Phase::Idee.code().into(),
        visibility: Visibility::Netwerk.code().into(),
        effort_unit: EffortUnit::Fte.code().into(),
        ..Default::default()
    }
}

async fn new_form(State(state): State<AppState>, viewer: Viewer) -> Result<Response, Error> {
    viewer.require_login()?;
    if !can_create(&viewer) {
        return Err(Error::Forbidden);
    }
    let lists = state.lists().await?;
    let own = viewer
        .actor
        .institution_id()
        .and_then(|id| lists.institutions.iter().find(|i| i.id == id));
    let choose = viewer.may(Action::ManageInstitutions);
    Ok(render(&FormPage {
        heading: viewer.chrome().t("form.new_title"),
        action: "/projecten".into(),
        cancel: "/projecten".into(),
        delete_href: None,
        input: new_input(),
        errors: Errors::none(viewer.lang),
        choices: Choices::new(viewer.lang, &lists),
        choose_institution: choose,
        institution_value: own.map(|i| i.data.brin.to_string()).unwrap_or_default(),
        institution_name: own.map(|i| i.data.name.clone()).unwrap_or_default(),
        lists,
        version: 0,
        conflict: None,
        me: viewer.user.as_ref().map(|u| u.id),
        c: viewer.chrome(),
    }))
}

async fn create(
    State(state): State<AppState>,
    viewer: Viewer,
    Form(form): Form<ProjectForm>,
) -> Result<Response, Error> {
    if !can_create(&viewer) {
        return Err(Error::Forbidden);
    }
    let lists = state.lists().await?;
    let input = form.input();
    let choose = viewer.may(Action::ManageInstitutions);
    let mut invalid = Invalid::default();
    // A beheerder chooses the institution; an informatiemanager always adds to their own.
    let institution = if choose {
        match BrinCode::parse(&form.institution) {
            Ok(brin) => match lists.institutions.iter().find(|i| i.data.brin == brin) {
                Some(i) => Some(i.clone()),
                None => {
                    invalid.push("institution", ErrorCode::Unknown);
                    None
                }
            },
            Err(code) => {
                invalid.push("institution", code);
                None
            }
        }
    } else {
        lists
            .institutions
            .iter()
            .find(|i| Some(i.id) == viewer.actor.institution_id())
            .cloned()
    };
    if let Some(inst) = &institution
        && !viewer.may(Action::CreateProject {
            institution_id: inst.id,
        })
    {
        return Err(Error::Forbidden);
    }
    let parsed = lists.with_references(|refs| ProjectData::parse(&input, refs));
    let data = match (parsed, institution.as_ref()) {
        (Ok(data), Some(_)) if invalid.is_empty() => data,
        (parsed, _) => {
            if let Err(e) = parsed {
                invalid.0.extend(e.0);
            }
            let mut res = render(&FormPage {
                heading: viewer.chrome().t("form.new_title"),
                action: "/projecten".into(),
                cancel: "/projecten".into(),
                delete_href: None,
                input,
                errors: Errors::new(viewer.lang, invalid),
                choices: Choices::new(viewer.lang, &lists),
                choose_institution: choose,
                institution_value: form.institution.trim().to_uppercase(),
                institution_name: institution.map(|i| i.data.name).unwrap_or_default(),
                lists,
                version: 0,
                conflict: None,
                me: viewer.user.as_ref().map(|u| u.id),
                c: viewer.chrome(),
            });
            *res.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
            return Ok(res);
        }
    };
    let inst = institution.expect("checked above");
    let p = state
        .store
        .create_project(inst.id, &data, &viewer.editor())
        .await?;
    Ok(Redirect::to(&format!("/projecten/{}?opgeslagen=1", p.id)).into_response())
}

async fn edit_form(
    State(state): State<AppState>,
    viewer: Viewer,
    Id(id): Id,
) -> Result<Response, Error> {
    let p = visible_or_not_found(&state, &viewer, id).await?;
    viewer.require(Action::EditProject {
        institution_id: p.institution_id,
    })?;
    let lists = state.lists().await?;
    Ok(render(&FormPage {
        heading: edit_heading(&viewer.chrome(), &p.data.title),
        action: format!("/projecten/{id}"),
        cancel: format!("/projecten/{id}"),
        delete_href: viewer
            .may(Action::DeleteProject {
                institution_id: p.institution_id,
            })
            .then(|| format!("/projecten/{id}/verwijderen")),
        input: ProjectInput::from(&p.data),
        errors: Errors::none(viewer.lang),
        choices: Choices::new(viewer.lang, &lists),
        choose_institution: false,
        institution_value: p.institution_brin.to_string(),
        institution_name: p.institution_name.clone(),
        lists,
        version: p.version,
        conflict: None,
        me: viewer.user.as_ref().map(|u| u.id),
        c: viewer.chrome(),
    }))
}

async fn update(
    State(state): State<AppState>,
    viewer: Viewer,
    Id(id): Id,
    Form(form): Form<ProjectForm>,
) -> Result<Response, Error> {
    let p = visible_or_not_found(&state, &viewer, id).await?;
    if !viewer.may(Action::EditProject {
        institution_id: p.institution_id,
    }) {
        return Err(Error::Forbidden);
    }
    let lists = state.lists().await?;
    let input = form.input();
    let version = Version::from_form(&form.version);
    let page = |input: ProjectInput,
                errors: Errors,
                version: i64,
                conflict: Option<ConflictView>| FormPage {
        heading: edit_heading(&viewer.chrome(), &p.data.title),
        action: format!("/projecten/{id}"),
        cancel: format!("/projecten/{id}"),
        delete_href: viewer
            .may(Action::DeleteProject {
                institution_id: p.institution_id,
            })
            .then(|| format!("/projecten/{id}/verwijderen")),
        input,
        errors,
        choices: Choices::new(viewer.lang, &lists),
        choose_institution: false,
        institution_value: p.institution_brin.to_string(),
        institution_name: p.institution_name.clone(),
        lists: lists.clone(),
        version,
        conflict,
        me: viewer.user.as_ref().map(|u| u.id),
        c: viewer.chrome(),
    };
    let invalid_page = |input: ProjectInput, invalid: Invalid| {
        let mut res = render(&page(
            input,
            Errors::new(viewer.lang, invalid),
            version.get(),
            None,
        ));
        *res.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
        res
    };
    let mut data = match lists.with_references(|refs| ProjectData::parse(&input, refs)) {
        Ok(d) => d,
        Err(invalid) => return Ok(invalid_page(input, invalid)),
    };
    // Back from the conflict page: each field both sides changed keeps the value chosen. A
    // field without a choice is shown again, merged once more with the version the edit
    // first started from.
    let mut base = version;
    let mut unchosen = Invalid::default();
    let field_names = p.data.history_fields();
    for asked in form.conflicts.split(',').map(str::trim) {
        let Some(&(field, _)) = field_names.iter().find(|(f, _)| *f == asked) else {
            continue;
        };
        match form.keeps_mine(field) {
            Some(true) => {}
            Some(false) => copy_field(&mut data, &p.data, field),
            None => unchosen.push(&format!("keep_{field}"), ErrorCode::Required),
        }
    }
    if !unchosen.is_empty() {
        base = Version::from_form(&form.conflict_base);
    }
    let saved = state
        .store
        .save_edit(id, base, Edit::Whole(&data), &viewer.editor())
        .await;
    Ok(match saved {
        Ok(Edited::Saved { merged, .. }) => {
            let also = if merged { "&samengevoegd=1" } else { "" };
            Redirect::to(&format!("/projecten/{id}?opgeslagen=1{also}")).into_response()
        }
        Ok(Edited::Conflict {
            current,
            since,
            fields,
            merged,
        }) => {
            // Nothing is saved: the form holds the merge, and the fields to choose between.
            unchosen
                .0
                .retain(|e| fields.iter().any(|f| e.field == format!("keep_{f}")));
            let conflict = ConflictView::new(
                base,
                visible_history(&viewer.actor, p.institution_id, since),
                fields,
                &current.data,
                &data,
                &form,
            );
            let mut res = render(&page(
                ProjectInput::from(&*merged),
                Errors::new(viewer.lang, unchosen),
                current.version,
                Some(conflict),
            ));
            *res.status_mut() = StatusCode::CONFLICT;
            res
        }
        Err(stip_store::StoreError::Invalid(invalid)) => invalid_page(input, invalid),
        Err(e) => return Err(e.into()),
    })
}

#[derive(Template)]
#[template(path = "portfolio/delete.html")]
struct DeletePage {
    c: Chrome,
    p: Arc<Project>,
}

/// Asks before deleting: a page of its own, so it works without JavaScript.
async fn delete_page(
    State(state): State<AppState>,
    viewer: Viewer,
    Id(id): Id,
) -> Result<Response, Error> {
    let p = visible_or_not_found(&state, &viewer, id).await?;
    viewer.require(Action::DeleteProject {
        institution_id: p.institution_id,
    })?;
    Ok(render(&DeletePage {
        c: viewer.chrome(),
        p,
    }))
}

async fn delete(
    State(state): State<AppState>,
    viewer: Viewer,
    Id(id): Id,
) -> Result<Response, Error> {
    let p = visible_or_not_found(&state, &viewer, id).await?;
    if !viewer.may(Action::DeleteProject {
        institution_id: p.institution_id,
    }) {
        return Err(Error::Forbidden);
    }
    state.store.delete_project(id).await?;
    Ok(Redirect::to("/projecten").into_response())
}
