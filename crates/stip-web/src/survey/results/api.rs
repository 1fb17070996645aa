//! `/api/v1/surveys/{id}/results` and `/export`: the results counted per question, and every
//! submitted response as a spreadsheet row.

use crate::auth::Viewer;
use crate::http::extract::Id;
use crate::survey::{may_read_results, results, visible};
use crate::{AppState, Error};
use axum::Json;
use axum::extract::{RawQuery, State};
use axum::response::Response;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use stip_core::survey::Survey;
use stip_core::{ErrorCode, Invalid};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(survey_results))
        .routes(routes!(export))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[allow(dead_code)]
pub struct ResultParams {
    /// Only the responses of institutions in this region (not for an anonymous survey).
    region: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct ThemeRankJson {
    pub theme: String,
    /// A theme in place p of a list of a survey with n themes scores n + 1 − p points.
    pub points: u32,
    pub chosen: u32,
    pub first: u32,
}

#[derive(Serialize, ToSchema)]
pub struct OpenAnswerJson {
    /// The institution's name; `null` for an anonymous survey.
    pub institution: Option<String>,
    pub text: String,
}

#[derive(Serialize, ToSchema)]
pub struct QuestionResultJson {
    pub id: i64,
    pub kind: String,
    pub text: String,
    /// Responses that answer it.
    pub answered: u32,
    /// Per option (choices), per point "1"–"5" (scale), per theme code or project id: how
    /// many chose it.
    #[schema(value_type = Object, example = json!({"Ja": 12, "Nee": 3}))]
    pub counts: serde_json::Map<String, Value>,
    /// Scale: the mean.
    pub mean: Option<f64>,
    /// Themes: ranked across respondents, best first.
    pub ranking: Vec<ThemeRankJson>,
    /// Open questions: every answer.
    pub answers: Vec<OpenAnswerJson>,
}

#[derive(Serialize, ToSchema)]
pub struct ResultsJson {
    pub responses: usize,
    pub anonymous: bool,
    pub region: Option<String>,
    pub questions: Vec<QuestionResultJson>,
}

fn region_param(raw: &Option<String>) -> Result<Option<String>, Error> {
    let values: Vec<String> = url::form_urlencoded::parse(raw.as_deref().unwrap_or("").as_bytes())
        .filter(|(k, _)| k == "region")
        .map(|(_, v)| v.trim().to_string())
        .collect();
    match values.as_slice() {
        [] => Ok(None),
        [v] if v.is_empty() => Ok(None),
        [v] => Ok(Some(v.clone())),
        _ => Err(Error::Invalid(Invalid::one("region", ErrorCode::Repeated))),
    }
}

async fn readable_results(state: &AppState, viewer: &Viewer, id: i64) -> Result<Survey, Error> {
    let s = visible(state, viewer, id).await?;
    if !may_read_results(viewer, &s) {
        return Err(Error::Forbidden);
    }
    Ok(s)
}

/// Per question the counts, the mean of a scale, the ranking of themes and every open answer
/// (with its institution unless the survey is anonymous). The regiegroep reads them at any
/// time, everyone logged in once the survey is closed.
#[utoipa::path(get, path = "/api/v1/surveys/{id}/results", tag = "surveys", operation_id = "survey_results",
    params(("id" = i64, Path, description = "Survey id"), ResultParams),
    responses((status = 200, description = "The results", body = ResultsJson),
        (status = 401, description = "Not logged in", body = crate::Problem),
        (status = 403, description = "The results are the regiegroep's until the survey closes", body = crate::Problem),
        (status = 404, description = "No such survey", body = crate::Problem),
        (status = 422, description = "`region` given twice", body = crate::Problem)))]
pub async fn survey_results(
    State(state): State<AppState>,
    viewer: Viewer,
    Id(id): Id,
    RawQuery(raw): RawQuery,
) -> Result<Json<ResultsJson>, Error> {
    let s = readable_results(&state, &viewer, id).await?;
    let region = region_param(&raw)?.filter(|_| !s.data.anonymous);
    let lists = state.lists().await?;
    let r = results(&state, &lists, &s, region.as_deref()).await?;
    let questions = s
        .questions
        .iter()
        .zip(&r.per_question)
        .map(|(q, qr)| QuestionResultJson {
            id: q.id,
            kind: q.data.kind.code().into(),
            text: q.data.text.clone(),
            answered: qr.answered,
            counts: qr
                .counts
                .iter()
                .map(|(k, n)| (k.clone(), Value::from(*n)))
                .collect(),
            mean: qr.mean.map(|m| (m * 100.0).round() / 100.0),
            ranking: qr
                .ranking
                .iter()
                .map(|t| ThemeRankJson {
                    theme: t.code.clone(),
                    points: t.points,
                    chosen: t.chosen,
                    first: t.first,
                })
                .collect(),
            answers: qr
                .texts
                .iter()
                .map(|(who, text)| OpenAnswerJson {
                    institution: who.clone(),
                    text: text.clone(),
                })
                .collect(),
        })
        .collect();
    Ok(Json(ResultsJson {
        responses: r.responses.len(),
        anonymous: s.data.anonymous,
        region,
        questions,
    }))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[allow(dead_code)]
pub struct ExportParams {
    /// `xlsx` or `csv` (`;`, UTF-8 with BOM, as Dutch Excel opens it).
    #[param(pattern = "^(xlsx|csv)$")]
    format: String,
    /// Only the responses of institutions in this region.
    region: Option<String>,
}

/// Every submitted response as a row: institution, region and time (unless anonymous), then
/// an answer per question.
#[utoipa::path(get, path = "/api/v1/surveys/{id}/export", tag = "surveys", operation_id = "export_survey",
    params(("id" = i64, Path, description = "Survey id"), ExportParams),
    responses((status = 200, description = "The file", content(
            ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
            ("text/csv"))),
        (status = 401, description = "Not logged in", body = crate::Problem),
        (status = 403, description = "The results are the regiegroep's until the survey closes", body = crate::Problem),
        (status = 404, description = "No such survey", body = crate::Problem),
        (status = 422, description = "An unknown format: `errors` names it", body = crate::Problem)))]
pub async fn export(
    State(state): State<AppState>,
    viewer: Viewer,
    Id(id): Id,
    RawQuery(raw): RawQuery,
) -> Result<Response, Error> {
    let s = readable_results(&state, &viewer, id).await?;
    let formats: Vec<String> = url::form_urlencoded::parse(raw.as_deref().unwrap_or("").as_bytes())
        .filter(|(k, _)| k == "format")
        .map(|(_, v)| v.trim().to_string())
        .collect();
    let format = match formats.as_slice() {
        [] => {
            return Err(Error::Invalid(Invalid::one("format", ErrorCode::Required)));
        }
        [f] if f == "xlsx" || f == "csv" => f.clone(),
        [_] => {
            return Err(Error::Invalid(Invalid::one(
                "format",
                ErrorCode::InvalidChoice,
            )));
        }
        _ => {
            return Err(Error::Invalid(Invalid::one("format", ErrorCode::Repeated)));
        }
    };
    let region = region_param(&raw)?.filter(|_| !s.data.anonymous);
    let lists = state.lists().await?;
    let r = results(&state, &lists, &s, region.as_deref()).await?;
    let titles = crate::survey::project_titles(&state, &viewer, &s, &r).await?;
    let table = crate::survey::table(viewer.lang, &lists, &s, &r, &titles);
    let (bytes, media_type) = if format == "csv" {
        (table.csv(), "text/csv; charset=utf-8")
    } else {
        (
            table
                .xlsx(&viewer.lang.t("survey.export.sheet"))
                .map_err(|e| Error::Internal(e.to_string()))?,
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    };
    let file = format!("enquete-{}.{format}", s.id);
    Ok(crate::http::download::attachment(media_type, &file, bytes))
}
