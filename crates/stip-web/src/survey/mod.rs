//! Surveys (issue 13): the regiegroep builds a survey (or starts from the seed's), opens it, and
//! every institution (or every informatiemanager) gets its own link; respondents fill it in
//! with a draft saved as they type; the results are counted per question, shown with charts
//! and tables, exported, and printed as the meeting's appendix. Pages under `/enquetes` and
//! `/enquete/{token}`, the API under `/api/v1/surveys`.

mod builder;
mod invitations;
mod respond;
mod results;

pub use respond::{Waiting, keeps_stale_forms, waiting};
pub(crate) use results::{QuestionView, question_views};

use crate::auth::Viewer;
use crate::i18n::Lang;
use crate::lists::Lists;
use crate::ui::layout::Chrome;
use crate::{AppState, Error};
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;
use stip_core::access::{Action, ProjectScope};
use stip_core::portfolio::ProjectFilter;
use stip_core::survey::{
    self, AnswerContext, Answers, Cell, Counted, QuestionKind, QuestionResult, Respondent, Stage,
    Survey, Table,
};
use stip_core::{ErrorCode, Invalid};
use stip_store::StoreError;
use stip_store::survey::{Invitation, Submitted};
use utoipa_axum::router::OpenApiRouter;

/// The area's pages and API operations, each in its sub-feature.
pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .merge(builder::routes())
        .merge(invitations::routes())
        .merge(respond::routes())
        .merge(results::routes())
}

/// Today, as surveys open and close by it.
pub fn today() -> chrono::NaiveDate {
    crate::time::today()
}

/// Whether `viewer` may see the survey at all: the regiegroep always; others once it is opened.
pub fn may_see(viewer: &Viewer, s: &Survey) -> bool {
    viewer.user.is_some() && (s.opened_at.is_some() || viewer.may(Action::ManageSurveys))
}

/// Whether `viewer` may read the survey's results now.
pub fn may_read_results(viewer: &Viewer, s: &Survey) -> bool {
    may_see(viewer, s)
        && viewer.may(Action::ViewSurveyResults {
            closed: s.stage(today()) == Stage::Closed,
        })
}

/// The invitation whose response `viewer` fills in: their institution's, or (a survey per
/// person) their own; `None` when they have none.
pub async fn own_invitation(
    state: &AppState,
    viewer: &Viewer,
    s: &Survey,
) -> Result<Option<Invitation>, StoreError> {
    let (Some(user), Some(institution_id)) = (&viewer.user, viewer.actor.institution_id()) else {
        return Ok(None);
    };
    if !viewer.may(Action::RespondToSurvey { institution_id }) {
        return Ok(None);
    }
    Ok(state
        .store
        .invitations_of(institution_id)
        .await?
        .into_iter()
        .find(|i| {
            i.survey_id == s.id
                && match s.data.respondent {
                    Respondent::Institution => i.user_id.is_none(),
                    Respondent::Person => i.user_id == Some(user.id),
                }
        }))
}

/// The projects an invitation's respondent may point at: their institution's.
pub async fn own_projects(
    state: &AppState,
    lists: &Lists,
    institution_id: i64,
) -> Result<Vec<(i64, String)>, StoreError> {
    let Some(inst) = lists.institutions.iter().find(|i| i.id == institution_id) else {
        return Ok(Vec::new());
    };
    let filter = ProjectFilter {
        institution: Some(inst.data.brin.clone()),
        ..Default::default()
    };
    let mut projects: Vec<(i64, String)> = state
        .store
        .all_projects(&filter, ProjectScope::All)
        .await?
        .iter()
        .map(|p| (p.id, p.data.title.clone()))
        .collect();
    projects.sort_by(|a, b| a.1.cmp(&b.1));
    Ok(projects)
}

/// The themes a survey's theme questions offer, code and name in the agenda's order: those of
/// the agenda version it was opened with, also after another version was activated (so a
/// running survey does not change its choices), else the active agenda's.
#[derive(Debug, Clone, Default)]
pub struct SurveyThemes(pub Vec<(String, String)>);

impl SurveyThemes {
    pub async fn of(state: &AppState, lists: &Lists, s: &Survey) -> Result<Self, StoreError> {
        if let Some(id) = s.agenda_id {
            match state.store.agenda(id).await {
                Ok(a) if a.status != stip_core::agenda_version::Status::Active => {
                    let mut themes = a.content.themes;
                    themes.sort_by_key(|t| t.position);
                    return Ok(Self(themes.into_iter().map(|t| (t.code, t.name)).collect()));
                }
                Ok(_) | Err(StoreError::NotFound) => {}
                Err(e) => return Err(e),
            }
        }
        Ok(Self(
            lists
                .themes
                .iter()
                .map(|t| (t.data.code.clone(), t.data.name.clone()))
                .collect(),
        ))
    }

    /// A theme's name by code (the code itself for one the version does not have).
    pub fn name(&self, code: &str) -> String {
        self.0
            .iter()
            .find(|(c, _)| c == code)
            .map(|(_, n)| n.clone())
            .unwrap_or_else(|| code.to_string())
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }
}

/// Checks answers against the survey, the agenda it offers and the respondent's projects.
pub fn check(
    themes: &SurveyThemes,
    s: &Survey,
    projects: &[(i64, String)],
    sent: &BTreeMap<String, Value>,
    complete: bool,
) -> (Answers, Invalid) {
    let themes: Vec<&str> = themes.0.iter().map(|(code, _)| code.as_str()).collect();
    let ids: BTreeSet<i64> = projects.iter().map(|(id, _)| *id).collect();
    let ctx = AnswerContext {
        themes: &themes,
        projects: &ids,
    };
    survey::check_answers(s, sent, &ctx, complete)
}

/// The answers of a stored draft or response, as the API sends them.
pub fn answers_value(s: &Survey, json: Option<&str>) -> BTreeMap<String, Value> {
    json.and_then(|j| survey::answers_from_json(s, j))
        .unwrap_or_default()
        .iter()
        .map(|(id, a)| (id.to_string(), a.to_json()))
        .collect()
}

/// Why a response cannot be saved or submitted now, if it cannot.
pub fn closed_for_answers(s: &Survey, inv: &Invitation) -> Option<&'static str> {
    match s.stage(today()) {
        Stage::Concept | Stage::Planned => Some("not_open"),
        Stage::Closed => Some("closed"),
        Stage::Open if inv.status == survey::InvitationStatus::Submitted => Some("submitted"),
        Stage::Open => None,
    }
}

/// Whether each invitation's status may be shown: an anonymous survey says per institution
/// who submitted only once it is closed (while open, only how many), so no one's submit can be
/// matched to a step of its results.
pub fn shows_who_submitted(s: &Survey) -> bool {
    !s.data.anonymous || s.stage(today()) == Stage::Closed
}

/// Who answered, as the results show it.
pub fn respondent_name(lists: &Lists, r: &Submitted) -> Option<String> {
    let inst = lists
        .institutions
        .iter()
        .find(|i| Some(i.id) == r.institution_id)?;
    Some(inst.data.name.clone())
}

/// The results of a survey, optionally of the institutions of one region.
pub struct Results {
    pub responses: Vec<Submitted>,
    pub per_question: Vec<QuestionResult>,
    /// The themes its theme questions offered.
    pub themes: SurveyThemes,
    /// The regions respondents come from (empty for an anonymous survey).
    pub regions: Vec<String>,
}

/// What results were counted from: the survey (its version), the region, the reference lists'
/// generation (institutions' names and regions, the themes) and the responses' fingerprint.
/// And whether the survey is closed (an anonymous survey shows everything only then).
type ResultsKey = (i64, i64, Option<String>, u64, (i64, i64), bool);

/// Counted results per survey and region, each kept while its key holds: the results page and
/// API count a network's responses once per change, not once per request.
#[derive(Default)]
pub struct ResultsCache(std::sync::Mutex<std::collections::HashMap<ResultsSlot, Kept>>);

/// A survey and region; what was counted for it, and under which key.
type ResultsSlot = (i64, Option<String>);
type Kept = (ResultsKey, Arc<Results>);

/// A survey's results, counted again only when its responses (or what they are shown with)
/// changed since they were last counted, by this process or another.
pub async fn results(
    state: &AppState,
    lists: &Lists,
    s: &Survey,
    region: Option<&str>,
) -> Result<Arc<Results>, StoreError> {
    let key: ResultsKey = (
        s.id,
        s.version,
        region.map(str::to_string),
        state.store.reference_generation(),
        state.store.responses_fingerprint(s.id).await?,
        s.stage(today()) == Stage::Closed,
    );
    let slot = (s.id, key.2.clone());
    let cache = &state.survey_results.0;
    if let Some((kept, r)) = cache.lock().unwrap_or_else(|e| e.into_inner()).get(&slot)
        && *kept == key
    {
        return Ok(r.clone());
    }
    let counted = Arc::new(count(state, lists, s, region).await?);
    cache
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .insert(slot, (key, counted.clone()));
    Ok(counted)
}

async fn count(
    state: &AppState,
    lists: &Lists,
    s: &Survey,
    region: Option<&str>,
) -> Result<Results, StoreError> {
    let closed = s.stage(today()) == Stage::Closed;
    let all = state.store.submitted_responses(s, closed).await?;
    let region_of = |r: &Submitted| {
        lists
            .institutions
            .iter()
            .find(|i| Some(i.id) == r.institution_id)
            .map(|i| i.data.region.clone())
    };
    let mut regions: Vec<String> = all
        .iter()
        .filter_map(region_of)
        .filter(|r| !r.is_empty())
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    if s.data.anonymous {
        regions.clear();
    }
    let responses: Vec<Submitted> = match region {
        Some(region) if !s.data.anonymous => all
            .into_iter()
            .filter(|r| region_of(r).as_deref() == Some(region))
            .collect(),
        _ => all,
    };
    let parsed: Vec<(Option<String>, Answers)> = responses
        .iter()
        .map(|r| {
            (
                respondent_name(lists, r),
                survey::answers_from_json(s, &r.answers).unwrap_or_default(),
            )
        })
        .collect();
    let counted: Vec<Counted<'_>> = parsed
        .iter()
        .map(|(who, answers)| Counted {
            who: who.as_deref(),
            answers,
        })
        .collect();
    let themes = SurveyThemes::of(state, lists, s).await?;
    let per_question = survey::results(&s.questions, &counted, themes.len());
    Ok(Results {
        responses,
        per_question,
        themes,
        regions,
    })
}

/// The titles of the projects the answers point at, as far as `viewer` may see them: looked
/// up one by one in the read model (a handful per survey, not the whole portfolio).
pub async fn project_titles(
    state: &AppState,
    viewer: &Viewer,
    s: &Survey,
    r: &Results,
) -> Result<BTreeMap<i64, String>, StoreError> {
    let scope = stip_core::access::project_scope(&viewer.actor);
    let mut titles = BTreeMap::new();
    for (q, qr) in s.questions.iter().zip(&r.per_question) {
        if q.data.kind != QuestionKind::Projects {
            continue;
        }
        for id in qr
            .counts
            .iter()
            .filter_map(|(id, _)| id.parse::<i64>().ok())
        {
            match state.store.project(id).await {
                Ok(p) if scope.includes(p.institution_id, p.data.visibility) => {
                    titles.insert(id, p.data.title.clone());
                }
                // Not for this reader, or deleted since: shown as a project they cannot see.
                Ok(_) | Err(StoreError::NotFound) => {}
                Err(e) => return Err(e),
            }
        }
    }
    Ok(titles)
}

/// The responses as a table, a row per response: who (unless anonymous) and when, then an
/// answer per question in the question's order; themes and projects by name, with their codes
/// and numbers in a column of their own beside them. `titles`: see [`project_titles`].
pub fn table(
    lang: Lang,
    lists: &Lists,
    s: &Survey,
    results: &Results,
    titles: &BTreeMap<i64, String>,
) -> Table {
    let responses = &results.responses;
    let mut headers = Vec::new();
    if !s.data.anonymous {
        for key in ["brin", "institution", "region", "submitted_at"] {
            headers.push(lang.t(&format!("survey.export.{key}")));
        }
    }
    for (n, q) in s.questions.iter().enumerate() {
        let header = format!("{}. {}", n + 1, q.data.text);
        match q.data.kind {
            QuestionKind::Themes => {
                headers.push(header.clone());
                headers.push(format!("{header} ({})", lang.t("survey.export.codes")));
            }
            QuestionKind::Projects => {
                headers.push(header.clone());
                headers.push(format!("{header} ({})", lang.t("survey.export.numbers")));
            }
            _ => headers.push(header),
        }
    }
    let rows = responses
        .iter()
        .map(|r| {
            let mut row = Vec::new();
            if !s.data.anonymous {
                let inst = lists
                    .institutions
                    .iter()
                    .find(|i| Some(i.id) == r.institution_id);
                row.push(Cell::Text(
                    inst.map(|i| i.data.brin.to_string()).unwrap_or_default(),
                ));
                row.push(Cell::Text(
                    inst.map(|i| i.data.name.clone()).unwrap_or_default(),
                ));
                row.push(Cell::Text(
                    inst.map(|i| i.data.region.clone()).unwrap_or_default(),
                ));
                row.push(Cell::Text(
                    r.submitted_at
                        .as_deref()
                        .map(|t| crate::time::moment(lang, t))
                        .unwrap_or_default(),
                ));
            }
            let answers = survey::answers_from_json(s, &r.answers).unwrap_or_default();
            for q in &s.questions {
                let answer = answers.get(&q.id);
                row.push(match answer {
                    None => Cell::Text(String::new()),
                    Some(survey::Answer::Scale(n)) => Cell::Number(f64::from(*n)),
                    Some(survey::Answer::Projects(ids)) => Cell::Text(
                        ids.iter()
                            .map(|id| {
                                titles
                                    .get(id)
                                    .cloned()
                                    .unwrap_or_else(|| lang.t("survey.export.hidden_project"))
                            })
                            .collect::<Vec<_>>()
                            .join("; "),
                    ),
                    Some(a) => Cell::Text(answer_text(&results.themes, a)),
                });
                match (q.data.kind, answer) {
                    (QuestionKind::Themes, Some(survey::Answer::Themes(codes))) => {
                        row.push(Cell::Text(codes.join("; ")))
                    }
                    (QuestionKind::Projects, Some(survey::Answer::Projects(ids))) => {
                        row.push(Cell::Text(
                            ids.iter()
                                .map(i64::to_string)
                                .collect::<Vec<_>>()
                                .join("; "),
                        ))
                    }
                    (QuestionKind::Themes | QuestionKind::Projects, _) => {
                        row.push(Cell::Text(String::new()))
                    }
                    _ => {}
                }
            }
            row
        })
        .collect();
    Table { headers, rows }
}

/// An answer in words: texts as they are, choices joined, themes by name in their order.
pub fn answer_text(themes: &SurveyThemes, a: &survey::Answer) -> String {
    match a {
        survey::Answer::Text(t) | survey::Answer::Choice(t) => t.clone(),
        survey::Answer::Choices(cs) => cs.join("; "),
        survey::Answer::Scale(n) => n.to_string(),
        survey::Answer::Themes(codes) => codes
            .iter()
            .map(|c| themes.name(c))
            .collect::<Vec<_>>()
            .join("; "),
        survey::Answer::Projects(ids) => ids
            .iter()
            .map(|id| format!("#{id}"))
            .collect::<Vec<_>>()
            .join("; "),
    }
}

/// The reminder the regiegroep copies into an e-mail to those who have not responded.
pub fn reminder(lang: Lang, s: &Survey) -> String {
    lang.t_with(
        "survey.reminder_text",
        &[
            ("title", &s.data.title),
            ("closes", &crate::time::date(lang, s.data.closes_on)),
        ],
    )
}

/// Reads a form's answers (`a{id}` fields; a theme's place as `a{id}_{code}`) into what
/// [`survey::check_answers`] takes, with what a form can get wrong that JSON cannot: two
/// themes in the same place.
pub fn answers_from_form(s: &Survey, form: &[(String, String)]) -> FromForm {
    let mut sent = BTreeMap::new();
    let mut e = Invalid::default();
    let mut places = BTreeMap::new();
    for q in &s.questions {
        let name = format!("a{}", q.id);
        let values: Vec<&str> = form
            .iter()
            .filter(|(k, _)| *k == name)
            .map(|(_, v)| v.as_str())
            .collect();
        let value = match q.data.kind {
            QuestionKind::Open | QuestionKind::Single | QuestionKind::Scale => {
                match values.first() {
                    Some(v) => Value::from(*v),
                    None => continue,
                }
            }
            QuestionKind::Multiple => {
                Value::from(values.iter().map(|v| v.to_string()).collect::<Vec<_>>())
            }
            QuestionKind::Projects => Value::from(
                values
                    .iter()
                    .map(|v| {
                        v.parse::<i64>()
                            .map(Value::from)
                            .unwrap_or_else(|_| Value::from(*v))
                    })
                    .collect::<Vec<_>>(),
            ),
            QuestionKind::Themes => {
                let prefix = format!("{name}_");
                // As typed, to show again exactly so when the form comes back refused.
                places.insert(
                    q.id,
                    form.iter()
                        .filter_map(|(k, v)| {
                            Some((k.strip_prefix(&prefix)?.to_string(), v.clone()))
                        })
                        .filter(|(_, v)| !v.trim().is_empty())
                        .collect(),
                );
                let mut placed: Vec<(u32, usize, String)> = form
                    .iter()
                    .enumerate()
                    .filter_map(|(i, (k, v))| {
                        let code = k.strip_prefix(&prefix)?;
                        let place = v.trim().parse::<u32>().ok()?;
                        Some((place, i, code.to_string()))
                    })
                    .collect();
                placed.sort();
                if placed.windows(2).any(|w| w[0].0 == w[1].0) {
                    e.push(&survey::answer_field(q.id), ErrorCode::Duplicate);
                }
                Value::from(placed.into_iter().map(|(_, _, c)| c).collect::<Vec<_>>())
            }
        };
        sent.insert(q.id.to_string(), value);
    }
    FromForm {
        sent,
        errors: e,
        places,
    }
}

/// A respondent's form as read: the answers as the API takes them, what the form itself got
/// wrong, and the places given to the themes as typed (question id → theme code → place).
pub struct FromForm {
    pub sent: BTreeMap<String, Value>,
    pub errors: Invalid,
    pub places: BTreeMap<i64, BTreeMap<String, String>>,
}

/// A refusal in a respondent's words, under the question it belongs to.
pub fn answer_error(lang: Lang, code: &ErrorCode) -> String {
    lang.error_for("answer", code)
}

// ---- Shared by the pages and the API ----------------------------------------------------------

/// The raw query's pairs.
fn pairs(raw: &Option<String>) -> Vec<(String, String)> {
    url::form_urlencoded::parse(raw.as_deref().unwrap_or("").as_bytes())
        .into_owned()
        .collect()
}

/// The survey's stage, in words.
fn stage_label(c: &Chrome, s: &Survey) -> String {
    c.t(&format!("survey.stage.{}", s.stage(today()).code()))
}

/// When the survey opens and closes, in words.
fn dates(c: &Chrome, s: &Survey) -> String {
    c.t_with(
        "survey.dates",
        &[
            ("opens", &c.date(&s.data.opens_on)),
            ("closes", &c.date(&s.data.closes_on)),
        ],
    )
}

/// The survey for the regiegroep to manage, or the refusal for anyone else.
async fn managed(state: &AppState, viewer: &Viewer, id: i64) -> Result<Survey, Error> {
    viewer.require(Action::ManageSurveys)?;
    Ok(state.store.survey(id).await?)
}

/// The survey, if the caller may see it; a concept is the regiegroep's alone (404 to others).
async fn visible(state: &AppState, viewer: &Viewer, id: i64) -> Result<Survey, Error> {
    viewer.require_login()?;
    let s = state.store.survey(id).await?;
    if !may_see(viewer, &s) {
        return Err(Error::NotFound);
    }
    Ok(s)
}
