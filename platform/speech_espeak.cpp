// SPDX-License-Identifier: GPL-3.0-or-later
// platform/speech_espeak.cpp: speech through espeak-ng, synthesised into memory
// (AUDIO_OUTPUT_SYNCHRONOUS + a synth callback) and played through AudioOut.
//
// espeak-ng keeps global state and is not thread-safe, so every call into it holds
// espeak_mutex(). Speaker synthesises on its own worker thread and streams each chunk to
// the audio device as it is produced, so speech starts after the first chunk and the UI
// thread never waits for synthesis.
//
// libespeak-ng is opened on first use (platform/lazy_library.h), not linked: a kiosk where
// nobody turns on read-aloud never loads it. When it cannot be loaded, no language has a
// voice (the UI says so calmly) and speech_engine_error() names the library.
#include <espeak-ng/speak_lib.h>

#include <algorithm>
#include <condition_variable>
#include <cstring>
#include <functional>
#include <mutex>
#include <set>
#include <thread>

#include "platform/audio_out.h"
#include "platform/lazy_library.h"
#include "platform/log.h"
#include "platform/speech.h"

namespace kiosk::platform {
namespace {

// Every espeak-ng function this file calls; members drop the "espeak_" prefix.
// clang-format off
#define KIOSK_ESPEAK_FUNCTIONS(X) \
  X(Initialize) X(SetSynthCallback) X(ListVoices) X(SetVoiceByProperties) X(TextToPhonemes) X(Synth)
// clang-format on

struct EspeakApi {
#define KIOSK_ESPEAK_MEMBER(name) decltype(&::espeak_##name) name = nullptr;
  KIOSK_ESPEAK_FUNCTIONS(KIOSK_ESPEAK_MEMBER)
#undef KIOSK_ESPEAK_MEMBER
};

void resolve_espeak(EspeakApi& api, SymbolResolver& r) {
#define KIOSK_ESPEAK_RESOLVE(name) r.resolve(api.name, "espeak_" #name);
  KIOSK_ESPEAK_FUNCTIONS(KIOSK_ESPEAK_RESOLVE)
#undef KIOSK_ESPEAK_RESOLVE
}

// Debian 12: libespeak-ng1 ships libespeak-ng.so.1.
constinit LazyLibrary<EspeakApi> g_espeak("libespeak-ng.so.1", resolve_espeak);

std::mutex& espeak_mutex() {
  static std::mutex m;
  return m;
}

// Where the synth callback sends samples; travels through espeak as `user_data`.
// Returning false from on_samples aborts synthesis.
struct SynthSink {
  std::function<bool(const int16_t*, size_t)> on_samples;
};

int synth_callback(short* wav, int count, espeak_EVENT* events) {
  auto* sink = events ? static_cast<SynthSink*>(events->user_data) : nullptr;
  if (!sink || !wav || count <= 0) return 0;
  return sink->on_samples(reinterpret_cast<const int16_t*>(wav), static_cast<size_t>(count)) ? 0
                                                                                             : 1;
}

struct Engine {
  const EspeakApi* api = nullptr;   // set whenever sample_rate > 0
  std::string error;                // why espeak-ng could not start, for staff
  int sample_rate = 0;              // 0: espeak-ng could not start (no library or data files)
  std::set<std::string> languages;  // every language an installed voice declares
  std::set<std::string> misreads;   // installed voices that fail their own-script probe
};

// Each language's own name in its own script: a voice that cannot read this cannot read
// the kiosk's text either. Debian 12's espeak-ng 1.51 fails two of them: "ja" reads only
// kana (every kanji comes out as "Chinese letter" in English) and "cmn" reads the pinyin
// tone digits aloud as English numbers (espeak-ng issues #1044 and #1370, fixed after 1.51).
struct Probe {
  const char* voice;
  const char* text;
};
constexpr Probe kProbes[] = {
    {"ja", "日本語"}, {"cmn", "中文"},   {"yue", "粵語"},   {"ko", "한국어"}, {"vi", "Tiếng Việt"},
    {"ne", "नेपाली"},  {"th", "ภาษาไทย"}, {"my", "မြန်မာ"},   {"si", "සිංහල"},   {"bn", "বাংলা"},
    {"ta", "தமிழ்"},   {"ur", "اردو"},    {"ar", "العربية"}, {"fa", "فارسی"},  {"uk", "Українська"},
    {"tr", "Türkçe"}, {"hi", "हिन्दी"},   {"ru", "Русский"}, {"km", "ខ្មែរ"},   {"mn", "Монгол"},
};

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    if (c == '_') c = '-';
  }
  return out;
}

// Reads espeak_VOICE::languages: pairs of (priority byte, NUL-terminated name), then 0.
void collect_languages(const espeak_VOICE* voice, std::set<std::string>* out) {
  const char* p = voice->languages;
  while (p && *p) {
    const char* name = p + 1;  // skip the priority byte
    out->insert(lower(name));
    p = name + std::strlen(name) + 1;
  }
}

bool select_voice_locked(const EspeakApi& espeak, const std::string& voice) {
  espeak_VOICE spec{};
  spec.languages = voice.c_str();
  return espeak.SetVoiceByProperties(&spec) == EE_OK;
}

// True when the selected voice `voice` reads `utf8_text` without switching to English:
// espeak-ng marks such a switch with "(en)" in its phoneme output, which is what it does
// for characters its dictionary lacks (it spells them out with English letter names).
// Caller holds espeak_mutex().
bool reads_own_script_locked(const EspeakApi& espeak, const std::string& voice,
                             std::string_view utf8_text) {
  if (voice == "en") return true;
  if (!select_voice_locked(espeak, voice)) return false;
  std::string text(utf8_text);
  const void* cursor = text.c_str();
  while (cursor) {  // one clause per call; espeak sets cursor to null at the end
    const char* phonemes = espeak.TextToPhonemes(&cursor, espeakCHARS_UTF8, 0);
    if (phonemes && std::strstr(phonemes, "(en)")) return false;
  }
  return true;
}

// Starts espeak-ng once per process. Afterwards the Engine never changes, so reading it
// needs no lock: has_voice() stays instant even while a long text is being synthesised.
// Never call this while holding espeak_mutex() (the first call takes it).
const Engine& engine() {
  static Engine engine;
  static std::once_flag once;
  std::call_once(once, [] {
    const EspeakApi* api = g_espeak.get(&engine.error);
    if (!api) {
      log_warning("speech: no read-aloud: " + engine.error);
      return;
    }
    const EspeakApi& espeak = *api;
    std::lock_guard lock(espeak_mutex());
    // DONT_EXIT: without it espeak-ng calls exit() when its data files are missing.
    int rate =
        espeak.Initialize(AUDIO_OUTPUT_SYNCHRONOUS, 200, nullptr, espeakINITIALIZE_DONT_EXIT);
    if (rate <= 0) {
      engine.error = "espeak-ng could not start (espeak-ng-data not installed?)";
      log_warning("speech: no read-aloud: " + engine.error);
      return;
    }
    espeak.SetSynthCallback(synth_callback);
    for (const espeak_VOICE** v = espeak.ListVoices(nullptr); v && *v; ++v) {
      collect_languages(*v, &engine.languages);
    }
    for (const Probe& p : kProbes) {
      if (engine.languages.count(p.voice) && !reads_own_script_locked(espeak, p.voice, p.text))
        engine.misreads.insert(p.voice);
    }
    engine.api = api;
    engine.sample_rate = rate;
  });
  return engine;
}

// "speech: no voice for ne", and why when espeak-ng itself is not running.
std::string no_voice_reason(std::string_view bcp47_tag) {
  std::string reason = "speech: no voice for " + std::string(bcp47_tag);
  const std::string& why = engine().error;
  return why.empty() ? reason : reason + " (" + why + ")";
}

bool starts_with(const std::string& s, std::string_view prefix) {
  return s.size() >= prefix.size() && s.compare(0, prefix.size(), prefix) == 0 &&
         (s.size() == prefix.size() || s[prefix.size()] == '-');
}

// Synthesises under the espeak lock, sending chunks to `sink`. False on failure.
bool synthesize_locked(const EspeakApi& espeak, const std::string& voice,
                       std::string_view utf8_text, SynthSink* sink, std::string* error) {
  if (!select_voice_locked(espeak, voice)) {
    if (error) *error = "speech: espeak-ng cannot select voice " + voice;
    return false;
  }
  std::string text(utf8_text);  // espeak needs NUL termination
  espeak_ERROR status = espeak.Synth(text.c_str(), text.size() + 1, 0, POS_CHARACTER, 0,
                                     espeakCHARS_UTF8, nullptr, sink);
  if (status != EE_OK) {
    if (error) *error = "speech: espeak-ng synthesis failed for voice " + voice;
    return false;
  }
  return true;
}

}  // namespace

std::string espeak_voice_for(std::string_view bcp47_tag) {
  std::string tag = lower(bcp47_tag);
  // Chinese: the kiosk's zh-Hans and zh-Hant texts are both Mandarin (mainland and Taiwan);
  // espeak-ng's cmn dictionary reads simplified and traditional characters. Hong Kong and
  // Macau (zh-HK, zh-MO) and explicit yue are Cantonese.
  if (starts_with(tag, "yue") || tag == "zh-hk" || tag == "zh-mo" || starts_with(tag, "zh-hant-hk"))
    return "yue";
  if (starts_with(tag, "zh") || starts_with(tag, "cmn")) return "cmn";
  if (starts_with(tag, "pt-br")) return "pt-br";
  if (tag == "tl") return "fil";  // Tagalog and Filipino share one entry (no voice either way)
  // Everything else, including ja-x-easy (plain Japanese) and en-US: the primary subtag.
  return tag.substr(0, tag.find('-'));
}

std::string speech_engine_error() {
  return engine().error;
}

bool voice_installed(std::string_view bcp47_tag) {
  std::string voice = espeak_voice_for(bcp47_tag);
  const Engine& e = engine();
  return e.sample_rate > 0 && !voice.empty() && e.languages.count(voice) > 0;
}

bool has_voice(std::string_view bcp47_tag) {
  return voice_installed(bcp47_tag) && engine().misreads.count(espeak_voice_for(bcp47_tag)) == 0;
}

bool can_read(std::string_view bcp47_tag, std::string_view utf8_text) {
  if (!has_voice(bcp47_tag)) return false;
  std::lock_guard lock(espeak_mutex());
  return reads_own_script_locked(*engine().api, espeak_voice_for(bcp47_tag), utf8_text);
}

std::optional<Pcm> synthesize(std::string_view bcp47_tag, std::string_view utf8_text,
                              std::string* error) {
  if (!has_voice(bcp47_tag)) {
    if (error) *error = no_voice_reason(bcp47_tag);
    return std::nullopt;
  }
  Pcm pcm;
  pcm.sample_rate = engine().sample_rate;
  std::lock_guard lock(espeak_mutex());
  SynthSink sink{[&pcm](const int16_t* s, size_t n) {
    pcm.samples.insert(pcm.samples.end(), s, s + n);
    return true;
  }};
  if (!synthesize_locked(*engine().api, espeak_voice_for(bcp47_tag), utf8_text, &sink, error))
    return std::nullopt;
  return pcm;
}

// ---- Speaker -------------------------------------------------------------------------

struct Speaker::Impl {
  struct Job {
    std::string voice;  // empty: play `recorded` instead of synthesising
    std::string text;
    Pcm recorded;
  };

  mutable std::mutex mutex;  // guards everything below, and audio queue/clear pairs
  std::condition_variable wake;
  std::optional<Job> pending;
  uint64_t generation = 0;  // bumped by every speak/play/stop; stale work checks it
  bool busy = false;
  bool quit = false;
  std::string last_error;
  AudioOut audio;
  std::thread worker;

  // Queues samples unless the job they belong to was superseded. False aborts synthesis.
  bool queue_if_current(uint64_t job_generation, const int16_t* s, size_t n) {
    std::lock_guard lock(mutex);
    if (generation != job_generation || quit) return false;
    audio.queue(s, n);
    return true;
  }

  void run_job(Job job, uint64_t job_generation) {
    if (job.voice.empty()) {
      queue_if_current(job_generation, job.recorded.samples.data(), job.recorded.samples.size());
      return;
    }
    const Engine& e = engine();  // speak() checked has_voice(), so espeak-ng is running
    int rate = e.sample_rate;
    std::lock_guard espeak_lock(espeak_mutex());
    SynthSink sink{[&](const int16_t* s, size_t n) {
      if (rate == kAudioOutRate) return queue_if_current(job_generation, s, n);
      Pcm chunk = resample(Pcm{rate, std::vector<int16_t>(s, s + n)}, kAudioOutRate);
      return queue_if_current(job_generation, chunk.samples.data(), chunk.samples.size());
    }};
    std::string error;
    if (!synthesize_locked(*e.api, job.voice, job.text, &sink, &error)) {
      std::lock_guard lock(mutex);
      last_error = error;
    }
  }

  void loop() {
    std::unique_lock lock(mutex);
    while (true) {
      wake.wait(lock, [&] { return quit || pending.has_value(); });
      if (quit) return;
      Job job = std::move(*pending);
      pending.reset();
      uint64_t job_generation = generation;
      busy = true;
      lock.unlock();
      run_job(std::move(job), job_generation);
      lock.lock();
      busy = false;
    }
  }

  // Replaces whatever is playing with `job`. Opens the device on first use.
  bool start(Job job) {
    std::lock_guard lock(mutex);
    std::string error;
    if (!audio.open(&error)) {
      last_error = error;
      return false;
    }
    ++generation;
    audio.clear();
    pending = std::move(job);
    last_error.clear();
    wake.notify_one();
    return true;
  }
};

Speaker::Speaker() : impl_(std::make_unique<Impl>()) {
  impl_->worker = std::thread([impl = impl_.get()] { impl->loop(); });
}

Speaker::~Speaker() {
  {
    std::lock_guard lock(impl_->mutex);
    impl_->quit = true;
    ++impl_->generation;  // aborts a running synthesis at its next chunk
    impl_->audio.clear();
  }
  impl_->wake.notify_one();
  impl_->worker.join();
}

bool Speaker::speak(std::string_view bcp47_tag, std::string_view utf8_text) {
  if (!has_voice(bcp47_tag)) {
    std::lock_guard lock(impl_->mutex);
    impl_->last_error = no_voice_reason(bcp47_tag);
    return false;
  }
  return impl_->start(Impl::Job{espeak_voice_for(bcp47_tag), std::string(utf8_text), {}});
}

bool Speaker::play_audio_file(const std::filesystem::path& wav) {
  std::string error;
  auto pcm = load_wav(wav, kAudioOutRate, &error);
  if (!pcm) {
    std::lock_guard lock(impl_->mutex);
    impl_->last_error = error;
    return false;
  }
  return impl_->start(Impl::Job{"", "", std::move(*pcm)});
}

bool Speaker::play_recordings(const std::vector<std::string_view>& wavs, double pause_seconds) {
  Pcm all{kAudioOutRate, {}};
  const size_t pause = static_cast<size_t>(pause_seconds * kAudioOutRate);
  for (size_t i = 0; i < wavs.size(); ++i) {
    std::string error;
    auto pcm = decode_wav(wavs[i], kAudioOutRate, &error);
    if (!pcm) {
      std::lock_guard lock(impl_->mutex);
      impl_->last_error = "recording " + std::to_string(i + 1) + ": " + error;
      return false;
    }
    if (i > 0) all.samples.insert(all.samples.end(), pause, 0);
    all.samples.insert(all.samples.end(), pcm->samples.begin(), pcm->samples.end());
  }
  if (all.samples.empty()) return false;
  return impl_->start(Impl::Job{"", "", std::move(all)});
}

void Speaker::stop() {
  std::lock_guard lock(impl_->mutex);
  ++impl_->generation;
  impl_->pending.reset();
  impl_->audio.clear();
}

bool Speaker::speaking() const {
  std::lock_guard lock(impl_->mutex);
  return impl_->busy || impl_->pending.has_value() || impl_->audio.queued_samples() > 0;
}

std::string Speaker::last_error() const {
  std::lock_guard lock(impl_->mutex);
  return impl_->last_error;
}

}  // namespace kiosk::platform
