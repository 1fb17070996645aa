//! Full-text search over the portfolio (issue 11): a tantivy index in memory with the Dutch
//! stemmer and stop words, beside the read model and changed with it (see `index.rs`), so
//! every process searches what its read model holds. It knows ids and text only: which of the
//! hits a viewer may see, and which pass the list's filters, is the read model's to say.

use std::collections::{BTreeSet, HashMap};
use std::ops::Range;
use std::sync::Mutex;
use stip_core::portfolio::Project;
use tantivy::collector::TopDocs;
use tantivy::query::{BooleanQuery, BoostQuery, Occur, Query, QueryParser, TermQuery};
use tantivy::schema::{
    FAST, Field, INDEXED, IndexRecordOption, Schema, TextFieldIndexing, TextOptions,
};
use tantivy::snippet::SnippetGenerator;
use tantivy::tokenizer::{
    AsciiFoldingFilter, Language, LowerCaser, RemoveLongFilter, SimpleTokenizer, Stemmer,
    StopWordFilter, TextAnalyzer, TokenStream,
};
use tantivy::{DocAddress, Index, IndexReader, IndexWriter, ReloadPolicy, TantivyDocument, Term};

/// The analyser of every text field: words, lower case, accents folded (`financiele` finds
/// `financiële`), Dutch stop words dropped and the rest stemmed (`leermiddel` finds
/// `leermiddelen`).
const DUTCH: &str = "nl";

/// How many of a project's words and themes look for similar projects.
const LIKE_TERMS: usize = 30;

/// Memory for the index writer's buffers, 20 MB for each of its two threads (tantivy's least
/// is 15 MB): loading 100,000 projects at start is then shared by both cores.
const WRITER_MEMORY: usize = 40_000_000;

#[derive(Clone, Copy)]
struct Fields {
    id: Field,
    title: Field,
    /// Summary, description and case summary.
    body: Field,
    /// Theme codes, one token each, so similar projects also weigh shared themes.
    themes: Field,
}

/// A passage of a project's text with the searched words marked, as byte ranges of `text`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Snippet {
    pub text: String,
    pub marked: Vec<Range<usize>>,
}

pub(crate) struct Search {
    index: Index,
    reader: IndexReader,
    writer: Mutex<IndexWriter>,
    fields: Fields,
}

/// The text a project is found by: its title, and its other texts in one body.
fn body(p: &Project) -> String {
    let d = &p.data;
    [&d.summary, &d.description, &d.case_summary]
        .into_iter()
        .filter(|t| !t.is_empty())
        .map(String::as_str)
        .collect::<Vec<_>>()
        .join("\n")
}

/// Markdown as it reads in a snippet: without the marks for headings, emphasis, code and
/// quotes, one line after the other.
fn plain(markdown: &str) -> String {
    markdown
        .lines()
        .map(|line| {
            line.trim_start_matches(['#', '>', ' '])
                .replace(['*', '`', '[', ']'], "")
        })
        .filter(|line| !line.trim().is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

fn analyser() -> TextAnalyzer {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(40))
        .filter(LowerCaser)
        .filter(AsciiFoldingFilter)
        .filter(StopWordFilter::new(Language::Dutch).expect("tantivy has Dutch stop words"))
        .filter(Stemmer::new(Language::Dutch))
        .build()
}

impl Search {
    pub(crate) fn new(projects: &[Project]) -> Search {
        let mut schema = Schema::builder();
        let text = TextOptions::default().set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer(DUTCH)
                .set_index_option(IndexRecordOption::WithFreqsAndPositions),
        );
        let codes = TextOptions::default().set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer("raw")
                .set_index_option(IndexRecordOption::WithFreqs),
        );
        let fields = Fields {
            id: schema.add_u64_field("id", INDEXED | FAST),
            title: schema.add_text_field("title", text.clone()),
            body: schema.add_text_field("body", text),
            themes: schema.add_text_field("themes", codes),
        };
        let index = Index::create_in_ram(schema.build());
        index.tokenizers().register(DUTCH, analyser());
        let writer = index
            .writer_with_num_threads(2, WRITER_MEMORY)
            .expect("an index in memory takes a writer");
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()
            .expect("an index in memory has a reader");
        let search = Search {
            index,
            reader,
            writer: Mutex::new(writer),
            fields,
        };
        search.writing().change(projects, &[]);
        search
    }

    fn document(&self, p: &Project) -> TantivyDocument {
        let f = self.fields;
        let mut doc = TantivyDocument::default();
        doc.add_u64(f.id, p.id as u64);
        doc.add_text(f.title, &p.data.title);
        doc.add_text(f.body, body(p));
        for theme in &p.data.themes {
            doc.add_text(f.themes, theme);
        }
        doc
    }

    /// The writer, held while changes are made; changes are made in the order it is taken.
    pub(crate) fn writing(&self) -> Writing<'_> {
        Writing {
            search: self,
            writer: self.writer.lock().unwrap_or_else(|e| e.into_inner()),
        }
    }

    fn parse(&self, text: &str) -> Box<dyn Query> {
        let f = self.fields;
        let mut parser = QueryParser::for_index(&self.index, vec![f.title, f.body]);
        // Every word must occur: "digitale leermiddelen" is about both.
        parser.set_conjunction_by_default();
        parser.set_field_boost(f.title, 2.0);
        // Query syntax a user did not mean (an odd quote or colon) is read as words.
        parser.parse_query_lenient(text).0
    }

    /// Every project whose text matches `text`, best first, with its score.
    pub(crate) fn hits(&self, text: &str) -> Vec<(i64, f32)> {
        let query = self.parse(text);
        self.run(&*query)
    }

    fn run(&self, query: &dyn Query) -> Vec<(i64, f32)> {
        let searcher = self.reader.searcher();
        let limit = (searcher.num_docs() as usize).max(1);
        let top = match searcher.search(query, &TopDocs::with_limit(limit).order_by_score()) {
            Ok(top) => top,
            Err(e) => {
                tracing::error!(error = %e, "search failed");
                return Vec::new();
            }
        };
        let ids: Vec<_> = searcher
            .segment_readers()
            .iter()
            .map(|s| s.fast_fields().u64("id").ok())
            .collect();
        top.into_iter()
            .filter_map(
                |(
                    score,
                    DocAddress {
                        segment_ord,
                        doc_id,
                    },
                )| {
                    let column = ids.get(segment_ord as usize)?.as_ref()?;
                    Some((column.first(doc_id)? as i64, score))
                },
            )
            .collect()
    }

    /// The passage of a project's text that best shows why it matched `text`: from the body,
    /// or the title when the body does not have the words.
    pub(crate) fn snippet(&self, text: &str, p: &Project) -> Snippet {
        let query = self.parse(text);
        let searcher = self.reader.searcher();
        for (field, content) in [
            (self.fields.body, plain(&body(p))),
            (self.fields.title, p.data.title.clone()),
        ] {
            let Ok(mut generator) = SnippetGenerator::create(&searcher, &*query, field) else {
                continue;
            };
            generator.set_max_num_chars(200);
            let s = generator.snippet(&content);
            if !s.highlighted().is_empty() {
                return Snippet {
                    text: s.fragment().to_string(),
                    marked: s.highlighted().to_vec(),
                };
            }
        }
        let summary = &p.data.summary;
        let end = summary
            .char_indices()
            .nth(200)
            .map_or(summary.len(), |(i, _)| i);
        Snippet {
            text: summary[..end].to_string(),
            marked: Vec::new(),
        }
    }

    /// The projects most like `p` by its words and themes, best first: a query for the words
    /// and themes that say most about `p` (often in `p`, rare in the portfolio), each weighed
    /// by how much it says. Like tantivy's `MoreLikeThisQuery`, which panics on an index with
    /// deleted documents (tantivy issue #2964: its document count leaves them out, the term
    /// counts do not), and every save here deletes a document.
    pub(crate) fn like(&self, p: &Project) -> Vec<(i64, f32)> {
        self.like_words(&p.data.title, &body(p), &p.data.themes, 2)
    }

    /// The projects most like a text that is no project in the index, with this title and
    /// body, best first; see [`Search::like`].
    pub(crate) fn like_text(&self, title: &str, body: &str) -> Vec<(i64, f32)> {
        self.like_words(title, body, &[], 1)
    }

    /// [`Search::like`] for a title, body and themes (codes), by the words that at least
    /// `found_in` projects have (2 for a project in the index: itself and another).
    fn like_words(
        &self,
        title: &str,
        body: &str,
        themes: &[String],
        found_in: u64,
    ) -> Vec<(i64, f32)> {
        let searcher = self.reader.searcher();
        let mut weigh = Weighing::new(&searcher);
        let weighed = weigh.terms(self.fields, title, body, themes, found_in);
        let Some(best) = weighed.first().map(|(w, _)| *w).filter(|w| *w > 0.0) else {
            return Vec::new();
        };
        let query = BooleanQuery::new(
            weighed
                .into_iter()
                .map(|(w, term)| {
                    let q: Box<dyn Query> = Box::new(BoostQuery::new(
                        Box::new(TermQuery::new(term, IndexRecordOption::WithFreqs)),
                        w / best,
                    ));
                    (Occur::Should, q)
                })
                .collect(),
        );
        self.run(&query)
    }

    /// How alike projects of different groups are, by the same words and themes that find
    /// similar projects, each project's weighed as a vector and two projects' likeness the
    /// cosine of theirs (0: nothing in common, 1: the same words in the same measure). Pairs
    /// of at least `least`, each as ((group, index), (group, index), likeness), best first.
    #[allow(clippy::type_complexity)]
    pub(crate) fn pairs(
        &self,
        groups: &[&[std::sync::Arc<Project>]],
        least: f32,
    ) -> Vec<((usize, usize), (usize, usize), f32)> {
        let searcher = self.reader.searcher();
        let mut weigh = Weighing::new(&searcher);
        // Which projects have each word, with its weight in the project's unit vector.
        let mut by_term: HashMap<Term, Vec<((usize, usize), f32)>> = HashMap::new();
        for (g, projects) in groups.iter().enumerate() {
            for (i, p) in projects.iter().enumerate() {
                let terms = weigh.terms(self.fields, &p.data.title, &body(p), &p.data.themes, 2);
                let norm = terms.iter().map(|(w, _)| w * w).sum::<f32>().sqrt();
                if norm <= 0.0 {
                    continue;
                }
                for (w, term) in terms {
                    by_term.entry(term).or_default().push(((g, i), w / norm));
                }
            }
        }
        let mut likeness: HashMap<((usize, usize), (usize, usize)), f32> = HashMap::new();
        for having in by_term.values() {
            for (n, (a, wa)) in having.iter().enumerate() {
                for (b, wb) in &having[n + 1..] {
                    if a.0 != b.0 {
                        let key = if a < b { (*a, *b) } else { (*b, *a) };
                        *likeness.entry(key).or_default() += wa * wb;
                    }
                }
            }
        }
        let mut out: Vec<_> = likeness
            .into_iter()
            .filter(|(_, l)| *l >= least)
            .map(|((a, b), l)| (a, b, l.min(1.0)))
            .collect();
        out.sort_by(|x, y| y.2.total_cmp(&x.2).then(x.0.cmp(&y.0)).then(x.1.cmp(&y.1)));
        out
    }

    /// The words of `p` that `other` has too (the same stem), as `other` writes them, the
    /// rarest in the portfolio first.
    pub(crate) fn shared_words(&self, p: &Project, other: &Project, at_most: usize) -> Vec<String> {
        let stems = |text: &str| {
            let mut analyser = analyser();
            let mut stream = analyser.token_stream(text);
            let mut out = Vec::new();
            while stream.advance() {
                let t = stream.token();
                out.push((t.text.clone(), t.offset_from..t.offset_to));
            }
            out
        };
        let own: BTreeSet<String> = stems(&format!("{}\n{}", p.data.title, body(p)))
            .into_iter()
            .map(|(stem, _)| stem)
            .collect();
        let text = format!("{}\n{}", other.data.title, body(other));
        let mut theirs: HashMap<String, String> = HashMap::new();
        for (stem, at) in stems(&text) {
            if own.contains(&stem) && stem.chars().count() >= 3 {
                theirs
                    .entry(stem)
                    .or_insert_with(|| text[at].to_lowercase());
            }
        }
        let searcher = self.reader.searcher();
        let mut ranked: Vec<(u64, String)> = theirs
            .into_iter()
            .map(|(stem, word)| {
                let docs = searcher
                    .doc_freq(&Term::from_field_text(self.fields.body, &stem))
                    .unwrap_or(0)
                    + searcher
                        .doc_freq(&Term::from_field_text(self.fields.title, &stem))
                        .unwrap_or(0);
                (docs, word)
            })
            .collect();
        ranked.sort();
        ranked.dedup_by(|a, b| a.1 == b.1);
        ranked.into_iter().take(at_most).map(|(_, w)| w).collect()
    }
}

/// Weighs a text's words by how much they say about it: often in the text, rare in the
/// portfolio. Remembers how many projects have each word, as one comparison asks for the
/// same words many times.
struct Weighing<'s> {
    searcher: &'s tantivy::Searcher,
    /// Documents in the index, counted as the term statistics are: deleted ones included.
    total: u64,
    docs: HashMap<Term, u64>,
}

impl<'s> Weighing<'s> {
    fn new(searcher: &'s tantivy::Searcher) -> Weighing<'s> {
        let total = searcher
            .segment_readers()
            .iter()
            .map(|s| u64::from(s.max_doc()))
            .sum();
        Weighing {
            searcher,
            total,
            docs: HashMap::new(),
        }
    }

    /// The [`LIKE_TERMS`] words (title and body) and themes that say most about a text, with
    /// their weights, heaviest first; only words that at least `found_in` projects have.
    fn terms(
        &mut self,
        f: Fields,
        title: &str,
        body: &str,
        themes: &[String],
        found_in: u64,
    ) -> Vec<(f32, Term)> {
        let mut counts: HashMap<Term, usize> = HashMap::new();
        let mut analyser = analyser();
        for (field, text) in [(f.title, title), (f.body, body)] {
            let mut stream = analyser.token_stream(text);
            while stream.advance() {
                let word = &stream.token().text;
                if word.chars().count() >= 3 {
                    *counts
                        .entry(Term::from_field_text(field, word))
                        .or_default() += 1;
                }
            }
        }
        for theme in themes {
            *counts
                .entry(Term::from_field_text(f.themes, theme))
                .or_default() += 1;
        }
        let total = self.total;
        let mut weighed: Vec<(f32, Term)> = counts
            .into_iter()
            .filter_map(|(term, n)| {
                let docs = match self.docs.get(&term) {
                    Some(docs) => *docs,
                    None => {
                        let docs = self.searcher.doc_freq(&term).ok()?.min(total);
                        self.docs.insert(term.clone(), docs);
                        docs
                    }
                };
                // A word only this project uses finds nothing else.
                (docs >= found_in).then(|| {
                    let idf = ((total - docs) as f32 + 0.5) / (docs as f32 + 0.5);
                    (n as f32 * idf.ln_1p(), term)
                })
            })
            .collect();
        weighed.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
        weighed.truncate(LIKE_TERMS);
        weighed
    }
}

/// The search index being changed; see [`Search::writing`].
pub(crate) struct Writing<'a> {
    search: &'a Search,
    writer: std::sync::MutexGuard<'a, IndexWriter>,
}

impl Writing<'_> {
    /// Puts these projects in (replacing what the index had of them) and takes those out, as
    /// one commit; searches see it when this returns.
    pub(crate) fn change(mut self, saved: &[Project], removed: &[i64]) {
        self.apply(saved, removed);
    }

    /// Empties the index and fills it with `projects` (after a bulk load).
    pub(crate) fn replace(&mut self, projects: &[Project]) {
        if let Err(e) = self.writer.delete_all_documents() {
            tracing::error!(error = %e, "the search index was not emptied");
        }
        self.apply(projects, &[]);
    }

    fn apply(&mut self, saved: &[Project], removed: &[i64]) {
        if saved.is_empty() && removed.is_empty() {
            return;
        }
        let search = self.search;
        let id = search.fields.id;
        for gone in removed.iter().copied().chain(saved.iter().map(|p| p.id)) {
            self.writer
                .delete_term(Term::from_field_u64(id, gone as u64));
        }
        for p in saved {
            // Only a writer that has died refuses a document; say it loudly.
            if let Err(e) = self.writer.add_document(search.document(p)) {
                tracing::error!(error = %e, project = p.id, "the search index did not take a project");
            }
        }
        if let Err(e) = self.writer.commit() {
            tracing::error!(error = %e, "the search index did not commit");
        }
        if let Err(e) = search.reader.reload() {
            tracing::error!(error = %e, "the search index did not reload");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn project(id: i64, title: &str, summary: &str, themes: &[&str]) -> Project {
        let mut data = stip_core::demo::generate(1, 1, 1).projects.remove(0).data;
        data.title = title.into();
        data.summary = summary.into();
        data.description = String::new();
        data.case_summary = String::new();
        data.themes = themes.iter().map(|t| t.to_string()).collect();
        Project {
            id,
            institution_id: id,
            institution_brin: stip_core::institution::BrinCode::parse("25LN").unwrap(),
            institution_name: "Horizon".into(),
            external_id: None,
            data,
            status_date: None,
            version: 1,
            created_at: String::new(),
            updated_at: String::new(),
        }
    }

    fn ids(hits: Vec<(i64, f32)>) -> Vec<i64> {
        hits.into_iter().map(|(id, _)| id).collect()
    }

    #[test]
    fn a_word_finds_its_other_forms_and_compounds_are_not_guessed() {
        let search = Search::new(&[
            project(1, "Digitale leermiddelen", "", &["a"]),
            project(2, "Leermiddelenbeleid", "", &["a"]),
            project(3, "Roosters", "Een leermiddel voor iedereen", &["a"]),
            project(4, "Financiële administratie", "", &["a"]),
        ]);
        let mut found = ids(search.hits("leermiddel"));
        found.sort();
        assert_eq!(found, [1, 3]);
        assert_eq!(ids(search.hits("digitale leermiddelen")), [1]);
        assert_eq!(ids(search.hits("financiele")), [4], "accents do not matter");
        assert_eq!(
            ids(search.hits("de")),
            Vec::<i64>::new(),
            "a stop word finds nothing"
        );
    }

    #[test]
    fn changes_are_searched_at_once() {
        let search = Search::new(&[project(1, "Roosters", "", &["a"])]);
        search
            .writing()
            .change(&[project(1, "Leerlingvolgsysteem", "", &["a"])], &[]);
        assert!(search.hits("roosters").is_empty());
        assert_eq!(ids(search.hits("leerlingvolgsysteem")), [1]);
        search.writing().change(&[], &[1]);
        assert!(search.hits("leerlingvolgsysteem").is_empty());
    }

    #[test]
    fn similar_projects_are_found_also_after_saves_and_deletes() {
        let search = Search::new(&[]);
        let own = project(1, "Dashboards voor studievoortgang", "", &["data"]);
        let peer = project(
            2,
            "Learning analytics dashboard studiesucces",
            "",
            &["data"],
        );
        let other = project(3, "Roosters", "Een nieuw roosterpakket", &["logistiek"]);
        // One save at a time, and every project saved twice: deleted documents stay counted
        // in the index until a merge.
        for round in 0..2 {
            for p in [&own, &peer, &other] {
                search.writing().change(std::slice::from_ref(p), &[]);
            }
            search.writing().change(&[], &[3 + round]);
        }
        let like = ids(search.like(&own));
        assert_eq!(like.first(), Some(&1), "a project is most like itself");
        assert_eq!(like.get(1), Some(&2));
        assert!(!like.contains(&3));
    }

    #[test]
    fn a_snippet_reads_as_text_not_markdown() {
        let mut p = project(1, "Roosters", "", &["a"]);
        p.data.description = "## Aanleiding\n\nWe kiezen *digitale leermiddelen* uit.".into();
        let search = Search::new(std::slice::from_ref(&p));
        let s = search.snippet("leermiddel", &p);
        assert!(
            s.text
                .starts_with("Aanleiding We kiezen digitale leermiddelen"),
            "{}",
            s.text
        );
    }

    #[test]
    fn a_snippet_marks_the_words_found() {
        let p = project(
            1,
            "Roosters",
            "Wij kopen nieuwe digitale leermiddelen in.",
            &["a"],
        );
        let search = Search::new(std::slice::from_ref(&p));
        let s = search.snippet("leermiddel", &p);
        assert_eq!(
            s.marked
                .iter()
                .map(|r| &s.text[r.clone()])
                .collect::<Vec<_>>(),
            ["leermiddelen"]
        );
    }
}
