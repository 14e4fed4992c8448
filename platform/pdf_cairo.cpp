// SPDX-License-Identifier: GPL-3.0-or-later
// platform/pdf_cairo.cpp: printout pages (RGBA images the kiosk drew) -> an A4 PDF, in
// memory, with cairo's PDF surface. Alpha is composited over white paper here, so the PDF
// holds plain RGB images and prints the same on every driver.
//
// libcairo is opened on first use (platform/lazy_library.h): the kiosk does not link it,
// so a start without printing never loads it (nor pixman, fontconfig). Its header still
// gives every function's type.
#include <cairo-pdf.h>
#include <cairo.h>

#include <algorithm>
#include <cmath>

#include "platform/lazy_library.h"
#include "platform/print.h"

namespace kiosk::platform {
namespace {

// Every cairo function this file calls; members drop the "cairo_" prefix.
// clang-format off
#define KIOSK_CAIRO_FUNCTIONS(X)                                                           \
  X(image_surface_create) X(image_surface_get_data) X(image_surface_get_stride)            \
  X(surface_status) X(surface_flush) X(surface_mark_dirty) X(surface_finish)               \
  X(surface_destroy) X(status_to_string) X(create) X(status) X(destroy) X(save) X(restore) \
  X(scale) X(set_source_surface) X(paint) X(show_page) X(pdf_surface_create_for_stream)    \
  X(pdf_surface_set_metadata)
// clang-format on

struct CairoApi {
#define KIOSK_CAIRO_MEMBER(name) decltype(&::cairo_##name) name = nullptr;
  KIOSK_CAIRO_FUNCTIONS(KIOSK_CAIRO_MEMBER)
#undef KIOSK_CAIRO_MEMBER
};

void resolve_cairo(CairoApi& api, SymbolResolver& r) {
#define KIOSK_CAIRO_RESOLVE(name) r.resolve(api.name, "cairo_" #name);
  KIOSK_CAIRO_FUNCTIONS(KIOSK_CAIRO_RESOLVE)
#undef KIOSK_CAIRO_RESOLVE
}

// Debian 12: libcairo2 ships libcairo.so.2.
constinit LazyLibrary<CairoApi> g_cairo("libcairo.so.2", resolve_cairo);

constexpr double kA4WidthPt = 595.2756;   // 210 mm in PostScript points (1/72 inch)
constexpr double kA4HeightPt = 841.8898;  // 297 mm
constexpr int kMaxSide = 20000;           // pixels; refuses absurd sizes before allocating

cairo_status_t append_to_string(void* closure, const unsigned char* data, unsigned int length) {
  static_cast<std::string*>(closure)->append(reinterpret_cast<const char*>(data), length);
  return CAIRO_STATUS_SUCCESS;
}

bool check_page(const PageImage& page, size_t index, std::string* error) {
  std::string where = "page " + std::to_string(index + 1) + ": ";
  if (page.width <= 0 || page.height <= 0 || page.width > kMaxSide || page.height > kMaxSide) {
    *error = where + "size " + std::to_string(page.width) + "x" + std::to_string(page.height) +
             " is not between 1 and " + std::to_string(kMaxSide) + " pixels";
    return false;
  }
  size_t expected = size_t(page.width) * size_t(page.height) * 4;
  if (page.rgba.size() != expected) {
    *error = where + "has " + std::to_string(page.rgba.size()) + " bytes of RGBA, expected " +
             std::to_string(expected);
    return false;
  }
  if (!(page.dpi > 0 && page.dpi < 10000)) {
    *error = where + "dpi must be positive";
    return false;
  }
  return true;
}

// Straight RGBA -> cairo RGB24 (native-endian 0x00RRGGBB), composited over white.
cairo_surface_t* to_cairo_image(const CairoApi& cairo, const PageImage& page) {
  cairo_surface_t* img = cairo.image_surface_create(CAIRO_FORMAT_RGB24, page.width, page.height);
  if (cairo.surface_status(img) != CAIRO_STATUS_SUCCESS) return img;
  cairo.surface_flush(img);
  unsigned char* base = cairo.image_surface_get_data(img);
  int stride = cairo.image_surface_get_stride(img);
  for (int y = 0; y < page.height; ++y) {
    auto* row = reinterpret_cast<uint32_t*>(base + size_t(y) * size_t(stride));
    const uint8_t* src = page.rgba.data() + size_t(y) * size_t(page.width) * 4;
    for (int x = 0; x < page.width; ++x, src += 4) {
      uint32_t a = src[3];
      auto over_white = [a](uint32_t c) { return (c * a + 255 * (255 - a) + 127) / 255; };
      row[x] = (over_white(src[0]) << 16) | (over_white(src[1]) << 8) | over_white(src[2]);
    }
  }
  cairo.surface_mark_dirty(img);
  return img;
}

bool draw_page(const CairoApi& cairo, cairo_t* cr, const PageImage& page, std::string* error) {
  cairo_surface_t* img = to_cairo_image(cairo, page);
  if (cairo.surface_status(img) != CAIRO_STATUS_SUCCESS) {
    *error = std::string("cairo image: ") + cairo.status_to_string(cairo.surface_status(img));
    cairo.surface_destroy(img);
    return false;
  }
  // One image pixel is 72/dpi points; shrink to fit if the image is larger than A4.
  double scale = 72.0 / page.dpi;
  scale = std::min({scale, kA4WidthPt / page.width, kA4HeightPt / page.height});
  cairo.save(cr);
  cairo.scale(cr, scale, scale);
  cairo.set_source_surface(cr, img, 0, 0);
  cairo.paint(cr);
  cairo.restore(cr);
  cairo.show_page(cr);
  cairo.surface_destroy(img);
  return true;
}

}  // namespace

PixelSize a4_pixels(double dpi) {
  return PixelSize{int(std::lround(kA4WidthPt / 72.0 * dpi)),
                   int(std::lround(kA4HeightPt / 72.0 * dpi))};
}

std::optional<std::string> make_pdf(const std::vector<PageImage>& pages, std::string* error) {
  std::string scratch;
  if (!error) error = &scratch;
  if (pages.empty()) {
    *error = "no pages to print";
    return std::nullopt;
  }
  for (size_t i = 0; i < pages.size(); ++i) {
    if (!check_page(pages[i], i, error)) return std::nullopt;
  }
  const CairoApi* api = g_cairo.get(error);  // error: "optional library not available: ..."
  if (!api) return std::nullopt;
  const CairoApi& cairo = *api;
  std::string pdf;
  cairo_surface_t* surface =
      cairo.pdf_surface_create_for_stream(append_to_string, &pdf, kA4WidthPt, kA4HeightPt);
  cairo.pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_CREATOR, "migrant-kiosk");
  cairo_t* cr = cairo.create(surface);
  bool ok = true;
  for (const PageImage& page : pages) {
    if (!(ok = draw_page(cairo, cr, page, error))) break;
  }
  cairo_status_t status = cairo.status(cr);
  cairo.destroy(cr);
  cairo.surface_finish(surface);  // writes the trailer through append_to_string
  if (status == CAIRO_STATUS_SUCCESS) status = cairo.surface_status(surface);
  cairo.surface_destroy(surface);
  if (ok && status != CAIRO_STATUS_SUCCESS) {
    *error = std::string("cairo pdf: ") + cairo.status_to_string(status);
    ok = false;
  }
  if (!ok) return std::nullopt;
  return pdf;
}

}  // namespace kiosk::platform
