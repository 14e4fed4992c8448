// SPDX-License-Identifier: GPL-3.0-or-later
// Pack: the in-memory model of a procedure pack (docs/pack-format.md) and its loader.
// load_pack() parses and validates every file and is exactly what `kioskctl pack check`
// runs; a pack with no error diagnostics is safe to evaluate.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/date.h"
#include "core/diagnostic.h"
#include "core/expr.h"

namespace kiosk::core {

// Relative path ("rules.yaml", "messages/ja.po") -> file bytes. The source may be a
// folder, bytes embedded in the binary, a SQLite store or an archive.
using PackFiles = std::map<std::string, std::string>;

// Reads every regular file under `dir` (recursively, '/'-separated relative paths).
// nullopt and *error when the folder cannot be read. Files above 16 MiB are refused.
std::optional<PackFiles> read_pack_dir(const std::filesystem::path& dir, std::string* error);

constexpr int kSupportedPackFormat = 1;

// Compares dotted version strings numerically ("2026.11.27" < "2026.11.100"); -1, 0, 1.
int compare_versions(const std::string& a, const std::string& b);

enum class TranslationStatus { Reviewed, Draft, Machine };

struct LanguageInfo {
  std::string tag;  // BCP 47, e.g. "pt-BR"
  TranslationStatus status = TranslationStatus::Draft;
  std::string note;
};

struct Source {
  std::string id, title, url;
  std::optional<Date> verified;
  bool official = false;
  bool uncertain = false;
};

struct Manifest {
  int format = 0;
  std::string id, version, min_app_version;
  std::string title_id, notice_id;  // message ids
  std::string base_language, office_language;
  std::string reviewer_name;
  std::optional<Date> reviewer_date;
  std::vector<LanguageInfo> languages;
  std::vector<Source> sources;
};

struct HelpPlace {
  std::string id, name_id, phone, hours_id, source_id;
  std::vector<std::string> languages;
};

struct Document {
  std::string id, name_id, official_name, note_id, source_id;
};

struct CitedText {  // a fee or a deadline: a message and the source it rests on
  std::string text_id, source_id;
};

struct Procedure {
  std::string id, title_id, summary_id, official_name, where_id, check_id;
  std::vector<std::string> step_ids;
  std::vector<Document> documents;
  std::vector<CitedText> fees, deadlines;
  std::vector<std::string> help_ids;
};

enum class QuestionType { YesNo, OneOf, SeveralOf, Date, Number };

struct QuestionOption {
  std::string id, text_id;
};

struct Question {
  std::string id;
  QuestionType type = QuestionType::YesNo;
  std::string text_id, help_id;
  bool allow_unknown = false;
  std::string show_if_text;             // empty when always shown
  std::shared_ptr<const Expr> show_if;  // null when always shown
  std::vector<std::string> check_ids;   // empty: asked by every check
  std::vector<QuestionOption> options;  // one_of / several_of
  std::vector<std::string> option_ids;  // same ids, for the type checker
  std::optional<double> min, max;       // number bounds
  bool asked_by(const std::string& check_id) const;
  const QuestionOption* find_option(const std::string& id) const;
};

struct Fact {
  std::string name, text;
  std::shared_ptr<const Expr> expr;
  ValueType type = ValueType::Bool;
};

enum class Outcome { NotApplicable, Ready, Action, Blocker };
enum class Responsible { Self, Employer, School, Agency, Other };

const char* outcome_name(Outcome o);          // "not_applicable", "ready", "action", "blocker"
const char* responsible_name(Responsible r);  // "self", "employer", ...
std::optional<Outcome> parse_outcome(std::string_view s);
std::optional<Responsible> parse_responsible(std::string_view s);

struct NamedExpr {
  std::string name, text;
  std::shared_ptr<const Expr> expr;  // null when the text did not parse
};

struct Rule {
  std::string id, check_id;
  NamedExpr applies_if;  // expr null: always applies
  NamedExpr when;
  Outcome outcome = Outcome::Action;  // when `when` holds
  std::string message_id, remedy_id;
  Responsible responsible = Responsible::Self;
  std::vector<std::string> help_ids;
  NamedExpr deadline;             // expr null: no deadline
  std::vector<NamedExpr> values;  // sorted by name
  std::string source_id;
};

// One language's catalogue: message id -> ICU MessageFormat pattern (non-empty only).
struct Catalogue {
  std::string tag;
  std::map<std::string, std::string> messages;
};

struct Pack {
  Manifest manifest;
  std::vector<Procedure> procedures;
  std::vector<Question> questions;  // in file order: the order they are asked
  std::vector<Fact> facts;          // in dependency order: a fact only reads earlier facts
  std::vector<Rule> rules;          // in file order
  std::vector<HelpPlace> help;
  std::map<std::string, Catalogue> catalogues;  // by language tag (parsed at load)
  // Recorded audio (audio/<tag>/<message id>.wav): tag -> message id -> WAV file bytes.
  std::map<std::string, std::map<std::string, std::string>> recordings;

  const Question* find_question(const std::string& id) const;
  const Fact* find_fact(const std::string& name) const;
  const Rule* find_rule(const std::string& id) const;
  const Procedure* find_procedure(const std::string& id) const;
  const HelpPlace* find_help(const std::string& id) const;
  const Source* find_source(const std::string& id) const;
  // A language's catalogue, parsed now if loading deferred it (thread-safe); null if none.
  const Catalogue* catalogue(const std::string& tag) const;
  // The recording of a message in exactly this language (no fallback), or null.
  const std::string* recording(const std::string& tag, const std::string& message_id) const;
  // Every check id named by a rule, sorted.
  std::vector<std::string> check_ids() const;
  // Percentage (0..100, rounded down) of base-language messages present in `tag`.
  int completeness_percent(const std::string& tag) const;
  // Keeps a catalogue's PO text to parse on first use (LoadOptions::defer_catalogues).
  void defer_catalogue(const std::string& tag, std::string po_text);

  // Builds the id -> position maps the find_* lookups use (load_pack does it; call it again
  // after editing questions or facts by hand). Without it the lookups scan the vectors.
  void build_index();

 private:
  std::map<std::string, size_t> question_index_, fact_index_;
  struct DeferredCatalogues;
  std::shared_ptr<DeferredCatalogues> deferred_;  // shared by copies: same text, same result
};

struct LoadResult {
  std::shared_ptr<const Pack> pack;     // null when an error was found
  std::vector<Diagnostic> diagnostics;  // sorted by file, line, column
  // Each listed language's completeness in percent, in manifest order; filled even when
  // there are errors (as far as the catalogues could be read).
  std::vector<std::pair<std::string, int>> completeness;
  bool ok() const { return pack != nullptr; }
};

// Parses and validates every file. Never throws and never crashes, however broken the
// input. `app_version` is compared with the manifest's min_app_version.
struct LoadOptions {
  // Compile every message with ICU to report MessageFormat syntax errors and check rule
  // placeholders (what `kioskctl pack check` and sync's install do). The kiosk's start skips
  // it for a pack already checked: a message that does not compile still falls back along
  // the locale chain when it is formatted, so nothing broken reaches a user.
  bool check_messages = true;
  // Parse only the base language's catalogue now; keep the others as text and parse each
  // on first use (Pack::catalogue). For the kiosk's start, with a pack already checked: a
  // visitor picks one language, so the other twenty are never parsed. Implies no message
  // checks and no completeness warnings for the deferred languages (LoadResult::completeness
  // lists only the parsed ones).
  bool defer_catalogues = false;
};

LoadResult load_pack(const PackFiles& files, const std::string& app_version = KIOSK_APP_VERSION,
                     const LoadOptions& options = {});

// How many times load_pack() has run in this process (any thread): lets tests check that a
// start parses and validates its pack once.
int64_t load_pack_calls();

}  // namespace kiosk::core
