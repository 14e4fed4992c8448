// SPDX-License-Identifier: GPL-3.0-or-later
#include "kiosk/window.h"

#include <SDL.h>
#include <backends/imgui_impl_sdl.h>
#include <imgui.h>
#include <png.h>

#include <algorithm>
#include <cerrno>
#include <climits>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <unordered_map>
#include <vector>

namespace kiosk::ui {

namespace {

SDL_Texture* create_rgba_texture(SDL_Renderer* renderer, int w, int h, const void* pixels) {
  SDL_Texture* t =
      SDL_CreateTexture(renderer, SDL_PIXELFORMAT_RGBA32, SDL_TEXTUREACCESS_STATIC, w, h);
  if (!t) return nullptr;
  SDL_SetTextureBlendMode(t, SDL_BLENDMODE_BLEND);
  SDL_SetTextureScaleMode(t, SDL_ScaleModeLinear);
  if (pixels) SDL_UpdateTexture(t, nullptr, pixels, w * 4);
  return t;
}

// How SDL's software renderer draws a triangle fastest: a texture fetch per pixel is the
// slow path, so ImGui's solid shapes (which sample the atlas's white pixel) are drawn
// untextured, and opaque ones of one colour without blending.
enum class TriangleKind { Textured, Solid, SolidOpaque };

TriangleKind classify(const ImDrawVert* v, const ImDrawIdx* idx, ImVec2 white) {
  const ImDrawVert &a = v[idx[0]], &b = v[idx[1]], &c = v[idx[2]];
  auto is_white = [white](const ImDrawVert& p) { return p.uv.x == white.x && p.uv.y == white.y; };
  if (!is_white(a) || !is_white(b) || !is_white(c)) return TriangleKind::Textured;
  const bool opaque = (a.col >> IM_COL32_A_SHIFT) == 0xFF;
  return opaque && a.col == b.col && b.col == c.col ? TriangleKind::SolidOpaque
                                                    : TriangleKind::Solid;
}

void draw_geometry(SDL_Renderer* renderer, SDL_Texture* texture, const ImDrawVert* v,
                   int vertex_count, const ImDrawIdx* idx, int count) {
  if (count <= 0) return;
  SDL_RenderGeometryRaw(renderer, texture, &v->pos.x, sizeof(ImDrawVert),
                        reinterpret_cast<const SDL_Color*>(&v->col), sizeof(ImDrawVert), &v->uv.x,
                        sizeof(ImDrawVert), vertex_count, idx, count, sizeof(ImDrawIdx));
}

// Two triangles in ImGui's PrimRect order (a b c, a c d) covering an axis-aligned rectangle.
bool as_rect(const ImDrawVert* v, const ImDrawIdx* idx, SDL_Rect* out) {
  if (idx[3] != idx[0] || idx[4] != idx[2]) return false;
  const ImVec2 a = v[idx[0]].pos, b = v[idx[1]].pos, c = v[idx[2]].pos, d = v[idx[5]].pos;
  if (a.y != b.y || b.x != c.x || c.y != d.y || d.x != a.x || a.x >= c.x || a.y >= c.y)
    return false;
  // Both edges rounded (not position and size apart), so rectangles that share an edge, such
  // as the modules of a QR code, meet without a gap or an overlap.
  const int x0 = static_cast<int>(std::lround(a.x)), y0 = static_cast<int>(std::lround(a.y));
  const int x1 = static_cast<int>(std::lround(c.x)), y1 = static_cast<int>(std::lround(c.y));
  *out = SDL_Rect{x0, y0, x1 - x0, y1 - y0};
  return true;
}

// Opaque shapes of one colour as horizontal spans, filled as rectangles. SDL's software
// triangle fill tests every pixel of a triangle's bounding box, and ImGui fills a rounded
// rectangle (a button, a card) as a fan of some forty triangles around one corner, each
// with a box nearly as big as the shape: forty times its area tested, where the spans
// write each pixel once. The pixels are exactly those SDL 2's software renderer fills:
// vertices truncated to whole pixels (SW_QueueGeometry), a pixel in when its centre is
// inside or on an edge by the top-left rule (SDL_SW_FillTriangle), computed per row with
// integers instead of per pixel, so the frame is the same to the byte.
class SpanFill {
 public:
  // Adds the pixels of the fan of `n` triangles around one vertex (ImGui's convex fills,
  // AddConvexPolyFilled, which every filled shape of ImGui 1.86 goes through), or of one
  // triangle (n == 1).
  void add_fan(const ImDrawVert* v, const ImDrawIdx* idx, int n) {
    Tri tris[64];
    if (n > 64) {
      for (int t = 0; t < n; ++t) add_fan(v, idx + t * 3, 1);
      return;
    }
    int y0 = INT32_MAX, y1 = INT32_MIN;
    for (int t = 0; t < n; ++t) {
      tris[t] = Tri(v[idx[t * 3]].pos, v[idx[t * 3 + 1]].pos, v[idx[t * 3 + 2]].pos);
      if (tris[t].empty()) continue;
      y0 = std::min(y0, tris[t].y0);
      y1 = std::max(y1, tris[t].y1);
    }
    if (y1 <= y0) return;
    const int rows = y1 - y0;
    lo_.assign(rows, INT32_MAX);
    hi_.assign(rows, INT32_MIN);
    width_.assign(rows, 0);
    for (int t = 0; t < n; ++t)
      for (int y = tris[t].y0; y < tris[t].y1; ++y) {
        int a, b;
        if (!tris[t].span(y, &a, &b)) continue;
        lo_[y - y0] = std::min(lo_[y - y0], a);
        hi_[y - y0] = std::max(hi_[y - y0], b);
        width_[y - y0] += b - a;
      }
    // A convex shape covers one run of pixels per row (its triangles share edges, and no
    // pixel is in two of them); where a row is not one run, each triangle on its own.
    for (int r = 0; r < rows; ++r)
      if (width_[r] != 0 && width_[r] != hi_[r] - lo_[r]) {
        for (int t = 0; t < n; ++t)
          for (int y = tris[t].y0; y < tris[t].y1; ++y) {
            int a, b;
            if (tris[t].span(y, &a, &b)) rects_.push_back(SDL_Rect{a, y, b - a, 1});
          }
        return;
      }
    // Runs of rows with the same span become one rectangle.
    SDL_Rect open{0, 0, 0, 0};
    for (int r = 0; r < rows; ++r) {
      const int a = width_[r] ? lo_[r] : 0, b = width_[r] ? hi_[r] : 0;
      if (open.h > 0 && open.x == a && open.x + open.w == b && open.y + open.h == y0 + r) {
        ++open.h;
        continue;
      }
      if (open.h > 0) rects_.push_back(open);
      open = b > a ? SDL_Rect{a, y0 + r, b - a, 1} : SDL_Rect{0, 0, 0, 0};
    }
    if (open.h > 0) rects_.push_back(open);
  }
  void add_rect(const SDL_Rect& r) {
    if (r.w > 0 && r.h > 0) rects_.push_back(r);
  }
  void fill(SDL_Renderer* renderer, ImU32 col) {
    if (rects_.empty()) return;
    SDL_SetRenderDrawColor(renderer, col & 0xFF, (col >> 8) & 0xFF, (col >> 16) & 0xFF, 0xFF);
    SDL_RenderFillRects(renderer, rects_.data(), static_cast<int>(rects_.size()));
    rects_.clear();
  }

 private:
  // One triangle in SDL's fixed point (one fractional bit: pixel centres are odd).
  struct Tri {
    Tri() = default;
    Tri(ImVec2 a, ImVec2 b, ImVec2 c) {
      const ImVec2 in[3] = {a, b, c};
      for (int k = 0; k < 3; ++k)
        px[k] = static_cast<int>(in[k].x) * 2, py[k] = static_cast<int>(in[k].y) * 2;
      const int64_t area = cross(0, 1, px[2], py[2]);
      if (area == 0) return;
      const bool clockwise = area > 0;
      x0 = std::min({px[0], px[1], px[2]}) / 2;
      x1 = x0 + (std::max({px[0], px[1], px[2]}) - std::min({px[0], px[1], px[2]})) / 2;
      y0 = std::min({py[0], py[1], py[2]}) / 2;
      y1 = y0 + (std::max({py[0], py[1], py[2]}) - std::min({py[0], py[1], py[2]})) / 2;
      // Edge e runs from vertex (e+1)%3 to (e+2)%3, as SDL's w0, w1, w2.
      for (int e = 0; e < 3; ++e) {
        const int i = (e + 1) % 3, j = (e + 2) % 3;
        sign[e] = clockwise ? 1 : -1;
        const bool top_left = clockwise ? (py[i] == py[j] && px[i] < px[j]) || py[j] < py[i]
                                        : (py[i] == py[j] && px[j] < px[i]) || py[i] < py[j];
        bias[e] = top_left ? 0 : -1;
      }
    }
    bool empty() const { return y1 <= y0 || x1 <= x0; }
    int64_t cross(int i, int j, int64_t x, int64_t y) const {
      return (px[j] - px[i]) * (y - py[i]) - (py[j] - py[i]) * (x - px[i]);
    }
    // Pixels [*a, *b) of row y inside the triangle (within its box, as SDL's loop).
    bool span(int y, int* a, int* b) const {
      int64_t lo = x0, hi = x1 - 1;
      const int64_t cy = 2 * int64_t(y) + 1;
      for (int e = 0; e < 3 && lo <= hi; ++e) {
        const int i = (e + 1) % 3, j = (e + 2) % 3;
        // sign * cross(i, j, 2x + 1, cy) + bias >= 0, as C - D x >= 0.
        const int64_t c = sign[e] * cross(i, j, 1, cy) + bias[e];
        const int64_t d = sign[e] * 2 * int64_t(py[j] - py[i]);
        if (d == 0) {
          if (c < 0) return false;
        } else if (d > 0) {
          hi = std::min(hi, floor_div(c, d));
        } else {
          lo = std::max(lo, ceil_div(c, d));
        }
      }
      if (lo > hi) return false;
      *a = static_cast<int>(lo);
      *b = static_cast<int>(hi + 1);
      return true;
    }
    static int64_t floor_div(int64_t p, int64_t q) {
      int64_t r = p / q;
      return (p % q != 0 && ((p < 0) != (q < 0))) ? r - 1 : r;
    }
    static int64_t ceil_div(int64_t p, int64_t q) { return -floor_div(-p, q); }

    int px[3] = {0, 0, 0}, py[3] = {0, 0, 0};
    int sign[3] = {1, 1, 1}, bias[3] = {0, 0, 0};
    int x0 = 0, x1 = 0, y0 = 0, y1 = 0;  // SDL's box: [x0, x1) x [y0, y1)
  };

  std::vector<int> lo_, hi_, width_;
  std::vector<SDL_Rect> rects_;
};

void draw_triangles(SDL_Renderer* renderer, SDL_Texture* texture, TriangleKind kind,
                    const ImDrawVert* v, int vertex_count, const ImDrawIdx* idx, int count) {
  if (kind != TriangleKind::Textured) texture = nullptr;
  SDL_SetRenderDrawBlendMode(
      renderer, kind == TriangleKind::SolidOpaque ? SDL_BLENDMODE_NONE : SDL_BLENDMODE_BLEND);
  if (kind != TriangleKind::SolidOpaque)
    return draw_geometry(renderer, texture, v, vertex_count, idx, count);
  // Opaque shapes: rectangles (backgrounds, bars, cards) are plain fills, far cheaper in
  // software than rasterising their two triangles; other shapes are filled span by span.
  // Shapes of one colour are filled together, in order between colours (one may cover
  // another).
  static SpanFill spans;
  ImU32 colour = count ? v[idx[0]].col : 0;
  for (int i = 0; i + 3 <= count;) {
    const ImU32 col = v[idx[i]].col;
    if (col != colour) spans.fill(renderer, colour), colour = col;
    SDL_Rect rect;
    if (i + 6 <= count && v[idx[i + 3]].col == col && as_rect(v, idx + i, &rect)) {
      spans.add_rect(rect);
      i += 6;
      continue;
    }
    // A fan: triangles (p, a, b), (p, b, c), ... around one vertex, in one colour.
    int n = 1;
    while (i + (n + 1) * 3 <= count && idx[i + n * 3] == idx[i] &&
           idx[i + n * 3 + 1] == idx[i + n * 3 - 1] && v[idx[i + n * 3 + 2]].col == col)
      ++n;
    spans.add_fan(v, idx + i, n);
    i += n * 3;
  }
  spans.fill(renderer, colour);
  (void)vertex_count;
}

// Glyphs straight into the window's pixels (software renderer). The text engine draws each
// glyph as a quad of its own size at whole pixels, its texels one to one (white, coverage
// as alpha, tinted by the vertex colour); SDL draws such a quad as a blit that blends every
// pixel of its box, the blank ones too (a third of a 3840x2160 result frame). Here blank
// pixels are skipped and covered ones written whole; the rest blend as SDL's blitter
// with colour modulation does: s = c * a / 255, d = s + (255 - a) * d / 255, a = texel
// alpha * colour alpha / 255, integer division throughout.
struct GlyphTarget {
  SDL_Surface* surface = nullptr;  // the window's, 32 bits without alpha, else unused
  const GlyphPages* pages = nullptr;
};

// The quad's place on screen and in its page when it is such a glyph.
bool as_glyph(const ImDrawVert* v, const ImDrawIdx* idx, int page_size, SDL_Rect* dst, int* sx,
              int* sy) {
  if (idx[3] != idx[0] || idx[4] != idx[2]) return false;
  const ImDrawVert &a = v[idx[0]], &b = v[idx[1]], &c = v[idx[2]], &d = v[idx[5]];
  if (a.pos.y != b.pos.y || b.pos.x != c.pos.x || c.pos.y != d.pos.y || d.pos.x != a.pos.x ||
      a.pos.x >= c.pos.x || a.pos.y >= c.pos.y || a.pos.x != std::floor(a.pos.x) ||
      a.pos.y != std::floor(a.pos.y) || c.pos.x != std::floor(c.pos.x) ||
      c.pos.y != std::floor(c.pos.y))
    return false;
  if (a.uv.x != d.uv.x || a.uv.y != b.uv.y || c.uv.x != b.uv.x || c.uv.y != d.uv.y ||
      a.col != b.col || a.col != c.col || a.col != d.col)
    return false;
  const float u0 = a.uv.x * page_size, v0 = a.uv.y * page_size;
  const float u1 = c.uv.x * page_size, v1 = c.uv.y * page_size;
  const int w = static_cast<int>(c.pos.x - a.pos.x), h = static_cast<int>(c.pos.y - a.pos.y);
  if (u0 != std::floor(u0) || v0 != std::floor(v0) || u0 < 0 || v0 < 0 ||
      u1 > static_cast<float>(page_size) || v1 > static_cast<float>(page_size) ||
      u1 - u0 != static_cast<float>(w) || v1 - v0 != static_cast<float>(h))
    return false;
  *dst = SDL_Rect{static_cast<int>(a.pos.x), static_cast<int>(a.pos.y), w, h};
  *sx = static_cast<int>(u0);
  *sy = static_cast<int>(v0);
  return true;
}

void blit_glyph(SDL_Surface* s, SDL_Rect clip, const uint8_t* alpha, int page_size, int sx, int sy,
                SDL_Rect dst, ImU32 col) {
  const SDL_Rect bounds{0, 0, s->w, s->h};
  SDL_Rect area;
  if (!SDL_IntersectRect(&clip, &bounds, &clip) || !SDL_IntersectRect(&dst, &clip, &area)) return;
  sx += area.x - dst.x;
  sy += area.y - dst.y;
  const uint32_t r = col & 0xFF, g = (col >> 8) & 0xFF, b = (col >> 16) & 0xFF, ca = col >> 24;
  const SDL_PixelFormat* f = s->format;
  const uint32_t solid = (r << f->Rshift) | (g << f->Gshift) | (b << f->Bshift);
  // The frame's pixels are rarely in the cache (SDL's fills bypass it): asking for all the
  // glyph's rows at once lets their misses overlap instead of coming one row at a time.
  for (int y = 0; y < area.h; ++y) {
    const uint8_t* row = static_cast<const uint8_t*>(s->pixels) +
                         static_cast<size_t>(area.y + y) * s->pitch + area.x * 4;
    for (int off = 0; off < area.w * 4; off += 64) __builtin_prefetch(row + off, 1);
    __builtin_prefetch(row + area.w * 4 - 1, 1);
  }
  for (int y = 0; y < area.h; ++y) {
    const uint8_t* src = alpha + static_cast<size_t>(sy + y) * page_size + sx;
    auto* out = reinterpret_cast<uint32_t*>(static_cast<uint8_t*>(s->pixels) +
                                            static_cast<size_t>(area.y + y) * s->pitch) +
                area.x;
    for (int x = 0; x < area.w; ++x) {
      if (src[x] == 0) continue;
      const uint32_t a = src[x] * ca / 255;
      if (a == 255) {
        out[x] = solid;
      } else if (a != 0) {
        const uint32_t p = out[x], k = 255 - a;
        const uint32_t dr = (p >> f->Rshift) & 0xFF, dg = (p >> f->Gshift) & 0xFF,
                       db = (p >> f->Bshift) & 0xFF;
        out[x] = ((r * a / 255 + k * dr / 255) << f->Rshift) |
                 ((g * a / 255 + k * dg / 255) << f->Gshift) |
                 ((b * a / 255 + k * db / 255) << f->Bshift);
      }
    }
  }
}

// Textured triangles: glyph quads of a page the window keeps a copy of are blitted here,
// the rest go to SDL (flushed before each blit, so that the order of drawing holds).
void draw_textured(SDL_Renderer* renderer, const GlyphTarget& target, SDL_Texture* texture,
                   const SDL_Rect& clip, const ImDrawVert* v, int vertex_count,
                   const ImDrawIdx* idx, int count) {
  auto page = target.pages->find(texture);
  const int page_size = page == target.pages->end()
                            ? 0
                            : static_cast<int>(std::lround(std::sqrt(page->second.size())));
  if (page_size == 0)
    return draw_triangles(renderer, texture, TriangleKind::Textured, v, vertex_count, idx, count);
  int pending = 0;
  bool flushed = false;
  for (int i = 0; i + 6 <= count;) {
    SDL_Rect dst;
    int sx, sy;
    if (!as_glyph(v, idx + i, page_size, &dst, &sx, &sy)) {
      i += 3;
      continue;
    }
    if (i > pending || !flushed) {
      draw_triangles(renderer, texture, TriangleKind::Textured, v, vertex_count, idx + pending,
                     i - pending);
      SDL_RenderFlush(renderer);
      flushed = true;
    }
    blit_glyph(target.surface, clip, page->second.data(), page_size, sx, sy, dst, v[idx[i]].col);
    i += 6;
    pending = i;
  }
  draw_triangles(renderer, texture, TriangleKind::Textured, v, vertex_count, idx + pending,
                 count - pending);
}

// ImGui's draw lists into SDL_RenderGeometryRaw: ImDrawVert's position, colour (RGBA bytes,
// as SDL_Color) and UV are read in place through strides; runs of triangles of one kind go
// in one call.
void render_draw_data(SDL_Renderer* renderer, const ImDrawData* data, bool split_solid,
                      const GlyphTarget& glyphs) {
  const ImVec2 origin = data->DisplayPos;
  const ImVec2 white = ImGui::GetIO().Fonts->TexUvWhitePixel;
  for (int n = 0; n < data->CmdListsCount; ++n) {
    const ImDrawList* list = data->CmdLists[n];
    for (const ImDrawCmd& cmd : list->CmdBuffer) {
      if (cmd.UserCallback) {
        if (cmd.UserCallback != ImDrawCallback_ResetRenderState) cmd.UserCallback(list, &cmd);
        continue;
      }
      const int x0 = static_cast<int>(std::floor(cmd.ClipRect.x - origin.x));
      const int y0 = static_cast<int>(std::floor(cmd.ClipRect.y - origin.y));
      const int x1 = static_cast<int>(std::ceil(cmd.ClipRect.z - origin.x));
      const int y1 = static_cast<int>(std::ceil(cmd.ClipRect.w - origin.y));
      if (x1 <= x0 || y1 <= y0) continue;
      const SDL_Rect clip{x0, y0, x1 - x0, y1 - y0};
      SDL_RenderSetClipRect(renderer, &clip);
      const ImDrawVert* v = list->VtxBuffer.Data + cmd.VtxOffset;
      const int vertex_count = list->VtxBuffer.Size - static_cast<int>(cmd.VtxOffset);
      const ImDrawIdx* idx = list->IdxBuffer.Data + cmd.IdxOffset;
      auto* texture = static_cast<SDL_Texture*>(cmd.GetTexID());
      const int count = static_cast<int>(cmd.ElemCount);
      if (!split_solid) {
        draw_triangles(renderer, texture, TriangleKind::Textured, v, vertex_count, idx, count);
        continue;
      }
      int run_start = 0;
      TriangleKind run_kind = count ? classify(v, idx, white) : TriangleKind::Textured;
      for (int i = 3; i <= count; i += 3) {
        TriangleKind kind = i < count ? classify(v, idx + i, white) : run_kind;
        if (i < count && kind == run_kind) continue;
        if (run_kind == TriangleKind::Textured && glyphs.surface)
          draw_textured(renderer, glyphs, texture, clip, v, vertex_count, idx + run_start,
                        i - run_start);
        else
          draw_triangles(renderer, texture, run_kind, v, vertex_count, idx + run_start,
                         i - run_start);
        run_start = i;
        run_kind = kind;
      }
    }
  }
  SDL_RenderSetClipRect(renderer, nullptr);
}

// Whether the first thing drawn is an opaque rectangle over the whole target (the screen's
// background): then clearing the target first is a wasted pass over every pixel (33 MB a
// frame at 3840x2160).
bool starts_with_opaque_fill(const ImDrawData* data, int w, int h) {
  const ImVec2 white = ImGui::GetIO().Fonts->TexUvWhitePixel;
  for (int n = 0; n < data->CmdListsCount; ++n) {
    const ImDrawList* list = data->CmdLists[n];
    for (const ImDrawCmd& cmd : list->CmdBuffer) {
      if (cmd.UserCallback || cmd.ElemCount == 0) continue;
      if (cmd.ElemCount < 6 || cmd.ClipRect.x > data->DisplayPos.x ||
          cmd.ClipRect.y > data->DisplayPos.y || cmd.ClipRect.z < data->DisplayPos.x + w ||
          cmd.ClipRect.w < data->DisplayPos.y + h)
        return false;
      const ImDrawVert* v = list->VtxBuffer.Data + cmd.VtxOffset;
      const ImDrawIdx* idx = list->IdxBuffer.Data + cmd.IdxOffset;
      SDL_Rect r;
      return classify(v, idx, white) == TriangleKind::SolidOpaque &&
             classify(v, idx + 3, white) == TriangleKind::SolidOpaque &&
             v[idx[3]].col == v[idx[0]].col && as_rect(v, idx, &r) && r.x <= 0 && r.y <= 0 &&
             r.x + r.w >= w && r.y + r.h >= h;
    }
  }
  return false;
}

}  // namespace

bool parse_renderer(const std::string& name, Renderer* out) {
  if (name == "software") return *out = Renderer::Software, true;
  if (name == "gpu") return *out = Renderer::Gpu, true;
  return false;
}

Window::~Window() {
  *alive_ = false;
  if (imgui_ready_) {
    ImGui_ImplSDL2_Shutdown();
    ImGui::DestroyContext();
  }
  if (font_texture_) SDL_DestroyTexture(font_texture_);
  if (renderer_) SDL_DestroyRenderer(renderer_);
  if (window_) SDL_DestroyWindow(window_);
  SDL_Quit();
}

bool Window::open(const WindowOptions& o, std::string* error) {
  if (SDL_Init(SDL_INIT_VIDEO | SDL_INIT_TIMER | SDL_INIT_EVENTS) != 0) {
    *error = std::string("cannot start the display system: ") + SDL_GetError();
    return false;
  }
  driver_ = SDL_GetCurrentVideoDriver() ? SDL_GetCurrentVideoDriver() : "";
  const bool gpu = o.renderer == Renderer::Gpu;
  // Otherwise SDL backs a software window's surface with an OpenGL texture, loading Mesa.
  if (!gpu) SDL_SetHint(SDL_HINT_FRAMEBUFFER_ACCELERATION, "0");
  Uint32 flags = SDL_WINDOW_ALLOW_HIGHDPI;
  if (o.fullscreen) flags |= SDL_WINDOW_FULLSCREEN_DESKTOP;
  if (o.hidden)
    flags |= SDL_WINDOW_HIDDEN;
  else
    flags |= SDL_WINDOW_RESIZABLE;
  window_ = SDL_CreateWindow("Kiosk", SDL_WINDOWPOS_CENTERED, SDL_WINDOWPOS_CENTERED, o.width,
                             o.height, flags);
  if (!window_) {
    *error = std::string("cannot open a window: ") + SDL_GetError();
    return false;
  }
  renderer_ = SDL_CreateRenderer(
      window_, -1,
      gpu ? SDL_RENDERER_ACCELERATED | SDL_RENDERER_PRESENTVSYNC : SDL_RENDERER_SOFTWARE);
  if (!renderer_) {
    *error = std::string(gpu ? "cannot start the GPU renderer (try --renderer software): "
                             : "cannot start the software renderer: ") +
             SDL_GetError();
    return false;
  }
  SDL_RendererInfo info{};
  SDL_GetRendererInfo(renderer_, &info);
  renderer_name_ = info.name ? info.name : "";
  software_ = (info.flags & SDL_RENDERER_SOFTWARE) != 0;

  IMGUI_CHECKVERSION();
  ImGui::CreateContext();
  ImGuiIO& io = ImGui::GetIO();
  io.IniFilename = nullptr;  // ImGui persists nothing: no trace of a session on disk
  io.LogFilename = nullptr;
  io.ConfigFlags |= ImGuiConfigFlags_IsTouchScreen;
  io.BackendRendererName = "kiosk_sdl_renderer";
  io.BackendFlags |= ImGuiBackendFlags_RendererHasVtxOffset;
  unsigned char* pixels = nullptr;
  int w = 0, h = 0;
  io.Fonts->GetTexDataAsRGBA32(&pixels, &w, &h);
  font_texture_ = create_rgba_texture(renderer_, w, h, pixels);
  if (!font_texture_) {
    *error = std::string("cannot create a texture: ") + SDL_GetError();
    return false;
  }
  io.Fonts->SetTexID(font_texture_);
  ImGui_ImplSDL2_InitForSDLRenderer(window_);
  imgui_ready_ = true;
  return true;
}

text::TextureHooks Window::texture_hooks() {
  SDL_Renderer* r = renderer_;
  text::TextureHooks hooks;
  // With the software renderer the window keeps each page's alpha too (1 MiB a page), for
  // blitting glyphs itself (render_draw_data).
  std::shared_ptr<GlyphPages> pages = software_ ? glyph_pages_ : nullptr;
  hooks.create = [r, software = software_, pages](int size) -> ImTextureID {
    // Software textures start zeroed; a GPU texture's first contents are undefined, and
    // filtering samples the padding between glyphs, so those are cleared.
    std::vector<unsigned char> clear(software ? 0 : static_cast<size_t>(size) * size * 4, 0);
    SDL_Texture* t = create_rgba_texture(r, size, size, software ? nullptr : clear.data());
    if (t && pages) (*pages)[t].assign(static_cast<size_t>(size) * size, 0);
    return t;
  };
  hooks.update = [pages](ImTextureID t, int x, int y, int w, int h, const uint8_t* rgba) {
    const SDL_Rect rect{x, y, w, h};
    SDL_UpdateTexture(static_cast<SDL_Texture*>(t), &rect, rgba, w * 4);
    if (!pages) return;
    auto it = pages->find(static_cast<SDL_Texture*>(t));
    if (it == pages->end()) return;
    const int size = static_cast<int>(std::lround(std::sqrt(it->second.size())));
    for (int row = 0; row < h; ++row)
      for (int col = 0; col < w; ++col)
        it->second[static_cast<size_t>(y + row) * size + x + col] =
            rgba[(static_cast<size_t>(row) * w + col) * 4 + 3];
  };
  hooks.destroy = [alive = alive_, pages](ImTextureID t) {
    if (pages) pages->erase(static_cast<SDL_Texture*>(t));
    if (*alive) SDL_DestroyTexture(static_cast<SDL_Texture*>(t));
  };
  return hooks;
}

void Window::begin_frame() {
  ImGui_ImplSDL2_NewFrame();
  ImGui::NewFrame();
}

void Window::size(int* w, int* h) const {
  SDL_GetRendererOutputSize(renderer_, w, h);
}

void Window::end_frame(bool present) {
  ImGui::Render();
  rasterised_ = false;
  if (!present) return;  // screenshots, scripts: rasterised only if read_pixels() asks
  rasterise();
  SDL_RenderPresent(renderer_);
}

void Window::rasterise() {
  if (rasterised_) return;
  int w = 0, h = 0;
  SDL_GetRendererOutputSize(renderer_, &w, &h);
  if (!starts_with_opaque_fill(ImGui::GetDrawData(), w, h)) {
    SDL_SetRenderDrawColor(renderer_, 0, 0, 0, 255);
    SDL_RenderClear(renderer_);
  }
  GlyphTarget glyphs;
  if (software_) {
    SDL_Surface* surface = SDL_GetWindowSurface(window_);
    if (surface && surface->format->BytesPerPixel == 4 && surface->format->Amask == 0 &&
        !SDL_MUSTLOCK(surface))
      glyphs = GlyphTarget{surface, glyph_pages_.get()};
  }
  render_draw_data(renderer_, ImGui::GetDrawData(), software_, glyphs);
  rasterised_ = true;
}

std::vector<unsigned char> Window::read_pixels(int w, int h) {
  rasterise();
  std::vector<unsigned char> px(size_t(w) * h * 4);
  const SDL_Rect rect{0, 0, w, h};
  SDL_RenderReadPixels(renderer_, &rect, SDL_PIXELFORMAT_RGBA32, px.data(), w * 4);
  return px;
}

bool check_writable(const std::string& path, std::string* error) {
  std::string probe = path + ".tmp";
  FILE* f = std::fopen(probe.c_str(), "wb");
  if (!f) {
    *error = "cannot write " + path + ": " + std::strerror(errno);
    return false;
  }
  std::fclose(f);
  std::remove(probe.c_str());
  return true;
}

bool write_png(const std::string& path, const std::vector<unsigned char>& rgba, int w, int h,
               std::string* error) {
  std::string tmp = path + ".tmp";
  FILE* f = std::fopen(tmp.c_str(), "wb");
  if (!f) {
    *error = "cannot write " + path + ": " + std::strerror(errno);
    return false;
  }
  png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, nullptr, nullptr, nullptr);
  png_infop info = png ? png_create_info_struct(png) : nullptr;
  bool ok = png && info;
  if (ok && setjmp(png_jmpbuf(png)) == 0) {
    png_init_io(png, f);
    // Fast settings: screenshots are written often (galleries, tests) and read by people.
    // Fastest deflate, no row filter: 20 ms for a 1080x1920 UI picture, 6x less than the
    // default for files 1.5x larger (measured on this project's screens).
    png_set_compression_level(png, 1);
    png_set_filter(png, 0, PNG_FILTER_NONE);
    // Frames are opaque: RGB, a quarter less to compress (libpng drops the filler byte).
    png_set_IHDR(png, info, w, h, 8, PNG_COLOR_TYPE_RGB, PNG_INTERLACE_NONE,
                 PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
    png_write_info(png, info);
    png_set_filler(png, 0, PNG_FILLER_AFTER);
    for (int y = 0; y < h; ++y)
      png_write_row(png, const_cast<png_bytep>(&rgba[static_cast<size_t>(y) * w * 4]));
    png_write_end(png, nullptr);
  } else {
    ok = false;
  }
  png_destroy_write_struct(png ? &png : nullptr, info ? &info : nullptr);
  if (std::fclose(f) != 0) ok = false;
  if (!ok) {
    *error = "cannot write " + path + ": " + std::strerror(errno ? errno : EIO);
    std::remove(tmp.c_str());
    return false;
  }
  std::error_code ec;
  std::filesystem::rename(tmp, path, ec);
  if (ec) {
    *error = "cannot write " + path + ": " + ec.message();
    return false;
  }
  return true;
}

}  // namespace kiosk::ui
