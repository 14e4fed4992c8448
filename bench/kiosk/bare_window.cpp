// The baseline for bench/kiosk/run.sh: a bare SDL2 + OpenGL3 + Dear ImGui window with one
// line of text, nothing else. `bare_window --screenshot OUT.png` renders one frame and exits
// (like `kiosk --screenshot`); without it, it runs until closed, sleeping between events.
#include <GL/gl.h>
#include <SDL.h>
#include <backends/imgui_impl_opengl3.h>
#include <backends/imgui_impl_sdl.h>
#include <imgui.h>
#include <stb_image_write.h>

#include <cstring>
#include <vector>

int main(int argc, char** argv) {
  const char* screenshot =
      argc > 2 && std::strcmp(argv[1], "--screenshot") == 0 ? argv[2] : nullptr;
  if (screenshot) setenv("SDL_VIDEODRIVER", "offscreen", 0);
  const int w = 1080, h = 1920;
  if (SDL_Init(SDL_INIT_VIDEO) != 0) return 1;
  SDL_GL_SetAttribute(SDL_GL_CONTEXT_MAJOR_VERSION, 3);
  SDL_GL_SetAttribute(SDL_GL_CONTEXT_MINOR_VERSION, 0);
  SDL_Window* win = SDL_CreateWindow("bare", 0, 0, w, h,
                                     SDL_WINDOW_OPENGL | (screenshot ? SDL_WINDOW_HIDDEN : 0));
  SDL_GLContext gl = SDL_GL_CreateContext(win);
  ImGui::CreateContext();
  ImGui::GetIO().IniFilename = nullptr;
  ImGui_ImplSDL2_InitForOpenGL(win, gl);
  ImGui_ImplOpenGL3_Init("#version 130");
  bool running = true;
  int frames = 0;
  while (running) {
    SDL_Event e;
    if (!screenshot && frames > 2 && SDL_WaitEventTimeout(&e, 60000)) {
      ImGui_ImplSDL2_ProcessEvent(&e);
      if (e.type == SDL_QUIT) running = false;
    }
    ImGui_ImplOpenGL3_NewFrame();
    ImGui_ImplSDL2_NewFrame();
    ImGui::NewFrame();
    ImGui::SetNextWindowPos(ImVec2(0, 0));
    ImGui::SetNextWindowSize(ImVec2(float(w), float(h)));
    ImGui::Begin("bare", nullptr, ImGuiWindowFlags_NoDecoration);
    ImGui::Text("Choose your language");
    ImGui::End();
    ImGui::Render();
    glViewport(0, 0, w, h);
    glClear(GL_COLOR_BUFFER_BIT);
    ImGui_ImplOpenGL3_RenderDrawData(ImGui::GetDrawData());
    if (screenshot && ++frames == 2) {
      std::vector<unsigned char> px(size_t(w) * h * 4);
      glReadPixels(0, 0, w, h, GL_RGBA, GL_UNSIGNED_BYTE, px.data());
      stbi_write_png(screenshot, w, h, 4, px.data(), w * 4);
      break;
    }
    if (!screenshot) SDL_GL_SwapWindow(win), frames++;
  }
  ImGui_ImplOpenGL3_Shutdown();
  ImGui_ImplSDL2_Shutdown();
  ImGui::DestroyContext();
  SDL_GL_DeleteContext(gl);
  SDL_DestroyWindow(win);
  SDL_Quit();
  return 0;
}
