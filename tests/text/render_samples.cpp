// SPDX-License-Identifier: GPL-3.0-or-later
// Renders sample strings (one per language, plus wrapped and bidi cases) into a PNG so
// people can look at the shaping and ordering:  text_render_samples out.png
#include <png.h>

#include <cstdio>
#include <string>
#include <vector>

#include "kiosk/text/text_engine.h"

namespace {

bool write_png(const char* path, const kiosk::text::RgbaImage& image) {
  FILE* file = std::fopen(path, "wb");
  if (!file) return false;
  png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, nullptr, nullptr, nullptr);
  png_infop info = png_create_info_struct(png);
  if (setjmp(png_jmpbuf(png))) {
    png_destroy_write_struct(&png, &info);
    std::fclose(file);
    return false;
  }
  png_init_io(png, file);
  png_set_IHDR(png, info, image.width, image.height, 8, PNG_COLOR_TYPE_RGBA, PNG_INTERLACE_NONE,
               PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
  png_write_info(png, info);
  for (int y = 0; y < image.height; ++y) {
    png_write_row(png,
                  const_cast<png_bytep>(&image.pixels[static_cast<size_t>(y) * image.width * 4]));
  }
  png_write_end(png, nullptr);
  png_destroy_write_struct(&png, &info);
  return std::fclose(file) == 0;
}

struct Sample {
  const char* lang;
  bool rtl;
  const char* text;
};

const Sample kSamples[] = {
    {"en", false, "Renew your residence card before it expires."},
    {"ja", false, "在留カードの更新申請は、期限の3か月前からできます。"},
    {"zh-Hans", false, "请在在留卡到期前申请更新。"},
    {"zh-Hant", false, "請在在留卡到期前申請更新。"},
    {"ko", false, "체류 카드 갱신을 신청하세요."},
    {"vi", false, "Gia hạn thẻ cư trú trước khi hết hạn."},
    {"ne", false, "निवास कार्डको म्याद सकिनु अघि नवीकरण गर्नुहोस्।"},
    {"bn", false, "মেয়াদ শেষ হওয়ার আগে আবাসিক কার্ড নবায়ন করুন।"},
    {"ta", false, "குடியிருப்பு அட்டையை புதுப்பிக்கவும்"},
    {"si", false, "පදිංචි කාඩ්පත අලුත් කරන්න"},
    {"th", false, "กรุณายื่นคำร้องก่อนบัตรหมดอายุ โทร 0570-013904"},
    {"km", false, "សូមដាក់ពាក្យមុនពេលកាតផុតកំណត់"},
    {"my", false, "နေထိုင်ခွင့်ကတ်သက်တမ်းမကုန်မီ လျှောက်ထားပါ။"},
    {"mn", false, "Оршин суух үнэмлэхээ сунгана уу."},
    {"uk", false, "Продовжте посвідку на проживання вчасно."},
    {"ti", false, "ናይ መንበሪ ካርድኹም ኣሐድሱ።"},
    {"ar", true, "اتصل بـ FRESC على 0570-013904 للمساعدة (مجانًا)"},
    {"ar", true, "موعدك في 2026-11-27 الساعة 10:30"},
    {"fa", true, "تاریخ مراجعه: ۱۴۰۵/۰۹/۰۶ ساعت ۱۰"},
    {"ur", true, "اپنا رہائشی کارڈ میعاد ختم ہونے سے پہلے تجدید کریں"},
};

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: %s out.png\n", argv[0]);
    return 2;
  }
  kiosk::text::TextEngine engine;
  std::string error;
  if (!engine.init(&error)) {
    std::fprintf(stderr, "text_render_samples: %s\n", error.c_str());
    return 1;
  }
  constexpr int kWidth = 900, kMargin = 20;
  std::vector<std::pair<const kiosk::text::Layout*, float>> placed;
  float y = kMargin;
  for (const Sample& s : kSamples) {
    kiosk::text::TextStyle style;
    style.lang = s.lang;
    style.size_px = 28;
    style.rtl_context = s.rtl;
    style.wrap_width = kWidth - 2 * kMargin;
    const kiosk::text::Layout& layout = engine.layout(s.text, style);
    placed.emplace_back(&layout, y);
    y += layout.height + 6;
  }
  kiosk::text::TextStyle wrapped;
  wrapped.lang = "my";
  wrapped.size_px = 24;
  wrapped.wrap_width = 300;
  const kiosk::text::Layout& my =
      engine.layout("ပတ်စပို့နှင့်နေထိုင်ခွင့်ကတ်ကိုယူဆောင်လာပါ။ လူဝင်မှုကြီးကြပ်ရေးရုံးတွင်လျှောက်ထားနိုင်ပါသည်။", wrapped);
  placed.emplace_back(&my, y);
  y += my.height + 6;
  wrapped.lang = "ar";
  wrapped.rtl_context = true;
  const kiosk::text::Layout& ar = engine.layout(
      "موعدك في 2026-11-27 الساعة 10:30 في مكتب الهجرة الإقليمي، اتصل بـ FRESC على 0570-013904",
      wrapped);
  placed.emplace_back(&ar, y);
  y += ar.height + 6;
  wrapped.lang = "ur";
  const kiosk::text::Layout& ur = engine.layout(
      "اپنا رہائشی کارڈ میعاد ختم ہونے سے پہلے تجدید کریں۔ مدد کے لیے FRESC سے 0570-013904 پر "
      "رابطہ کریں۔",
      wrapped);
  placed.emplace_back(&ur, y);
  y += ur.height + 6;
  wrapped.lang = "km";
  wrapped.rtl_context = false;
  const kiosk::text::Layout& km =
      engine.layout("សូមយកលិខិតឆ្លងដែននិងកាតស្នាក់នៅមកជាមួយ។ អ្នកអាចដាក់ពាក្យនៅការិយាល័យអន្តោប្រវេសន៍។", wrapped);
  placed.emplace_back(&km, y);
  y += km.height + kMargin;

  kiosk::text::RgbaImage image(kWidth, static_cast<int>(y), 0xFFFFFFFF);
  for (const auto& [layout, top] : placed) {
    engine.render(image, *layout, ImVec2(kMargin, top), 0x202020FF);
  }
  if (!write_png(argv[1], image)) {
    std::fprintf(stderr, "text_render_samples: cannot write %s\n", argv[1]);
    return 1;
  }
  std::printf("text_render_samples: wrote %s (%dx%d)\n", argv[1], image.width, image.height);
  return 0;
}
