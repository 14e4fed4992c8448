// GL path check (needs a display; ctest runs it under xvfb-run when available):
// draws a few strings through TextEngine::draw() + ImGui's OpenGL3 backend, reads the frame
// back and compares it with TextEngine::render() (the CPU blit of the same atlas glyphs).
//   text_gl_smoke [out.png]     exit 0 = same picture, 1 = differs, 2 = no display/GL
#include <GL/gl.h>
#include <SDL.h>
#include <backends/imgui_impl_opengl3.h>
#include <backends/imgui_impl_sdl.h>
#include <png.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "kiosk/text/text_engine.h"

namespace {

constexpr int kWidth = 640, kHeight = 360;

struct Sample {
  const char* lang;
  const char* text;
};
const Sample kSamples[] = {
    {"ne", "निवास कार्डको नवीकरण"},
    {"my", "နေထိုင်ခွင့်ကတ် သက်တမ်းတိုး"},
    {"ar", "اتصل بـ FRESC على 0570-013904"},
    {"zh-Hans", "请在到期前申请更新。"},
};

void save_png(const char* path, const std::vector<uint8_t>& rgba) {
  FILE* f = std::fopen(path, "wb");
  if (!f) return;
  png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, nullptr, nullptr, nullptr);
  png_infop info = png_create_info_struct(png);
  if (setjmp(png_jmpbuf(png)) == 0) {
    png_init_io(png, f);
    png_set_IHDR(png, info, kWidth, kHeight, 8, PNG_COLOR_TYPE_RGBA, PNG_INTERLACE_NONE,
                 PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
    png_write_info(png, info);
    for (int y = 0; y < kHeight; ++y) {
      png_write_row(png, const_cast<png_bytep>(&rgba[static_cast<size_t>(y) * kWidth * 4]));
    }
    png_write_end(png, nullptr);
  }
  png_destroy_write_struct(&png, &info);
  std::fclose(f);
}

}  // namespace

int main(int argc, char** argv) {
  if (SDL_Init(SDL_INIT_VIDEO) != 0) {
    std::fprintf(stderr, "text_gl_smoke: no display: %s\n", SDL_GetError());
    return 2;
  }
  SDL_GL_SetAttribute(SDL_GL_CONTEXT_MAJOR_VERSION, 3);
  SDL_GL_SetAttribute(SDL_GL_CONTEXT_MINOR_VERSION, 0);
  SDL_Window* window = SDL_CreateWindow("text_gl_smoke", 0, 0, kWidth, kHeight,
                                        SDL_WINDOW_OPENGL | SDL_WINDOW_HIDDEN);
  SDL_GLContext gl = window ? SDL_GL_CreateContext(window) : nullptr;
  if (!gl) {
    std::fprintf(stderr, "text_gl_smoke: no OpenGL 3 context: %s\n", SDL_GetError());
    return 2;
  }
  ImGui::CreateContext();
  ImGui::GetIO().IniFilename = nullptr;
  ImGui_ImplSDL2_InitForOpenGL(window, gl);
  ImGui_ImplOpenGL3_Init("#version 130");

  kiosk::text::TextEngine engine;
  std::string error;
  if (!engine.init(&error) || !engine.enable_gl_textures(&error)) {
    std::fprintf(stderr, "text_gl_smoke: %s\n", error.c_str());
    return 1;
  }
  std::vector<std::pair<const kiosk::text::Layout*, ImVec2>> placed;
  float y = 10;
  for (const Sample& s : kSamples) {
    kiosk::text::TextStyle style;
    style.lang = s.lang;
    style.size_px = 30;
    style.rtl_context = kiosk::text::is_rtl_language(s.lang);
    style.wrap_width = kWidth - 20;
    placed.emplace_back(&engine.layout(s.text, style), ImVec2(10, y));
    y += placed.back().first->height + 4;
  }

  std::vector<uint8_t> frame(static_cast<size_t>(kWidth) * kHeight * 4);
  for (int pass = 0; pass < 2; ++pass) {  // the second frame draws from a warm atlas
    ImGui_ImplOpenGL3_NewFrame();
    ImGui_ImplSDL2_NewFrame();
    ImGui::GetIO().DisplaySize = ImVec2(kWidth, kHeight);
    ImGui::NewFrame();
    for (const auto& [layout, at] : placed) {
      engine.draw(ImGui::GetBackgroundDrawList(), *layout, at, IM_COL32(0, 0, 0, 255));
    }
    ImGui::Render();
    glViewport(0, 0, kWidth, kHeight);
    glClearColor(1, 1, 1, 1);
    glClear(GL_COLOR_BUFFER_BIT);
    ImGui_ImplOpenGL3_RenderDrawData(ImGui::GetDrawData());
    glFinish();
    glPixelStorei(GL_PACK_ALIGNMENT, 1);
    glReadPixels(0, 0, kWidth, kHeight, GL_RGBA, GL_UNSIGNED_BYTE, frame.data());
  }
  // GL rows are bottom-up.
  std::vector<uint8_t> gl_image(frame.size());
  for (int row = 0; row < kHeight; ++row) {
    std::copy_n(&frame[static_cast<size_t>(kHeight - 1 - row) * kWidth * 4], kWidth * 4,
                &gl_image[static_cast<size_t>(row) * kWidth * 4]);
  }
  kiosk::text::RgbaImage cpu(kWidth, kHeight, 0xFFFFFFFF);
  for (const auto& [layout, at] : placed) engine.render(cpu, *layout, at, 0x000000FF);

  long ink = 0, differing = 0;
  for (size_t i = 0; i < gl_image.size(); i += 4) {
    if (cpu.pixels[i] < 128) ++ink;
    if (std::abs(int(gl_image[i]) - int(cpu.pixels[i])) > 40) ++differing;
  }
  if (argc > 1) save_png(argv[1], gl_image);
  std::printf("text_gl_smoke: %ld ink pixels, %ld differ between GL and CPU rendering (%s)\n", ink,
              differing, reinterpret_cast<const char*>(glGetString(GL_RENDERER)));
  ImGui_ImplOpenGL3_Shutdown();
  ImGui_ImplSDL2_Shutdown();
  ImGui::DestroyContext();
  SDL_GL_DeleteContext(gl);
  SDL_DestroyWindow(window);
  SDL_Quit();
  return ink > 2000 && differing * 100 < ink ? 0 : 1;
}
