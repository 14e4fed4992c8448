// SPDX-License-Identifier: GPL-3.0-or-later
// Text engine benchmarks, headless (CPU atlas; GL texture upload is not included).
//  - BM_SwitchLanguage/<lang>: a content screen (about 30 strings: title, paragraphs, steps,
//    documents, buttons) laid out and drawn from a fresh engine: fonts opened, every string
//    shaped and wrapped, every glyph rasterised. Target: <= 50 ms.
//  - BM_SteadyFrame/<lang>: the same screen again with everything cached, as every frame of
//    a static screen. Target: <= 1 ms.
#include <benchmark/benchmark.h>

#include <string>
#include <vector>

#include "kiosk/text/text_engine.h"

namespace {

using kiosk::text::TextEngine;
using kiosk::text::TextStyle;

struct Screen {
  const char* lang;
  std::vector<std::string> title_and_paragraphs;  // first is the title
  std::vector<std::string> items;                 // steps and documents
  std::vector<std::string> buttons;
};

std::vector<std::string> numbered(const std::vector<std::string>& base, int count) {
  std::vector<std::string> out;
  for (int i = 0; i < count; ++i) {
    out.push_back(std::to_string(i + 1) + ". " + base[static_cast<size_t>(i) % base.size()]);
  }
  return out;
}

const std::vector<Screen>& screens() {
  static const std::vector<Screen> all = {
      {"zh-Hans",
       {"在留卡更新申请",
        "在留期间即将届满时，请在到期前三个月内向地方出入国在留管理局申请更新。申请时需要本人到场，"
        "或由符合条件的代理人办理。",
        "请准备护照、在留卡、照片（长4厘米×宽3厘米）以及证明您在日本活动内容的资料。根据在留资格不"
        "同，"
        "所需材料也会有所不同。",
        "审查通常需要两周到一个月。审查期间，您可以在原在留期间届满后两个月内继续合法居住。",
        "如有疑问，请联系外国人在留综合信息中心：0570-013904（工作日8:30至17:15）。"},
       numbered(
           {"填写在留期间更新许可申请书", "准备证件照片", "提交护照和在留卡", "缴纳手续费4,000日元",
            "领取新的在留卡", "确认工作单位的证明材料", "携带住民票", "保留受理回执"},
           18),
       {"返回", "下一步", "打印清单", "朗读", "更改语言", "结束"}},
      {"ja",
       {"在留カードの更新申請",
        "在留期間の満了日が近づいたら、満了日の3か月前から地方出入国在留管理局で更新の申請ができま"
        "す。"
        "申請は本人が行うか、一定の条件を満たす代理人が行います。",
        "旅券、在留カード、写真（縦4cm×横3cm）と、日本での活動内容を証明する資料を用意してください"
        "。"
        "必要な書類は在留資格によって異なります。",
        "審査には通常2週間から1か月かかります。審査中は、満了日から2か月間は引き続き在留できます。",
        "ご不明な点は外国人在留総合インフォメーションセンター（0570-013904、平日8:30〜17:15）へ。"},
       numbered({"在留期間更新許可申請書を書く", "写真を用意する", "旅券と在留カードを出す",
                 "手数料4,000円を納める", "新しい在留カードを受け取る", "勤務先の証明書を確認する",
                 "住民票を持参する", "受付票を保管する"},
                18),
       {"戻る", "次へ", "リストを印刷", "読み上げ", "言語を変える", "終了"}},
      {"ar",
       {"تجديد بطاقة الإقامة",
        "عندما تقترب نهاية مدة إقامتك، يمكنك تقديم طلب التجديد في مكتب الهجرة الإقليمي ابتداءً من "
        "ثلاثة "
        "أشهر قبل تاريخ الانتهاء. يقدم الطلب بنفسك أو عن طريق وكيل مؤهل.",
        "جهّز جواز السفر وبطاقة الإقامة وصورة (4 سم × 3 سم) ومستندات تثبت نشاطك في اليابان. تختلف "
        "المستندات المطلوبة حسب نوع الإقامة.",
        "تستغرق المراجعة عادة من أسبوعين إلى شهر. خلال المراجعة يمكنك البقاء لمدة شهرين بعد تاريخ "
        "الانتهاء.",
        "للاستفسار اتصل بمركز FRESC على 0570-013904 (أيام العمل 8:30 إلى 17:15)."},
       numbered({"املأ نموذج طلب التجديد", "جهّز صورة شخصية", "قدّم جواز السفر وبطاقة الإقامة",
                 "ادفع الرسوم 4,000 ين", "استلم بطاقة الإقامة الجديدة", "تحقق من شهادة جهة العمل",
                 "أحضر شهادة الإقامة", "احتفظ بإيصال الاستلام"},
                18),
       {"رجوع", "التالي", "طباعة القائمة", "قراءة بصوت عال", "تغيير اللغة", "إنهاء"}},
      {"my",
       {"နေထိုင်ခွင့်ကတ် သက်တမ်းတိုးလျှောက်ထားခြင်း",
        "နေထိုင်ခွင့်သက်တမ်း ကုန်ဆုံးရန် သုံးလအလိုမှစ၍ ဒေသဆိုင်ရာ လူဝင်မှုကြီးကြပ်ရေးရုံးတွင် "
        "သက်တမ်းတိုးလျှောက်ထားနိုင်ပါသည်။",
        "ပတ်စပို့၊ နေထိုင်ခွင့်ကတ်၊ ဓာတ်ပုံနှင့် ဂျပန်တွင် လုပ်ဆောင်နေသည့်အကြောင်းကို သက်သေပြသည့် "
        "စာရွက်စာတမ်းများကို ပြင်ဆင်ပါ။",
        "စိစစ်ခြင်းသည် ပုံမှန်အားဖြင့် နှစ်ပတ်မှ တစ်လအထိ ကြာပါသည်။", "မေးမြန်းလိုပါက 0570-013904 သို့ ဆက်သွယ်ပါ။"},
       numbered({"လျှောက်လွှာဖြည့်ပါ", "ဓာတ်ပုံပြင်ဆင်ပါ", "ပတ်စပို့နှင့်ကတ်ကိုတင်ပြပါ", "ကြေး ၄,၀၀၀ ယန်း ပေးဆောင်ပါ",
                 "ကတ်အသစ်ကို လက်ခံပါ", "အလုပ်ရှင်၏ထောက်ခံစာ", "နေထိုင်မှုမှတ်ပုံတင်", "လက်ခံဖြတ်ပိုင်းကိုသိမ်းပါ"},
                18),
       {"နောက်သို့", "ရှေ့သို့", "ပုံနှိပ်ရန်", "အသံဖြင့်ဖတ်ရန်", "ဘာသာစကားပြောင်းရန်", "ပြီးပါပြီ"}},
  };
  return all;
}

// Lays out and draws the whole screen into the current ImGui window, like a screen does.
void draw_screen(TextEngine& engine, const Screen& screen) {
  const bool rtl = kiosk::text::is_rtl_language(screen.lang);
  ImGui::NewFrame();
  ImGui::SetNextWindowPos(ImVec2(0, 0));
  ImGui::SetNextWindowSize(ImVec2(1080, 1920));
  ImGui::Begin("content");
  TextStyle style;
  style.lang = screen.lang;
  style.rtl_context = rtl;
  for (size_t i = 0; i < screen.title_and_paragraphs.size(); ++i) {
    style.size_px = i == 0 ? 44.0f : 26.0f;
    style.bold = i == 0;
    style.wrap_width = 1000;
    kiosk::text::Label(engine, screen.title_and_paragraphs[i], style, IM_COL32_WHITE);
  }
  style.size_px = 24;
  style.bold = false;
  for (const std::string& item : screen.items) {
    kiosk::text::Label(engine, item, style, IM_COL32_WHITE);
  }
  style.size_px = 28;
  style.bold = true;
  style.wrap_width = 300;
  style.align = TextStyle::Center;
  for (const std::string& button : screen.buttons) {
    kiosk::text::Label(engine, button, style, IM_COL32_WHITE);
  }
  ImGui::End();
  ImGui::Render();
}

struct ImGuiSession {
  ImGuiSession() {
    ImGui::CreateContext();
    ImGuiIO& io = ImGui::GetIO();
    io.DisplaySize = ImVec2(1080, 1920);
    io.IniFilename = nullptr;
    unsigned char* pixels = nullptr;
    int w = 0, h = 0;
    io.Fonts->GetTexDataAsAlpha8(&pixels, &w, &h);
  }
  ~ImGuiSession() { ImGui::DestroyContext(); }
};

size_t string_count(const Screen& s) {
  return s.title_and_paragraphs.size() + s.items.size() + s.buttons.size();
}

void BM_SwitchLanguage(benchmark::State& state) {
  const Screen& screen = screens()[static_cast<size_t>(state.range(0))];
  ImGuiSession imgui;
  draw_screen(*std::make_unique<TextEngine>(), screen);  // ImGui's first frame hides windows
  uint64_t glyphs = 0, shapes = 0;
  for (auto _ : state) {
    state.PauseTiming();
    auto engine = std::make_unique<TextEngine>();
    std::string error;
    if (!engine->init(&error)) state.SkipWithError(error.c_str());
    state.ResumeTiming();
    engine->new_frame();
    draw_screen(*engine, screen);
    glyphs = engine->stats().glyphs_rasterised;
    shapes = engine->stats().shapes;
    state.PauseTiming();
    engine.reset();  // closing fonts is not part of the switch
    state.ResumeTiming();
  }
  state.SetLabel(std::string(screen.lang) + ": " + std::to_string(string_count(screen)) +
                 " strings, " + std::to_string(shapes) + " shapes, " + std::to_string(glyphs) +
                 " glyphs rasterised");
}

void BM_SteadyFrame(benchmark::State& state) {
  const Screen& screen = screens()[static_cast<size_t>(state.range(0))];
  ImGuiSession imgui;
  TextEngine engine;
  std::string error;
  if (!engine.init(&error)) state.SkipWithError(error.c_str());
  draw_screen(engine, screen);
  draw_screen(engine, screen);
  const uint64_t shapes = engine.stats().shapes;
  for (auto _ : state) {
    engine.new_frame();
    draw_screen(engine, screen);
  }
  if (engine.stats().shapes != shapes) state.SkipWithError("a steady frame shaped text");
  state.SetLabel(std::string(screen.lang) + ": whole ImGui frame incl. NewFrame/Render");
}

// Start-up share of the text engine: init() (checks font files, opens none) and the first
// frame of the welcome screen title in English (opens Noto Sans, shapes, rasterises).
void BM_ColdStart(benchmark::State& state) {
  ImGuiSession imgui;
  draw_screen(*std::make_unique<TextEngine>(), screens()[0]);
  for (auto _ : state) {
    auto engine = std::make_unique<TextEngine>();
    std::string error;
    if (!engine->init(&error)) state.SkipWithError(error.c_str());
    ImGui::NewFrame();
    ImGui::Begin("welcome");
    TextStyle style;
    style.lang = "en";
    style.size_px = 44;
    style.bold = true;
    kiosk::text::Label(*engine, "Welcome. Choose your language.", style, IM_COL32_WHITE);
    ImGui::End();
    ImGui::Render();
    state.PauseTiming();  // destroying the engine is not start-up
    engine.reset();
    state.ResumeTiming();
  }
  state.SetLabel("init + first English title");
}

BENCHMARK(BM_ColdStart)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_SwitchLanguage)->DenseRange(0, 3)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_SteadyFrame)->DenseRange(0, 3)->Unit(benchmark::kMicrosecond);

}  // namespace

BENCHMARK_MAIN();
